// The engine the service tests run on: test/fixtures/service-policy.rego,
// compiled by writ's own compiler and loaded into the OPA Wasm SDK.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";
import type { PolicyEngine } from "../../src/engine/engine.js";
import { WasmPolicyEngine } from "../../src/engine/wasm.js";
import { compileRego } from "../../src/rego/compile.js";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
export const policySource = readFileSync(join(root, "test/fixtures/service-policy.rego"), "utf8");

const compiled = new Map<string, Promise<Uint8Array>>();

/** A Rego source compiled to policy.wasm with the writ/decision entrypoint
 *  (memoised: tests start many services). */
export function compilePolicy(source: string): Promise<Uint8Array> {
  let wasm = compiled.get(source);
  if (!wasm) {
    wasm = compileRego({ modules: [{ path: "policy.rego", source }], entrypoints: ["writ/decision"] }).then((r) => r.wasm);
    compiled.set(source, wasm);
  }
  return wasm;
}

export async function testEngine(revision = "test-1", source = policySource): Promise<PolicyEngine> {
  const wasm = await compilePolicy(source);
  return WasmPolicyEngine.fromBundle({
    manifest: { revision, roots: [""], wasm: [{ entrypoint: "writ/decision", module: "/policy.wasm" }] },
    files: new Map(),
    wasm,
    data: {},
    digest: createHash("sha256").update(wasm).update(revision).digest("hex"),
    signed: true,
  });
}
