// Operand checks that fail the way OPA's builtins package does, with
// messages like "operand 1 must be string but got number".
import { operandError } from "./errors.js";
import { isObject, typeName, type ObjectValue, type Value } from "./values.js";

/** "must be X but got Y" / "must be one of {X, Y} but got Z" */
export function typeError(pos: number, got: unknown, ...expected: string[]) {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(", ")}}`;
  return operandError(pos, `must be ${want} but got ${typeName(got)}`);
}

export function str(v: unknown, pos: number): string {
  if (typeof v !== "string") throw typeError(pos, v, "string");
  return v;
}

export function num(v: unknown, pos: number): number {
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "number") throw typeError(pos, v, "number");
  return v;
}

/** An integer operand (OPA's IntOperand). */
export function int(v: unknown, pos: number): number {
  const n = num(v, pos);
  if (!Number.isInteger(n)) throw operandError(pos, "must be integer number but got floating-point number");
  return n;
}

export function obj(v: unknown, pos: number): ObjectValue {
  if (!isObject(v)) throw typeError(pos, v, "object");
  return v;
}

export function arr(v: unknown, pos: number): Value[] {
  if (!Array.isArray(v)) throw typeError(pos, v, "array");
  return v as Value[];
}

export function bool(v: unknown, pos: number): boolean {
  if (typeof v !== "boolean") throw typeError(pos, v, "boolean");
  return v;
}

/** An array or set of strings (OPA's StringSliceOperand; sets arrive as arrays). */
export function strings(v: unknown, pos: number): string[] {
  if (!Array.isArray(v)) throw typeError(pos, v, "array", "set");
  for (const x of v) {
    if (typeof x !== "string") throw operandError(pos, `must be array of strings but got array containing ${typeName(x)}`);
  }
  return v as string[];
}
