// Calls with the wrong number of arguments, reported as OPA's
// CheckUndefinedFuncs does (before safety, so with the types the arguments
// have on their own): a builtin's "arity mismatch" with have/want lines, a
// Rego function's "function data.a.f has arity 1, got 2 arguments".
import type { Term } from "../ast.js";
import type { BuiltinInfo } from "../builtins/catalog.js";
import { fromBType } from "./typecheck/builtins.js";
import { TypeEnv } from "./typecheck/env.js";
import { argError } from "./typecheck/errors.js";
import { ANY, type Maybe } from "./typecheck/types.js";
import { termText } from "../parser/print.js";

/** Types of arguments before any variable is known: data and input are any. */
const bare = new TypeEnv({ dataType: () => ANY, comprehensionType: () => undefined });

/** A call passes the function's arguments, and — as an expression of its
 *  own (`statement`) — optionally a variable for the result. As a value
 *  inside an expression it passes exactly the arguments (OPA adds the result
 *  variable itself). Returns the problem's message, if any. */
export function arityProblem(fn: { name: string; arity: number; builtin?: BuiltinInfo }, args: readonly Term[], statement: boolean): string | undefined {
  const given = args.length;
  if (given === fn.arity || (statement && given === fn.arity + 1)) return undefined;
  if (!fn.builtin) return `function ${fn.name} has arity ${fn.arity}, got ${given} argument${given === 1 ? "" : "s"}`;
  const have: Maybe[] = args.map((a) => (a.type === "var" ? undefined : bare.typeOf(a)));
  if (!statement) have.push(undefined); // the result variable OPA added
  const want = { args: fn.builtin.args.map(fromBType) };
  return argError(args[0]?.loc ?? { file: "", row: 0, col: 0 }, fn.name, "arity mismatch", have, want, false).message;
}

/** A function without a result (print) called where a value is needed
 *  (OPA's CheckVoidCalls): `x := print(1)`. */
export function voidCallProblem(fn: { name: string; builtin?: BuiltinInfo }, args: readonly Term[], statement: boolean): string | undefined {
  if (statement || !fn.builtin || fn.builtin.result !== undefined) return undefined;
  const shown = args.map((a) => termText(a));
  return `${fn.name}(${shown.join(", ")}) used as value`;
}
