// Number values. Arithmetic is f64 (with an exact i64 path for integers), but
// a literal that no f64 reproduces keeps its text: it prints as written and
// compares exactly against other such literals, as OPA's json.Number does.
import { malloc } from "./alloc";
import { Buf, bufByte, bufBytes, bufI64, bufReserve } from "./buf";
import {
  compareDecimals, decCount, decDigits, decNeg, decPoint, decimalToF64, scanDecimal, SHORT_DIGITS, shortCount,
  shortPoint, shortestDigits,
} from "./decimal";
import { Num, NUM_F64, NUM_TEXT, T_NUMBER } from "./value";

const SMALL_MIN: i32 = -16;
const SMALL_MAX: i32 = 1023;
const SMALL_SIZE: usize = 16;
/** Preallocated numbers SMALL_MIN..SMALL_MAX (array indexes, counts). */
const SMALL: usize = memory.data(<i32>((SMALL_MAX - SMALL_MIN + 1) * 16), 8);

const TWO53: f64 = 9007199254740992;

export function initNumbers(): void {
  for (let i = SMALL_MIN; i <= SMALL_MAX; i++) {
    const n = changetype<Num>(SMALL + <usize>(i - SMALL_MIN) * SMALL_SIZE);
    n.tag = T_NUMBER;
    n.kind = NUM_F64;
    n.value = <f64>i;
  }
}

export function newNumber(v: f64): usize {
  if (v >= <f64>SMALL_MIN && v <= <f64>SMALL_MAX) {
    const i = <i32>v;
    if (<f64>i == v && !(v == 0 && 1 / v < 0)) return SMALL + <usize>(i - SMALL_MIN) * SMALL_SIZE;
  }
  const n = changetype<Num>(malloc(16));
  n.tag = T_NUMBER;
  n.kind = NUM_F64;
  n.value = v;
  return changetype<usize>(n);
}

@inline
export function newNumberInt(i: i32): usize {
  if (i >= SMALL_MIN && i <= SMALL_MAX) return SMALL + <usize>(i - SMALL_MIN) * SMALL_SIZE;
  return newNumber(<f64>i);
}

export function newNumberText(text: usize, len: usize, approx: f64): usize {
  const n = changetype<Num>(malloc(offsetof<Num>()));
  n.tag = T_NUMBER;
  n.kind = NUM_TEXT;
  n.value = approx;
  n.text = text;
  n.len = <u32>len;
  return changetype<usize>(n);
}

/** An exact integer: an f64 when one holds it, else its decimal text. */
export function newNumberI64(v: i64): usize {
  if (v >= -9007199254740992 && v <= 9007199254740992) return newNumber(<f64>v);
  const p = malloc(20);
  const b = changetype<Buf>(malloc(offsetof<Buf>()));
  b.ptr = p;
  b.len = 0;
  b.cap = 20;
  bufI64(b, v);
  return newNumberText(b.ptr, b.len, <f64>v);
}

export function newNumberU64(v: u64): usize {
  if (v <= <u64>9007199254740992) return newNumber(<f64>v);
  if (v <= <u64>i64.MAX_VALUE) return newNumberI64(<i64>v);
  const b = changetype<Buf>(malloc(offsetof<Buf>()));
  b.ptr = malloc(20);
  b.len = 0;
  b.cap = 20;
  let n: usize = 1;
  for (let t = v; t >= 10; t /= 10) n++;
  let p = b.ptr + n;
  let t = v;
  do {
    p--;
    store<u8>(p, <u8>(48 + <u32>(t % 10)));
    t /= 10;
  } while (t != 0);
  return newNumberText(b.ptr, n, <f64>v);
}

/** A number from JSON-grammar text (validated by the caller). The text is
 *  referenced, not copied, when kept. */
