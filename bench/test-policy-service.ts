// TEMPORARY target for `npm run bench:decide` while bundles/example.tar.gz
// cannot be built yet: the same service (signing and durable audit on) over
// test/fixtures/engine-policy.rego compiled to Wasm by writ's compiler — or,
// while the compiler cannot build it either, the JS stand-in of the service
// tests (said so in the output). Prints the URL and an agent token like
// `writ serve` does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { Service } from "../src/server/service.js";
import { WasmPolicyEngine } from "../src/engine/wasm.js";
import { compileRego } from "../src/rego/compile.js";
import { testEngine, root } from "../test/support/policy.js";
import type { PolicyEngine } from "../src/engine/engine.js";

const source = readFileSync(join(root, "test/fixtures/engine-policy.rego"), "utf8");
let load: () => Promise<PolicyEngine>;
let what: string;
try {
  const { wasm } = await compileRego({ modules: [{ path: "engine-policy.rego", source }], entrypoints: ["writ/decision"] });
  const digest = createHash("sha256").update(wasm).digest("hex");
  load = () => WasmPolicyEngine.fromBundle({ manifest: { revision: "bench", roots: [""] }, files: new Map(), wasm, data: { policy: { taint_label: "secrets_read" } }, digest, signed: true });
  what = "test/fixtures/engine-policy.rego compiled to Wasm";
} catch {
  load = () => testEngine("bench");
  what = "STAND-IN (JS policy, not Wasm: the compiler cannot build the test policy yet)";
}
const svc = await Service.start({ dataDir: process.argv[2]!, port: 0, loadEngine: load });
process.stdout.write(`writ serve: ${svc.url} bundle ${what}\n`);
process.stdout.write(`agent token for bench-agent: ${svc.credentials.issue("bench-agent")}\n`);
process.on("SIGTERM", () => void svc.close().then(() => process.exit(0)));
