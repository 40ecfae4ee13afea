// Every builtin writ knows, with OPA's declared types (from OPA's
// capabilities), used by the parser (infix operators), the type checker, the
// planner (arity, relations) and the Wasm emitter (host builtin ids).
// (Seed: filled in by the builtins work.)

/** OPA's type language for builtin declarations. */
export type BType =
  | { type: "any"; of?: BType[] }
  | { type: "null" }
  | { type: "boolean" }
  | { type: "number" }
  | { type: "string" }
  | { type: "array"; static?: BType[]; dynamic?: BType }
  | { type: "object"; static?: { key: string; value: BType }[]; dynamic?: { key: BType; value: BType } }
  | { type: "set"; of: BType }
  | { type: "function"; args: BType[]; result?: BType; variadic?: BType };

export interface BuiltinInfo {
  name: string;
  args: BType[];
  /** absent for builtins with no output (e.g. `print`) */
  result?: BType;
  /** extra arguments of this type may follow `args` (print) */
  variadic?: BType;
  /** the operator spelling, e.g. "+" for plus */
  infix?: string;
  deprecated?: boolean;
  /** may produce several results (walk): the planner scans them */
  relation?: boolean;
  /** time.now_ns, rand.intn, http.send, uuid.rfc4122, … */
  nondeterministic?: boolean;
}

const num: BType = { type: "number" };
const str: BType = { type: "string" };
const bool: BType = { type: "boolean" };
const any: BType = { type: "any" };
const anySet: BType = { type: "set", of: any };

export const builtinCatalog: Record<string, BuiltinInfo> = Object.fromEntries(
  (
    [
      { name: "equal", args: [any, any], result: bool, infix: "==" },
      { name: "neq", args: [any, any], result: bool, infix: "!=" },
      { name: "lt", args: [any, any], result: bool, infix: "<" },
      { name: "lte", args: [any, any], result: bool, infix: "<=" },
      { name: "gt", args: [any, any], result: bool, infix: ">" },
      { name: "gte", args: [any, any], result: bool, infix: ">=" },
      { name: "plus", args: [num, num], result: num, infix: "+" },
      { name: "minus", args: [{ type: "any", of: [num, anySet] }, { type: "any", of: [num, anySet] }], result: { type: "any", of: [num, anySet] }, infix: "-" },
      { name: "mul", args: [num, num], result: num, infix: "*" },
      { name: "div", args: [num, num], result: num, infix: "/" },
      { name: "rem", args: [num, num], result: num, infix: "%" },
      { name: "and", args: [anySet, anySet], result: anySet, infix: "&" },
      { name: "or", args: [anySet, anySet], result: anySet, infix: "|" },
      { name: "count", args: [any], result: num },
      { name: "internal.member_2", args: [any, any], result: bool, infix: "in" },
      { name: "internal.member_3", args: [any, any, any], result: bool, infix: "in" },
      { name: "startswith", args: [str, str], result: bool },
      { name: "endswith", args: [str, str], result: bool },
      { name: "contains", args: [str, str], result: bool },
      { name: "walk", args: [any], result: { type: "array", static: [{ type: "array", dynamic: any }, any] }, relation: true },
      { name: "print", args: [], variadic: any },
    ] satisfies BuiltinInfo[]
  ).map((b) => [b.name, b]),
);
