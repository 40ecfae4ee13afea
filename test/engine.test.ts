// The engine on real Wasm: writ's compiler → policy.wasm → the unmodified OPA
// SDK (with writ's host builtins), and hot swap. Skipped until compileRego can
// build the policy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { compileRego } from "../src/rego/compile.js";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { WasmPolicyEngine } from "../src/engine/wasm.js";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import { EngineHolder, type EngineEvent } from "../src/engine/holder.js";
import { verdictFromResultSet } from "../src/decide/verdict.js";
import { root } from "./support/policy.js";
import type { Bundle } from "../src/bundle/types.js";

const source = readFileSync(join(root, "test/fixtures/engine-policy.rego"), "utf8");
let wasm: Uint8Array | undefined;
let missing: string | undefined;
try {
  wasm = (await compileRego({ modules: [{ path: "engine-policy.rego", source }], entrypoints: ["writ/decision"] })).wasm;
} catch (err) {
  missing = `compileRego cannot build the engine policy yet: ${(err as Error).message.split("\n")[0]}`;
}

const bundle = (revision: string, data: Record<string, unknown> = { policy: { taint_label: "secrets_read" } }): Bundle => ({
  manifest: { revision, roots: [""], wasm: [{ entrypoint: "writ/decision", module: "/policy.wasm" }] },
  files: new Map(),
  wasm: wasm!,
  data,
  digest: createHash("sha256").update(revision).digest("hex"),
  signed: true,
});

const input = (over: { commands?: unknown[]; kind?: string; labels?: string[] } = {}) =>
  JSON.stringify({
    action: { harness: "h", session_id: "s", event: "pre_tool_use", tool: "Bash", action: { kind: over.kind ?? "shell", commands: over.commands ?? [] } },
    agent: { id: "agent-1" },
    session: { id: "s", labels: over.labels ?? [], counters: { total: 0 }, spend: { usd: 0, tokens: 0, tool_calls: 0 }, started_at: "2026-01-01T00:00:00Z" },
    now: "2026-01-01T00:00:00Z",
  });

test("a compiled bundle evaluates in the OPA SDK: input as JSON text, data from the bundle", { skip: missing }, async () => {
  const engine = await WasmPolicyEngine.fromBundle(bundle("r1"));
  assert.equal(engine.revision, "r1");
  const rm = verdictFromResultSet(engine.evaluate(input({ commands: [{ program: "rm", name: "rm", args: ["-rf", "/"] }] })));
  assert.deepEqual(rm, { decision: "deny", reasons: ["destructive shell command"], rule_ids: ["shell.no_rm_rf"] });
  const read = verdictFromResultSet(engine.evaluate(input({ kind: "file_read" })));
  assert.deepEqual(read, { decision: "allow", reasons: ["reads are fine"], rule_ids: ["file.read"], labels: ["read_something"] });
  // data comes from the bundle: the taint label is configured there
  assert.equal(verdictFromResultSet(engine.evaluate(input({ kind: "file_read", labels: ["secrets_read"] }))).rule_ids[0], "taint");
  const other = await WasmPolicyEngine.fromBundle(bundle("r2", { policy: { taint_label: "other" } }));
  assert.equal(verdictFromResultSet(other.evaluate(input({ kind: "file_read", labels: ["secrets_read"] }))).decision, "allow");
  assert.equal(verdictFromResultSet(engine.evaluate(input({ kind: "network" }))).rule_ids[0], "default.deny");
});

test("the engine's own marshaling around the SDK instance answers as the SDK's evaluate does", { skip: missing }, async () => {
  const engine = await WasmPolicyEngine.fromBundle(bundle("r1"));
  assert.equal(engine.marshaling, "engine", "the SDK instance has the fields the engine's path reads");
  const sdk = await loadPolicy(wasm!, undefined, hostBuiltins);
  sdk.setData({ policy: { taint_label: "secrets_read" } });
  const ep = (sdk.entrypoints as Record<string, number>)["writ/decision"]!;
  const inputs = [
    input({ commands: [{ program: "rm", name: "rm", args: ["-rf", "/"] }] }),
    input({ kind: "file_read" }),
    input({ kind: "file_read", labels: ["secrets_read"] }),
    // non-ASCII in and out, and an input larger than the module's memory
    // (the engine grows it first)
    input({ kind: "file_read", labels: ["ünïcödé ✓ 日本"] }),
    input({ commands: [{ program: "echo", name: "echo", args: ["x".repeat(3_000_000)] }] }),
    input({ kind: "network" }),
  ];
  for (const text of inputs) {
    assert.deepEqual(engine.evaluate(text), sdk.evaluate(JSON.parse(text), ep), text.slice(0, 120));
  }
});

test("a bundle without the decision entrypoint is refused", { skip: missing }, async () => {
  await assert.rejects(WasmPolicyEngine.fromBundle(bundle("r1"), "writ/other"), /no entrypoint "writ\/other"/);
});

test("hot swap keeps the old engine when the new bundle fails, and reports both", { skip: missing }, async () => {
  const events: EngineEvent[] = [];
  let next: () => Promise<WasmPolicyEngine> = () => WasmPolicyEngine.fromBundle(bundle("r1"));
  const holder = await EngineHolder.start(() => next(), (e) => events.push(e));
  assert.equal(holder.current.revision, "r1");
  next = () => WasmPolicyEngine.fromBundle({ ...bundle("r2"), wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) });
  const refused = await holder.reload();
  assert.equal(refused.kind, "rejected");
  assert.equal(holder.current.revision, "r1");
  next = () => WasmPolicyEngine.fromBundle(bundle("r3"));
  await holder.reload();
  assert.equal(holder.current.revision, "r3");
  assert.deepEqual(events.map((e) => e.kind), ["loaded", "rejected", "loaded"]);
});

test("network builtins are refused in decisions unless the engine allows the network", { skip: missing }, async () => {
  // localhost resolves from /etc/hosts: no outside network needed
  const src = 'package writ\n\ndefault decision := "refused"\n\ndecision := "resolved" if count(net.lookup_ip_addr("localhost")) > 0\n';
  const netWasm = (await compileRego({ modules: [{ path: "net.rego", source: src }], entrypoints: ["writ/decision"] })).wasm;
  const b = { ...bundle("net"), wasm: netWasm };
  const result = async (allowNetwork: boolean) => ((await WasmPolicyEngine.fromBundle(b, undefined, { allowNetwork })).evaluate(input()) as { result: unknown }[])[0]!.result;
  assert.equal(await result(false), "refused");
  assert.equal(await result(true), "resolved");
});