export function numberFromText(p: usize, len: usize): usize {
  // integers of up to 15 digits: exact in f64, the common case
  if (len <= 16) {
    let i: usize = 0;
    let neg = false;
    if (load<u8>(p) == 45) {
      neg = true;
      i = 1;
    }
    let v: i64 = 0;
    let digits = true;
    for (; i < len; i++) {
      const c = <u32>load<u8>(p + i);
      if (c < 48 || c > 57) {
        digits = false;
        break;
      }
      v = v * 10 + <i64>(c - 48);
    }
    if (digits && len - (neg ? 1 : 0) <= 15) return newNumber(neg ? -<f64>v : <f64>v);
  }
  scanDecimal(p, len, 0);
  const neg = decNeg;
  const digits = decDigits;
  const count = decCount;
  const point = decPoint;
  let x = decimalToF64();
  if (neg) x = -x;
  if (count <= 15 && point - <i32>count >= -22 && point - <i32>count <= 22) return newNumber(x);
  // keep the text unless printing x gives back the same decimal
  if (isFinite(x) && x != 0) {
    shortestDigits(Math.abs(x));
    if (compareDecimals(neg, digits, count, point, neg, SHORT_DIGITS, shortCount, shortPoint) == 0) return newNumber(x);
  } else if (x == 0 && count == 0) return newNumber(0);
  return newNumberText(p, len, x);
}

@inline
export function numF64(v: usize): f64 {
  return changetype<Num>(v).value;
}

function textIsInteger(n: Num): bool {
  scanDecimal(n.text, n.len, 0);
  return decPoint >= <i32>decCount;
}

export function numIsInteger(v: usize): bool {
  const n = changetype<Num>(v);
  if (n.kind == NUM_TEXT) return textIsInteger(n);
  const x = n.value;
  return isFinite(x) && Math.trunc(x) == x;
}

/** Set by numToI64: whether the number was an integer that fits in i64. */
export let i64ok: bool = false;

export function numToI64(v: usize): i64 {
  const n = changetype<Num>(v);
  i64ok = false;
  if (n.kind == NUM_F64) {
    const x = n.value;
    if (Math.trunc(x) == x && x >= -9223372036854775808.0 && x < 9223372036854775808.0) {
      i64ok = true;
      return <i64>x;
    }
    return 0;
  }
  scanDecimal(n.text, n.len, 0);
  if (decPoint < <i32>decCount || decPoint > 19) return 0;
  let m: u64 = 0;
  for (let i: u32 = 0; i < <u32>decPoint; i++) {
    const d = <u64>(i < decCount ? load<u8>(decDigits + i) - 48 : 0);
    if (m > (<u64>0xffffffffffffffff - d) / 10) return 0;
    m = m * 10 + d;
  }
  if (decNeg) {
    if (m > <u64>9223372036854775808) return 0;
    i64ok = true;
    return -(<i64>m);
  }
  if (m > <u64>i64.MAX_VALUE) return 0;
  i64ok = true;
  return <i64>m;
}

/** Exact equality of a kept literal with an f64 that it rounds to. */
function textEqualsF64(t: Num, x: f64): bool {
  if (t.value != x) return false;
  if (Math.trunc(x) != x || Math.abs(x) >= 9223372036854775808.0) return false;
  const i = numToI64(changetype<usize>(t));
  return i64ok && i == <i64>x;
}

export function numEqual(a: usize, b: usize): bool {
  const x = changetype<Num>(a);
  const y = changetype<Num>(b);
  if (x.kind == NUM_F64 && y.kind == NUM_F64) return x.value == y.value;
  if (x.value != y.value) return false;
  if (x.kind == NUM_TEXT && y.kind == NUM_TEXT) return numCompareTexts(x, y) == 0;
  return x.kind == NUM_TEXT ? textEqualsF64(x, y.value) : textEqualsF64(y, x.value);
}

function numCompareTexts(x: Num, y: Num): i32 {
  scanDecimal(x.text, x.len, 0);
  const n1 = decNeg;
  const d1 = decDigits;
  const c1 = decCount;
  const p1 = decPoint;
  scanDecimal(y.text, y.len, 1);
  return compareDecimals(n1, d1, c1, p1, decNeg, decDigits, decCount, decPoint);
}

