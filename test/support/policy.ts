// The engine the service tests run on. The policy is test/fixtures/service-policy.rego,
// compiled by writ's own compiler and loaded in the OPA Wasm SDK.
// TEMPORARY: while compileRego cannot build it yet, `standInPolicy` (the same
// rules in JS) runs behind the same PolicyEngine interface; remove it once the
// compiler works (testEngine() then always returns the Wasm engine).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";
import type { PolicyEngine } from "../../src/engine/engine.js";
import { StandInEngine } from "../../src/engine/stand-in.js";
import { WasmPolicyEngine } from "../../src/engine/wasm.js";
import { compileRego } from "../../src/rego/compile.js";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
export const policySource = readFileSync(join(root, "test/fixtures/service-policy.rego"), "utf8");

type Input = {
  action: { action: { kind: string; commands?: { name: string; args: string[] }[]; paths?: string[]; git?: { subcommand: string } }; cost?: { usd?: number } };
  session: { labels: string[]; spend: { usd: number } };
};

export function standInPolicy(i: Input) {
  const a = i.action.action;
  if (a.kind === "shell" && a.commands?.some((c) => c.name === "rm" && c.args.some((x) => x.startsWith("-rf"))))
    return { decision: "deny", reasons: ["destructive shell command"], rule_ids: ["shell.no_rm_rf"] };
  if (a.kind === "network" && i.session.labels.includes("secrets_read")) return { decision: "deny", reasons: ["network after reading secrets"], rule_ids: ["taint.secrets_network"] };
  if (i.session.spend.usd + (i.action.cost?.usd ?? 0) > 1) return { decision: "deny", reasons: ["session budget exhausted"], rule_ids: ["budget.session_usd"] };
  if (a.kind === "git" && a.git?.subcommand === "push") return { decision: "approve", reasons: ["pushing needs a human"], rule_ids: ["git.push_approval"] };
  if (a.kind === "file_read" && a.paths?.some((p) => p.endsWith(".env")))
    return { decision: "allow", reasons: ["reading a secret file"], rule_ids: ["file.secret_read"], labels: ["secrets_read"] };
  return { decision: "allow", reasons: ["no rule objects"], rule_ids: ["default.allow"] };
}

let compiled: Uint8Array | null | undefined;

/** The compiled test policy, or null while the compiler cannot build it. */
export async function compiledPolicy(): Promise<Uint8Array | null> {
  if (compiled === undefined) {
    try {
      compiled = (await compileRego({ modules: [{ path: "service-policy.rego", source: policySource }], entrypoints: ["writ/decision"] })).wasm;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export const usingStandIn = async () => (await compiledPolicy()) === null;

export async function testEngine(revision = "test-1"): Promise<PolicyEngine> {
  const wasm = await compiledPolicy();
  if (!wasm) return new StandInEngine((i) => standInPolicy(i as unknown as Input), revision, createHash("sha256").update(revision).digest("hex"));
  return WasmPolicyEngine.fromBundle({
    manifest: { revision, roots: [""], wasm: [{ entrypoint: "writ/decision", module: "/policy.wasm" }] },
    files: new Map(),
    wasm,
    data: {},
    digest: createHash("sha256").update(wasm).update(revision).digest("hex"),
    signed: true,
  });
}
