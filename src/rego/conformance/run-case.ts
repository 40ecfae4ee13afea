// One conformance case, end to end: compile the modules and the query with
// writ, load the Wasm with OPA's own SDK, evaluate, compare.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { createHostBuiltins } from "../builtins/host.js";
import { compileRego } from "../compile.js";
import type { ConformanceCase } from "./cases.js";
import { canonical, diffResultSets } from "./compare.js";
import { prepareInput } from "./input.js";

export interface CaseOutcome {
  status: "pass" | "fail";
  reason?: string;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === "string" ? e : canonical(e);
}

/** Runs one case. `bare`: load the module with no custom builtins at all,
 *  as the bare SDK would (a case that needs a host builtin then fails). */
export async function runCase(c: ConformanceCase, bare = false): Promise<CaseOutcome> {
  const expectsError = c.want_error_code !== undefined || c.want_error !== undefined;
  const expected = [c.want_error_code, c.want_error].filter((x) => x !== undefined).join(": ");
  let got: unknown;
  try {
    const { query, input } = prepareInput(c);
    const modules = (c.modules ?? []).map((source, i) => ({ path: `test-${i}.rego`, source }));
    const strict = c.strict_error ?? false;
    const { wasm } = await compileRego({ modules, entrypoints: [], queries: { q: query }, strictBuiltinErrors: strict });
    // DNS lookups on (OPA resolves names unasked; writ serves with them off
    // unless the operator allows them); http.send stays off: no case may
    // reach the network
    const policy = bare ? await loadPolicy(wasm) : await loadPolicy(wasm, undefined, createHostBuiltins({ strict, capabilities: { netLookup: true } }));
    policy.setData((c.data ?? {}) as object);
    got = policy.evaluate(input, "q");
  } catch (e) {
    // a stage that does not exist yet is no evidence of the expected error
    if (expectsError && !/not implemented/.test(errorMessage(e))) return { status: "pass" };
    return { status: "fail", reason: `error: ${errorMessage(e)}` };
  }
  if (expectsError) return { status: "fail", reason: `expected error (${expected}), got ${canonical(got)}` };
  const diff = diffResultSets(c.want_result ?? [], got, {
    sortBindings: c.sort_bindings ?? false,
    ignoreGeneratedVars: c.ignore_generated_vars ?? false,
  });
  return diff === undefined ? { status: "pass" } : { status: "fail", reason: diff };
}