/** A kept literal against the f64 it rounds to: decided on the f64's
 *  shortest decimal, which lies within the same rounding interval. */
function compareTextF64(t: Num, x: f64): i32 {
  if (textEqualsF64(t, x)) return 0;
  scanDecimal(t.text, t.len, 0);
  const n1 = decNeg;
  const d1 = decDigits;
  const c1 = decCount;
  const p1 = decPoint;
  if (x == 0) return c1 == 0 ? 0 : n1 ? -1 : 1;
  shortestDigits(Math.abs(x));
  const r = compareDecimals(n1, d1, c1, p1, x < 0, SHORT_DIGITS, shortCount, shortPoint);
  return r;
}

export function numCompare(a: usize, b: usize): i32 {
  const x = changetype<Num>(a);
  const y = changetype<Num>(b);
  // rounding is monotonic: different approximations order the exact values
  if (x.value < y.value) return -1;
  if (x.value > y.value) return 1;
  if (x.kind == NUM_F64 && y.kind == NUM_F64) return 0;
  if (x.kind == NUM_TEXT && y.kind == NUM_TEXT) return numCompareTexts(x, y);
  return x.kind == NUM_TEXT ? compareTextF64(x, y.value) : -compareTextF64(y, x.value);
}

export function numHash(a: usize): u32 {
  let x = changetype<Num>(a).value;
  if (x == 0) x = 0; // -0
  const bits = reinterpret<u64>(x);
  return <u32>(bits ^ (bits >> 32)) * 0x9e3779b1;
}

// --- printing ----------------------------------------------------------------

function writeDigitsZeros(b: Buf, zeros: i32): void {
  bufReserve(b, <usize>zeros);
  for (let i = 0; i < zeros; i++) bufByte(b, 48);
}

/** Writes an f64 as OPA prints numbers: integers without a decimal point or
 *  exponent, other values in their shortest round-trip form. */
export function writeF64(b: Buf, x: f64): void {
  if (x != x) {
    bufByte(b, 110); bufByte(b, 117); bufByte(b, 108); bufByte(b, 108); // null
    return;
  }
  if (x == 0) {
    bufByte(b, 48);
    return;
  }
  if (Math.trunc(x) == x && Math.abs(x) <= TWO53) {
    bufI64(b, <i64>x);
    return;
  }
  if (!isFinite(x)) {
    // beyond f64: JSON readers turn 1e999 into an infinity
    if (x < 0) bufByte(b, 45);
    bufByte(b, 49); bufByte(b, 101); bufByte(b, 57); bufByte(b, 57); bufByte(b, 57);
    return;
  }
  if (x < 0) bufByte(b, 45);
  shortestDigits(Math.abs(x));
  const n = <i32>shortCount;
  const k = shortPoint;
  bufReserve(b, 32);
  if (Math.trunc(x) == x) {
    bufBytes(b, SHORT_DIGITS, <usize>n);
    writeDigitsZeros(b, k - n);
    return;
  }
  if (k > 0 && k <= 21) {
    bufBytes(b, SHORT_DIGITS, <usize>k);
    bufByte(b, 46);
    bufBytes(b, SHORT_DIGITS + <usize>k, <usize>(n - k));
  } else if (k <= 0 && k > -6) {
    bufByte(b, 48);
    bufByte(b, 46);
    writeDigitsZeros(b, -k);
    bufBytes(b, SHORT_DIGITS, <usize>n);
  } else {
    bufByte(b, load<u8>(SHORT_DIGITS));
    if (n > 1) {
      bufByte(b, 46);
      bufBytes(b, SHORT_DIGITS + 1, <usize>(n - 1));
    }
    bufByte(b, 101);
    const e = k - 1;
    bufByte(b, e < 0 ? 45 : 43);
    bufI64(b, e < 0 ? -e : e);
  }
}

export function writeNumber(b: Buf, v: usize): void {
  const n = changetype<Num>(v);
  if (n.kind == NUM_TEXT) bufBytes(b, n.text, n.len);
  else writeF64(b, n.value);
}
