// Reference implementations of builtins the Wasm runtime provides natively
// (operators, aggregates, sets, types, bits, casts). The runtime's own code
// runs in policies; these serve `writ test` diagnostics and cross-checks.
// Sets arrive as arrays, so set operations read arrays as sets.
import { num, typeError } from "./args.js";
import { builtinError, operandError } from "./errors.js";
import { intValue } from "./decimal.js";
import { compareValues, isObject, toSet, typeName, valuesEqual, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const collection = (v: Value | undefined, pos: number): Value[] => {
  if (!Array.isArray(v)) throw typeError(pos, v, "set", "array");
  return v;
};

function numbers(v: Value | undefined, pos: number): number[] {
  const xs = collection(v, pos);
  for (const x of xs) if (typeof x !== "number" && typeof x !== "bigint") throw operandError(pos, `must be array of numbers but got array containing ${typeName(x)}`);
  return xs.map(Number);
}

/** Integer arithmetic stays exact past 2^53 (bigint); anything else is a double. */
function arith(a: Value | undefined, b: Value | undefined, op: (x: bigint, y: bigint) => bigint, fop: (x: number, y: number) => number): Value {
  const x = typeof a === "bigint" ? a : num(a, 1);
  const y = typeof b === "bigint" ? b : num(b, 2);
  const ints = (typeof x === "bigint" || Number.isInteger(x)) && (typeof y === "bigint" || Number.isInteger(y));
  if (ints) {
    const r = op(BigInt(x), BigInt(y));
    return intValue(r);
  }
  return fop(Number(x), Number(y));
}

function bitsOperand(v: Value | undefined, pos: number): bigint {
  if (typeof v === "bigint") return v;
  const n = num(v, pos);
  if (!Number.isInteger(n)) throw operandError(pos, "must be integer number but got floating-point number");
  return BigInt(n);
}

function shiftAmount(v: Value | undefined): bigint {
  const n = bitsOperand(v, 2);
  if (n < 0n) throw operandError(2, "must be an unsigned integer number but got a negative integer");
  return n;
}

const GO_FLOAT = /^[+-]?(?:\d+(?:_\d+)*\.?\d*(?:_\d+)*|\.\d+)(?:[eE][+-]?\d+)?$/;

function toNumber(v: Value | undefined): Value {
  if (v === null) return 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" || typeof v === "bigint") return v;
  if (typeof v === "string") {
    if (!GO_FLOAT.test(v)) throw builtinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    const n = Number(v.replaceAll("_", ""));
    if (!Number.isFinite(n)) throw builtinError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: value out of range`);
    return n;
  }
  throw typeError(1, v, "null", "boolean", "number", "string");
}

const cmp = (f: (c: number) => boolean) => (a: Value | undefined, b: Value | undefined) => f(compareValues(a ?? null, b ?? null));

export const coreBuiltins: Record<string, BuiltinImpl> = {
  // operators
  plus: (a, b) => arith(a, b, (x, y) => x + y, (x, y) => x + y),
  mul: (a, b) => arith(a, b, (x, y) => x * y, (x, y) => x * y),
  minus(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) return toSet(a.filter((x) => !b.some((y) => valuesEqual(x, y))));
    if (Array.isArray(a)) throw typeError(2, b, "set");
    if (Array.isArray(b)) throw typeError(2, b, "number");
    return arith(a, b, (x, y) => x - y, (x, y) => x - y);
  },
  div(a, b) {
    const y = typeof b === "bigint" ? Number(b) : num(b, 2);
    num(a, 1);
    if (y === 0) throw builtinError("divide by zero");
    const x = Number(a);
    return x / y;
  },
  rem(a, b) {
    const x = typeof a === "bigint" ? a : num(a, 1);
    const y = typeof b === "bigint" ? b : num(b, 2);
    if (!(typeof x === "bigint" || Number.isInteger(x)) || !(typeof y === "bigint" || Number.isInteger(y))) throw builtinError("modulo on floating-point number");
    if (BigInt(y) === 0n) throw builtinError("modulo by zero");
    return intValue(BigInt(x) % BigInt(y));
  },
  equal: cmp((c) => c === 0),
  neq: cmp((c) => c !== 0),
  lt: cmp((c) => c < 0),
  lte: cmp((c) => c <= 0),
  gt: cmp((c) => c > 0),
  gte: cmp((c) => c >= 0),
  // sets
  and: (a, b) => toSet(collection(a, 1).filter((x) => collection(b, 2).some((y) => valuesEqual(x, y)))),
  or: (a, b) => toSet([...collection(a, 1), ...collection(b, 2)]),
  set_diff: (a, b) => toSet(collection(a, 1).filter((x) => !collection(b, 2).some((y) => valuesEqual(x, y)))),
  intersection(sets) {
    const list = collection(sets, 1).map((s) => collection(s, 1));
    if (list.length === 0) return [];
    return toSet(list[0]!.filter((x) => list.every((s) => s.some((y) => valuesEqual(x, y)))));
  },
  union: (sets) => toSet(collection(sets, 1).flatMap((s) => collection(s, 1))),
  // aggregates
  count(v) {
    if (typeof v === "string") return Array.from(v).length;
    if (Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw typeError(1, v, "array", "object", "set", "string");
  },
  sum: (v) => numbers(v, 1).reduce((a, b) => a + b, 0),
  product: (v) => numbers(v, 1).reduce((a, b) => a * b, 1),
  max: (v) => collection(v, 1).reduce<Value | undefined>((m, x) => (m === undefined || compareValues(x, m) > 0 ? x : m), undefined),
  min: (v) => collection(v, 1).reduce<Value | undefined>((m, x) => (m === undefined || compareValues(x, m) < 0 ? x : m), undefined),
  sort: (v) => [...collection(v, 1)].sort(compareValues),
  all: (v) => collection(v, 1).every((x) => x === true),
  any: (v) => collection(v, 1).some((x) => x === true),
  // types
  type_name: (v) => typeName(v),
  is_number: (v) => typeof v === "number" || typeof v === "bigint",
  is_string: (v) => typeof v === "string",
  is_boolean: (v) => typeof v === "boolean",
  is_array: (v) => Array.isArray(v),
  is_set: (v) => Array.isArray(v),
  is_object: (v) => isObject(v),
  is_null: (v) => v === null,
  to_number: (v) => toNumber(v),
  cast_array: (v) => (Array.isArray(v) ? v : undefined),
  cast_set: (v) => (Array.isArray(v) ? toSet(v) : undefined),
  cast_string: (v) => (typeof v === "string" ? v : undefined),
  cast_boolean: (v) => (typeof v === "boolean" ? v : undefined),
  cast_null: (v) => (v === null ? null : undefined),
  cast_object: (v) => (isObject(v) ? v : undefined),
  // bits
  "bits.or": (a, b) => intValue(bitsOperand(a, 1) | bitsOperand(b, 2)),
  "bits.and": (a, b) => intValue(bitsOperand(a, 1) & bitsOperand(b, 2)),
  "bits.xor": (a, b) => intValue(bitsOperand(a, 1) ^ bitsOperand(b, 2)),
  "bits.negate": (a) => intValue(~bitsOperand(a, 1)),
  "bits.lsh": (a, b) => intValue(bitsOperand(a, 1) << shiftAmount(b)),
  "bits.rsh": (a, b) => intValue(bitsOperand(a, 1) >> shiftAmount(b)),

  // membership: `x in xs` and `k, v in xs` (false, not an error, for a
  // non-collection); an object's values, an array's (or set's) elements
  "internal.member_2": (x, c) => {
    if (Array.isArray(c)) return c.some((e) => valuesEqual(e, x ?? null));
    if (isObject(c)) return Object.values(c).some((e) => valuesEqual(e, x ?? null));
    return false;
  },
  "internal.member_3": (k, v, c) => {
    if (Array.isArray(c)) return typeof k === "number" && Number.isInteger(k) && k >= 0 && k < c.length && valuesEqual(c[k]!, v ?? null);
    if (isObject(c)) return typeof k === "string" && k in c && valuesEqual(c[k]!, v ?? null);
    return false;
  },
  // walk(x): every [path, value] pair, the root first, then depth-first with
  // object keys in Rego's order, as OPA's walk yields them
  walk(x) {
    const out: Value[] = [];
    const visit = (v: Value, path: Value[]) => {
      out.push([path, v]);
      if (Array.isArray(v)) v.forEach((e, i) => visit(e, [...path, i]));
      else if (isObject(v)) for (const k of Object.keys(v).sort((a, b) => compareValues(a, b))) visit(v[k]!, [...path, k]);
    };
    visit(x ?? null, []);
    return out;
  },
};

