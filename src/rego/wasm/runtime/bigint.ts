// Exact integer arithmetic beyond i64 (OPA computes integers with big.Int):
// integer operands as bignums, the result back as an f64 when one holds it
// exactly, else as decimal text.
import { malloc } from "./alloc";
import {
  big, bigAdd, bigBits, bigCmp, bigCopy, bigDivSmall, bigLen, bigLow64, bigMul, bigMulPow10, bigSetU64, bigSub,
} from "./bignum";
import {
  decCount, decDigits, decimalToF64, decNeg, decPoint, scanDecimal, SHORT_DIGITS, shortCount, shortPoint, shortestDigits,
} from "./decimal";
import { newNumber, newNumberText } from "./num";
import { Num, NUM_TEXT } from "./value";

/** Loads integer number v into bignum b; returns its sign (true:
 *  negative), or sets `tooBig`. */
let tooBig = false;

function loadInt(v: usize, b: usize): bool {
  const n = changetype<Num>(v);
  if (n.kind == NUM_TEXT) {
    scanDecimal(n.text, n.len, 0);
    const neg = decNeg;
    const count = decCount;
    const point = decPoint;
    if (point > 2400) {
      tooBig = true;
      return false;
    }
    bigSetU64(b, 0);
    const tmp = big(7);
    for (let i: u32 = 0; i < count; i++) {
      bigMulPow10(b, 1);
      bigSetU64(tmp, <u64>(load<u8>(decDigits + i) - 48));
      bigAdd(b, b, tmp);
    }
    if (point > <i32>count) bigMulPow10(b, <u32>(point - <i32>count));
    return neg;
  }
  // an integral f64 means the decimal it prints as (1e300 is 10^300)
  const x = Math.abs(n.value);
  if (x <= 9007199254740992) bigSetU64(b, <u64>x);
  else {
    shortestDigits(x);
    bigSetU64(b, 0);
    const tmp = big(7);
    for (let i: u32 = 0; i < shortCount; i++) {
      bigMulPow10(b, 1);
      bigSetU64(tmp, <u64>(load<u8>(SHORT_DIGITS + i) - 48));
      bigAdd(b, b, tmp);
    }
    if (shortPoint > 2400) {
      tooBig = true;
      return false;
    }
    bigMulPow10(b, <u32>(shortPoint - <i32>shortCount));
  }
  return n.value < 0;
}

export const BIG_ADD: i32 = 0;
export const BIG_SUB: i32 = 1;
export const BIG_MUL: i32 = 2;

/** a op b for integer numbers a and b; 0 when the result is too large. */
export function bigIntArith(op: i32, a: usize, b: usize): usize {
  tooBig = false;
  // decimal.ts uses bignums 0-4 and 7 while printing, 4-7 while parsing
  const x = big(5);
  const y = big(6);
  const r = big(0);
  const nx = loadInt(a, x);
  let ny = loadInt(b, y);
  if (tooBig) return 0;
  let neg: bool;
  if (op == BIG_MUL) {
    if (!bigMul(r, x, y)) return 0;
    neg = nx != ny;
  } else {
    if (op == BIG_SUB) ny = !ny;
    if (nx == ny) {
      bigAdd(r, x, y);
      neg = nx;
    } else if (bigCmp(x, y) >= 0) {
      bigCopy(r, x);
      bigSub(r, y);
      neg = nx;
    } else {
      bigCopy(r, y);
      bigSub(r, x);
      neg = ny;
    }
  }
  if (bigLen(r) == 0) return newNumber(0);
  if (bigBits(r) <= 53) {
    const m = <f64>bigLow64(r);
    return newNumber(neg ? -m : m);
  }
  // decimal text, nine digits at a time from the low end
  const digits = malloc(bigLen(r) * 10 + 2);
  const end = digits + bigLen(r) * 10 + 1;
  let p = end;
  while (bigLen(r) > 0) {
    let chunk = bigDivSmall(r, 1000000000);
    const more = bigLen(r) > 0;
    for (let k = 0; k < 9 && (more || chunk != 0); k++) {
      p--;
      store<u8>(p, <u8>(48 + chunk % 10));
      chunk /= 10;
    }
  }
  if (neg) {
    p--;
    store<u8>(p, 45);
  }
  scanDecimal(p, end - p, 0);
  let approx = decimalToF64();
  if (neg) approx = -approx;
  return newNumberText(p, end - p, approx);
}
