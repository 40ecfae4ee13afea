// bits.and bits.or bits.xor bits.negate bits.lsh bits.rsh on integers.
import { beginError, ERR_TYPE } from "../errors";
import { bufAscii } from "../buf";
import { newNumber, newNumberI64, newNumberU64 } from "../num";
import { intOperand, operandOk } from "./operands";

export function writ_bi_bits_and(a: usize, b: usize): usize {
  const x = intOperand("bits.and", a, 1);
  if (!operandOk) return 0;
  const y = intOperand("bits.and", b, 2);
  if (!operandOk) return 0;
  return newNumberI64(x & y);
}

export function writ_bi_bits_or(a: usize, b: usize): usize {
  const x = intOperand("bits.or", a, 1);
  if (!operandOk) return 0;
  const y = intOperand("bits.or", b, 2);
  if (!operandOk) return 0;
  return newNumberI64(x | y);
}

export function writ_bi_bits_xor(a: usize, b: usize): usize {
  const x = intOperand("bits.xor", a, 1);
  if (!operandOk) return 0;
  const y = intOperand("bits.xor", b, 2);
  if (!operandOk) return 0;
  return newNumberI64(x ^ y);
}

export function writ_bi_bits_negate(a: usize): usize {
  const x = intOperand("bits.negate", a, 1);
  if (!operandOk) return 0;
  return newNumberI64(~x);
}

function shiftCount(name: string, b: usize): i64 {
  const n = intOperand(name, b, 2);
  if (!operandOk) return -1;
  if (n < 0) {
    bufAscii(beginError(ERR_TYPE, name), "operand 2 must be an unsigned integer number but got a negative integer");
    return -1;
  }
  return n;
}

export function writ_bi_bits_lsh(a: usize, b: usize): usize {
  const x = intOperand("bits.lsh", a, 1);
  if (!operandOk) return 0;
  const n = shiftCount("bits.lsh", b);
  if (n < 0) return 0;
  if (x == 0) return newNumber(0);
  if (n < 64) {
    if (x > 0) {
      const u = <u64>x;
      if (n == 0 || (u >> (64 - <u64>n)) == 0) return newNumberU64(u << <u64>n);
    } else {
      const r = x << n;
      if (r >> n == x) return newNumberI64(r);
    }
  }
  // beyond 64 bits: the nearest f64
  return newNumber(<f64>x * Math.pow(2, <f64>n));
}

export function writ_bi_bits_rsh(a: usize, b: usize): usize {
  const x = intOperand("bits.rsh", a, 1);
  if (!operandOk) return 0;
  const n = shiftCount("bits.rsh", b);
  if (n < 0) return 0;
  return newNumberI64(x >> (n > 63 ? 63 : n));
}
