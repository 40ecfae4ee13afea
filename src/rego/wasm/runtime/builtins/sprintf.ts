// sprintf natively: Go's fmt.Sprintf (doPrintf: flags, argument indexes,
// `*` widths, %!verb(MISSING), %!(EXTRA …)) over the operands OPA makes of
// Rego values: integers as int (*big.Int beyond int64), other numbers as
// float64, strings as themselves, anything else as its Rego text.
import { malloc } from "../alloc";
import { Buf, bufAscii, bufByte, bufBytes, bufNew } from "../buf";
import { decCount, decDigits, decNeg, decPoint, scanDecimal } from "../decimal";
import {
  GoArg, K_BIG, K_FLOAT, K_INT, K_STRING, clearFlags, enterV, printArg, setFlag, setPrecision, setWidth, writeRuneTo,
  writeTypeName,
} from "../gofmt";
import { numIsInteger } from "../num";
import { writeRegoText } from "../rego_text";
import { decodeRune, runeSize } from "../utf8";
import { Arr, Num, NUM_TEXT, Str, T_ARRAY, T_NUMBER, T_STRING, newString } from "../value";
import { isType, stringOperand } from "./operands";
import { operandError } from "../errors";

const TWO63: f64 = 9223372036854775808.0;

/** The decimal digits of an integral number's magnitude, for *big.Int. */
function bigFromNumber(g: GoArg, v: usize): void {
  const n = changetype<Num>(v);
  g.kind = K_BIG;
  if (n.kind == NUM_TEXT) scanDecimal(n.text, n.len, 0);
  else {
    const b = bufNew(24);
    // an integral double at or beyond 2^63 prints exactly as its digits
    writeIntegralF64(b, Math.abs(n.value));
    scanDecimal(b.ptr, b.len, 0);
  }
  g.neg = decNeg ? 1 : 0;
  const len = decPoint > <i32>decCount ? <usize>decPoint : <usize>decCount;
  const p = malloc(len);
  memory.copy(p, decDigits, decCount);
  memory.fill(p + decCount, 48, len - decCount);
  g.ptr = p;
  g.len = len;
}

/** Digits of an integral double ≥ 2^63: mantissa × 2^k in decimal. */
function writeIntegralF64(b: Buf, x: f64): void {
  // x = m × 2^k with m < 2^53; build the decimal by doubling
  let k = 0;
  while (x >= TWO63) {
    x /= 2;
    k++;
  }
  let digits = bufNew(400);
  let m = <u64>x;
  do {
    bufByte(digits, <u32>(48 + m % 10));
    m /= 10;
  } while (m != 0);
  // little-endian decimal digits doubled k times
  for (let i = 0; i < k; i++) {
    let carry: u32 = 0;
    for (let j: usize = 0; j < digits.len; j++) {
      const d = (<u32>load<u8>(digits.ptr + j) - 48) * 2 + carry;
      store<u8>(digits.ptr + j, <u8>(48 + d % 10));
      carry = d / 10;
    }
    if (carry) bufByte(digits, 48 + carry);
  }
  for (let j = <isize>digits.len - 1; j >= 0; j--) bufByte(b, load<u8>(digits.ptr + <usize>j));
}

