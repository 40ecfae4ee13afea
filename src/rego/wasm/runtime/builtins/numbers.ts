// to_number, numbers.range and numbers.range_step.
import { malloc } from "../alloc";
import { beginError, builtinError, ERR_BUILTIN, ERR_TYPE, operandError } from "../errors";
import { bufAscii, bufBytes, bufByte } from "../buf";
import { i64ok, newNumberI64, newNumberInt, numberFromText, numF64, numIsInteger, numToI64 } from "../num";
import { Bool, Str, T_BOOLEAN, T_NULL, T_NUMBER, T_STRING, arrayAppend, newArray } from "../value";
import { intOperand, operandOk } from "./operands";

function lowerAscii(c: u32): u32 {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Whether the text (after an optional sign) spells inf/infinity/nan. */
function isInfOrNaN(p: usize, n: usize): bool {
  let i: usize = 0;
  if (n > 0 && (load<u8>(p) == 43 || load<u8>(p) == 45)) i = 1;
  const rest = n - i;
  if (rest != 3 && rest != 8) return false;
  const a = lowerAscii(load<u8>(p + i));
  const b = lowerAscii(load<u8>(p + i + 1));
  const c = lowerAscii(load<u8>(p + i + 2));
  if (rest == 3) return (a == 105 && b == 110 && c == 102) || (a == 110 && b == 97 && c == 110);
  return a == 105 && b == 110 && c == 102 && lowerAscii(load<u8>(p + i + 3)) == 105; // "infi..."
}

/** Parses Go ParseFloat's decimal syntax ([+-]digits[.digits][e[+-]digits],
 *  with either side of the point optional) into JSON number text; 0 when
 *  invalid. */
function normaliseDecimal(p: usize, n: usize): usize {
  const out = malloc(n + 2);
  let o = out;
  let i: usize = 0;
  if (i < n && (load<u8>(p) == 43 || load<u8>(p) == 45)) {
    if (load<u8>(p) == 45) store<u8>(o++, 45);
    i++;
  }
  const intStart = i;
  while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) i++;
  const intDigits = i - intStart;
  let fracDigits: usize = 0;
  let fracStart: usize = 0;
  if (i < n && load<u8>(p + i) == 46) {
    i++;
    fracStart = i;
    while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) i++;
    fracDigits = i - fracStart;
  }
  if (intDigits == 0 && fracDigits == 0) return 0;
  // integer part without leading zeros (JSON), "0" when empty
  let s = intStart;
  while (s < intStart + intDigits - 1 && load<u8>(p + s) == 48) s++;
  if (intDigits == 0) store<u8>(o++, 48);
  else {
    memory.copy(o, p + s, intStart + intDigits - s);
    o += intStart + intDigits - s;
  }
  if (fracDigits > 0) {
    store<u8>(o++, 46);
    memory.copy(o, p + fracStart, fracDigits);
    o += fracDigits;
  }
  if (i < n && (load<u8>(p + i) | 0x20) == 101) {
    store<u8>(o++, 101);
    i++;
    if (i < n && (load<u8>(p + i) == 43 || load<u8>(p + i) == 45)) store<u8>(o++, load<u8>(p + i++));
    const e0 = i;
    while (i < n && load<u8>(p + i) >= 48 && load<u8>(p + i) <= 57) store<u8>(o++, load<u8>(p + i++));
    if (i == e0) return 0;
  }
  if (i != n) return 0;
  normalisedLength = o - out;
  return out;
}

let normalisedLength: usize = 0;

export function writ_bi_to_number(v: usize): usize {
  if (v == 0) return 0;
  switch (load<u32>(v)) {
    case T_NULL:
      return newNumberInt(0);
    case T_BOOLEAN:
      return newNumberInt(changetype<Bool>(v).value ? 1 : 0);
    case T_NUMBER:
      return v;
    case T_STRING: {
      const s = changetype<Str>(v);
      if (isInfOrNaN(s.ptr, s.len)) {
        bufAscii(beginError(ERR_TYPE, "to_number"), "operand 1 must be a finite number");
        return 0;
      }
      const t = normaliseDecimal(s.ptr, s.len);
      if (t == 0) {
        const b = beginError(ERR_BUILTIN, "to_number");
        bufAscii(b, "strconv.ParseFloat: parsing ");
        bufByte(b, 34);
        bufBytes(b, s.ptr, s.len);
        bufByte(b, 34);
        bufAscii(b, ": invalid syntax");
        return 0;
      }
      return numberFromText(t, normalisedLength);
    }
  }
  return operandError("to_number", 1, "one of {null, boolean, number, string}", v);
}

export function writ_bi_numbers_range(a: usize, b: usize): usize {
  const x = intOperand("numbers.range", a, 1);
  if (!operandOk) return 0;
  const y = intOperand("numbers.range", b, 2);
  if (!operandOk) return 0;
  return rangeOf("numbers.range", x, y, 1);
}

export function writ_bi_numbers_range_step(a: usize, b: usize, s: usize): usize {
  const x = intOperand("numbers.range_step", a, 1);
  if (!operandOk) return 0;
  const y = intOperand("numbers.range_step", b, 2);
  if (!operandOk) return 0;
  let step: i64;
  if (isStepBeyondI64(s)) step = numF64(s) > 0 ? i64.MAX_VALUE : -1; // a big.Int in OPA
  else {
    step = intOperand("numbers.range_step", s, 3);
    if (!operandOk) return 0;
  }
  if (step <= 0) return builtinError("numbers.range_step", "step must be a positive integer");
  return rangeOf("numbers.range_step", x, y, step);
}

function isStepBeyondI64(s: usize): bool {
  if (s == 0 || load<u32>(s) != T_NUMBER || !numIsInteger(s)) return false;
  numToI64(s);
  return !i64ok;
}

/** x, x ± step, … up to y (towards y, y included when reached). */
function rangeOf(name: string, x: i64, y: i64, step: i64): usize {
  const span = <u64>(x <= y ? y - x : x - y);
  const n = span / <u64>step + 1;
  if (n > 100000000) return builtinError(name, "range too large");
  const out = newArray(<u32>n);
  const dir: i64 = x <= y ? step : -step;
  let i = x;
  for (let k: u64 = 0; k < n; k++, i += dir) arrayAppend(out, newNumberI64(i));
  return out;
}
