// Number builtins that the Wasm runtime may not provide natively.
import { int, num } from "./args.js";
import { builtinError } from "./errors.js";
import type { BuiltinImpl } from "./types.js";
import type { Value } from "./values.js";

function range(from: number, to: number, step: number): Value[] {
  const out: number[] = [];
  if (from <= to) for (let i = from; i <= to; i += step) out.push(i);
  else for (let i = from; i >= to; i -= step) out.push(i);
  return out;
}

/** OPA rounds halves away from zero (big.Float semantics), unlike Math.round. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

export const numberBuiltins: Record<string, BuiltinImpl> = {
  "numbers.range": (a, b) => range(int(a, 1), int(b, 2), 1),
  "numbers.range_step"(a, b, s) {
    const from = int(a, 1);
    const to = int(b, 2);
    const step = int(s, 3);
    if (step <= 0) throw builtinError("step must be a positive integer");
    return range(from, to, step);
  },
  abs: (x) => (typeof x === "bigint" ? (x < 0n ? -x : x) : Math.abs(num(x, 1))),
  round: (x) => (typeof x === "bigint" ? x : roundHalfAway(num(x, 1))),
  ceil: (x) => (typeof x === "bigint" ? x : Math.ceil(num(x, 1))),
  floor: (x) => (typeof x === "bigint" ? x : Math.floor(num(x, 1))),
};
