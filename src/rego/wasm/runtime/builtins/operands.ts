// Operand checks shared by the builtins, with OPA's error wording.
import { beginError, ERR_TYPE, operandError } from "../errors";
import { bufAscii, bufI64 } from "../buf";
import { i64ok, numIsInteger, numToI64 } from "../num";
import { T_NUMBER, T_STRING } from "../value";

@inline
export function isType(v: usize, tag: u32): bool {
  return v != 0 && load<u32>(v) == tag;
}

/** Set by intOperand: whether the operand was usable. */
export let operandOk: bool = false;

/** An integer operand (OPA's IntOperand): a number without a fraction that
 *  fits in i64. */
export function intOperand(builtin: string, v: usize, pos: i32): i64 {
  operandOk = false;
  if (!isType(v, T_NUMBER)) {
    operandError(builtin, pos, "number", v);
    return 0;
  }
  if (!numIsInteger(v)) {
    const b = beginError(ERR_TYPE, builtin);
    bufAscii(b, "operand ");
    bufI64(b, pos);
    bufAscii(b, " must be integer number but got floating-point number");
    return 0;
  }
  const i = numToI64(v);
  if (!i64ok) {
    const b = beginError(ERR_TYPE, builtin);
    bufAscii(b, "operand ");
    bufI64(b, pos);
    bufAscii(b, " must be integer number but got a number out of range");
    return 0;
  }
  operandOk = true;
  return i;
}

/** Checks a string operand; returns false (with the error set) otherwise. */
export function stringOperand(builtin: string, v: usize, pos: i32): bool {
  if (isType(v, T_STRING)) return true;
  operandError(builtin, pos, "string", v);
  return false;
}

export function numberOperand(builtin: string, v: usize, pos: i32): bool {
  if (isType(v, T_NUMBER)) return true;
  operandError(builtin, pos, "number", v);
  return false;
}