function goArg(v: usize): GoArg {
  const g = changetype<GoArg>(malloc(offsetof<GoArg>()));
  g.neg = 0;
  g.mag = 0;
  g.f = 0;
  const tag = load<u32>(v);
  if (tag == T_STRING) {
    g.kind = K_STRING;
    g.ptr = changetype<Str>(v).ptr;
    g.len = changetype<Str>(v).len;
    return g;
  }
  if (tag == T_NUMBER) {
    const n = changetype<Num>(v);
    if (n.kind == NUM_TEXT) {
      if (numIsInteger(v) && textIsPlainInteger(n.text, n.len)) {
        bigFromNumber(g, v);
        narrowToInt(g);
      } else if (isFinite(n.value)) {
        g.kind = K_FLOAT;
        g.f = n.value;
      } else {
        // beyond float64 (2e308): OPA hands Go the literal's text
        g.kind = K_STRING;
        g.ptr = n.text;
        g.len = n.len;
      }
      return g;
    }
    const x = n.value;
    // JSON writes integers from 1e21 on with an exponent, which Go's
    // big.Int.SetString refuses: OPA sees those as float64
    if (isFinite(x) && Math.trunc(x) == x && Math.abs(x) < 1e21) {
      if (x >= -TWO63 && x < TWO63) {
        g.kind = K_INT;
        g.neg = x < 0 ? 1 : 0;
        g.mag = x < 0 ? (x == -TWO63 ? <u64>0x8000000000000000 : <u64>(-x)) : <u64>x;
      } else bigFromNumber(g, v);
      return g;
    }
    g.kind = K_FLOAT;
    g.f = x;
    return g;
  }
  const b = bufNew(32);
  writeRegoText(b, v);
  g.kind = K_STRING;
  g.ptr = b.ptr;
  g.len = b.len;
  return g;
}

