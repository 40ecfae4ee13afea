// A one-package policy `package p` whose rule `out` a test reads: compiled by
// writ, loaded into the OPA Wasm SDK with writ's host builtins (strict ones
// when asked), evaluated at entrypoint p/out.
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../../src/index.js";
import { createHostBuiltins, hostBuiltins } from "../../src/rego/builtins/host.js";

export async function compileOut(body: string, strictBuiltinErrors = false): Promise<LoadedPolicy> {
  const { wasm } = await compileRego({ modules: [{ path: "p.rego", source: `package p\n\n${body}\n` }], entrypoints: ["p/out"], strictBuiltinErrors });
  return loadPolicy(wasm, undefined, strictBuiltinErrors ? createHostBuiltins({ strict: true }) : hostBuiltins);
}

/** The value of `out` (undefined when the rule is), for `input`: a value, or
 *  JSON text in an ArrayBuffer (whose numbers stay exact). */
export async function evalOut(body: string, input?: unknown, strict = false): Promise<unknown> {
  const rs = (await compileOut(body, strict)).evaluate(input, "p/out") as { result: unknown }[];
  return rs.length ? rs[0]!.result : undefined;
}