/** Go's big.Int SetString(text, 10) accepts only [-+]digits. */
function textIsPlainInteger(p: usize, n: usize): bool {
  let i: usize = 0;
  if (n > 0 && load<u8>(p) == 45) i = 1;
  if (i >= n) return false;
  for (; i < n; i++) {
    const c = load<u8>(p + i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A *big.Int that fits in int64 is an int (OPA tries Int() first). */
function narrowToInt(g: GoArg): void {
  if (g.len > 19) return;
  let m: u64 = 0;
  for (let i: usize = 0; i < g.len; i++) m = m * 10 + <u64>(load<u8>(g.ptr + i) - 48);
  if (g.len == 19 && (m > <u64>0x8000000000000000 || (m == <u64>0x8000000000000000 && g.neg == 0))) return;
  g.kind = K_INT;
  g.mag = m;
}

// --- doPrintf --------------------------------------------------------------------

let fmtPtr: usize = 0;
let fmtEnd: usize = 0;
let reordered = false;
let goodArgNum = true;
let argIndexFound = false;
let parsedNum: i32 = 0;
let parsedOk = false;

function tooLarge(x: i64): bool {
  return x > 1000000 || x < -1000000;
}

/** Go's parsenum over [i, end): sets parsedNum/parsedOk, returns the new i. */
function parseNum(i: usize, end: usize): usize {
  parsedNum = 0;
  parsedOk = false;
  if (i >= end) return end;
  let n: i64 = 0;
  while (i < end && load<u8>(fmtPtr + i) >= 48 && load<u8>(fmtPtr + i) <= 57) {
    if (tooLarge(n)) {
      parsedOk = false;
      parsedNum = 0;
      return end;
    }
    n = n * 10 + <i64>(load<u8>(fmtPtr + i) - 48);
    parsedOk = true;
    i++;
  }
  parsedNum = <i32>n;
  return i;
}

let argNum: i32 = 0;

/** Go's argNumber: an explicit [n] at i; returns the new i. */
function argNumber(i: usize, numArgs: i32): usize {
  argIndexFound = false;
  if (i >= fmtEnd || load<u8>(fmtPtr + i) != 91) return i;
  reordered = true;
  // parseArgNumber over format[i:]
  if (fmtEnd - i < 3) {
    goodArgNum = false;
    return i + 1;
  }
  for (let j = i + 1; j < fmtEnd; j++) {
    if (load<u8>(fmtPtr + j) == 93) {
      const newi = parseNum(i + 1, j);
      if (!parsedOk || newi != j) {
        goodArgNum = false;
        return j + 1;
      }
      const index = parsedNum - 1;
      if (index >= 0 && index < numArgs) {
        argNum = index;
        argIndexFound = true;
        return j + 1;
      }
      goodArgNum = false;
      argIndexFound = true;
      return j + 1;
    }
  }
  goodArgNum = false;
  return i + 1;
}

/** Go's intFromArg: a `*` width or precision. */
let starOk = false;
function intFromArg(args: usize, numArgs: i32): i32 {
  starOk = false;
  if (argNum >= numArgs) return 0;
  const g = changetype<GoArg>(load<usize>(args + (<usize>argNum << 2)));
  argNum++;
  if (g.kind != K_INT || g.mag > 1000000) return 0;
  starOk = true;
  return g.neg ? -<i32>g.mag : <i32>g.mag;
}

export function writ_bi_sprintf(format: usize, values: usize): usize {
  if (!stringOperand("sprintf", format, 1)) return 0;
  if (!isType(values, T_ARRAY)) return operandError("sprintf", 2, "array", values);
  const arr = changetype<Arr>(values);
  const numArgs = <i32>arr.count;
  const args = malloc(<usize>arr.count << 2);
  for (let k: u32 = 0; k < arr.count; k++) store<usize>(args + (<usize>k << 2), changetype<usize>(goArg(load<usize>(arr.elems + (<usize>k << 2)))));
  fmtPtr = changetype<Str>(format).ptr;
  fmtEnd = changetype<Str>(format).len;
  const out = bufNew(fmtEnd + 16);
  argNum = 0;
  reordered = false;
  let afterIndex = false;
  let i: usize = 0;
  const end = fmtEnd;
  while (i < end) {
    goodArgNum = true;
    const last = i;
    while (i < end && load<u8>(fmtPtr + i) != 37) i++;
    if (i > last) bufBytes(out, fmtPtr + last, i - last);
    if (i >= end) break;
    i++;
    clearFlags();
    while (i < end && setFlag(load<u8>(fmtPtr + i))) i++;
    i = argNumber(i, numArgs);
    afterIndex = argIndexFound;
    if (i < end && load<u8>(fmtPtr + i) == 42) {
      i++;
      const w = intFromArg(args, numArgs);
      if (starOk) setWidth(w);
      else bufAscii(out, "%!(BADWIDTH)");
      afterIndex = false;
    } else {
      i = parseNum(i, end);
      if (parsedOk) setWidth(parsedNum);
      if (afterIndex && parsedOk) goodArgNum = false;
    }
    if (i + 1 < end && load<u8>(fmtPtr + i) == 46) {
      i++;
      if (afterIndex) goodArgNum = false;
      i = argNumber(i, numArgs);
      afterIndex = argIndexFound;
      if (i < end && load<u8>(fmtPtr + i) == 42) {
        i++;
        const p = intFromArg(args, numArgs);
        if (starOk && p >= 0) setPrecision(p);
        else bufAscii(out, "%!(BADPREC)");
        afterIndex = false;
      } else {
        i = parseNum(i, end);
        setPrecision(parsedOk ? parsedNum : 0);
      }
    }
    if (!afterIndex) {
      i = argNumber(i, numArgs);
      afterIndex = argIndexFound;
    }
    if (i >= end) {
      bufAscii(out, "%!(NOVERB)");
      break;
    }
    const verb = decodeRune(fmtPtr + i, fmtPtr + end);
    i += runeSize;
    if (verb == 37) {
      bufByte(out, 37);
    } else if (!goodArgNum) {
      bufAscii(out, "%!");
      writeRuneTo(out, verb);
      bufAscii(out, "(BADINDEX)");
    } else if (argNum >= numArgs) {
      bufAscii(out, "%!");
      writeRuneTo(out, verb);
      bufAscii(out, "(MISSING)");
    } else {
      if (verb == 118) enterV();
      printArg(out, changetype<GoArg>(load<usize>(args + (<usize>argNum << 2))), verb);
      argNum++;
    }
  }
  if (!reordered && argNum < numArgs) {
    clearFlags();
    bufAscii(out, "%!(EXTRA ");
    for (let k = argNum; k < numArgs; k++) {
      if (k > argNum) bufAscii(out, ", ");
      const g = changetype<GoArg>(load<usize>(args + (<usize>k << 2)));
      writeTypeName(out, g);
      bufByte(out, 61);
      printArg(out, g, 118);
    }
    bufByte(out, 41);
  }
  return newString(out.ptr, out.len);
}
