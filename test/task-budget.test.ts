// A task contract's total_budget through the real service: the task's use is
// counted over every session (a new session id starts the session's budget
// afresh, not the task's), reserved in the same step as the evaluation,
// rebuilt after a restart from the log and from the snapshot, and set back
// to zero only by an operator, in the audit log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { buildPolicyBundle } from "../src/contract/build.js";
import { readBundle } from "../src/bundle/index.js";
import { WasmPolicyEngine } from "../src/engine/wasm.js";
import { generateSigningKeyPair } from "../src/sign/keys.js";
import { restartTwice, startTestService, tempDir, type TestService } from "./support/service.js";
import { UsageStore } from "../src/decide/usage.js";
import { Metrics } from "../src/server/metrics.js";
import { root } from "./support/policy.js";

const run = promisify(execFile);
const writ = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [join(root, "bin/writ.js"), ...args], { env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const keys = generateSigningKeyPair();

async function taskEngine(dir: string) {
  mkdirSync(join(dir, "manifests"), { recursive: true });
  mkdirSync(join(dir, "contracts"), { recursive: true });
  writeFileSync(
    join(dir, "manifests/agent-1.yaml"),
    "kind: CapabilityManifest\nagent_id: agent-1\nowner: team@acme.example\ntools:\n  - { name: Read, access: read-only }\nfilesystem:\n  read: [\"**\"]\nmemory: { scope: none }\n",
  );
  writeFileSync(
    join(dir, "contracts/task.yaml"),
    [
      "kind: TaskContract",
      "id: task",
      "owner: team@acme.example",
      "on_behalf_of: someone@acme.example",
      "agents: [agent-1]",
      "repo: { url: https://example.invalid/r, branch: main }",
      'paths: { allowed: ["src/**"] }',
      "tools: [Read]",
      "intended_change: A change.",
      "budget: { tool_calls: 100 }",
      "total_budget: { tool_calls: 3 }",
      "expires_at: 2099-01-01T00:00:00Z",
      "",
    ].join("\n"),
  );
  const built = await buildPolicyBundle({ manifests: [join(dir, "manifests")], contracts: [join(dir, "contracts")], signingKey: keys.privateKey });
  const bundle = readBundle(built.bytes, { publicKey: keys.publicKey });
  return () => WasmPolicyEngine.fromBundle(bundle);
}

const read = (session: string) => ({ harness: "claude-code", session_id: session, event: "pre_tool_use", tool: "Read", cwd: "/w", contract_id: "task", action: { kind: "file_read", paths: ["/w/src/a.ts"] } });

async function verdicts(t: TestService, sessions: string[]): Promise<string[]> {
  return (await Promise.all(sessions.map((s) => t.decide(read(s))))).map((r) => (r.json.decision === "deny" ? r.json.rule_ids.join(",") : r.json.decision));
}

test("total_budget: the task's calls are counted over every session, at once for concurrent calls, survive a restart, and an operator's audited reset gives them back", async () => {
  const dir = tempDir();
  const loadEngine = await taskEngine(join(dir, "src"));
  const data = join(dir, "data");
  let t = await startTestService({ dataDir: data, loadEngine, snapshotIntervalMs: 600_000 });
  try {
    // five sessions at once: exactly three calls fit the task
    const first = await verdicts(t, ["a", "b", "c", "d", "e"]);
    assert.equal(first.filter((v) => v === "allow").length, 3, first.join(" "));
    assert.equal(first.filter((v) => v === "writ.contract.total_budget_exceeded").length, 2, first.join(" "));
    // a new session id does not reset the task
    assert.deepEqual(await verdicts(t, ["fresh"]), ["writ.contract.total_budget_exceeded"]);
    assert.deepEqual(t.svc.state.usage.get("task"), { usd: 0, tokens: 0, tool_calls: 3 });
    // in the metrics, a family per dimension, a sample per contract
    const metrics = (await t.call("GET", "/metrics")).json as string;
    assert.match(metrics, /# TYPE writ_task_tool_calls gauge\nwrit_task_tool_calls\{contract="task"\} 3\n/);
    assert.match(metrics, /^writ_task_usd\{contract="task"\} 0$/m);
    assert.equal(metrics.match(/# HELP writ_task_tool_calls /g)?.length, 1);
    // operators see it; agents do not
    assert.deepEqual((await t.call("GET", "/v1/usage")).json, { contracts: { task: { usd: 0, tokens: 0, tool_calls: 3 } } });
    assert.equal((await t.call("GET", "/v1/usage", undefined, t.token)).status, 401);
    await t.svc.close();
    await restartTwice({ dataDir: data, loadEngine }, async (r, from) => {
      assert.deepEqual(r.svc.state.usage.get("task"), { usd: 0, tokens: 0, tool_calls: 3 }, `from the ${from}`);
      assert.deepEqual(await verdicts(r, [`after-restart-${from}`]), ["writ.contract.total_budget_exceeded"]);
    });

    // an operator gives the task its budget back: audited, with a reason
    t = await startTestService({ dataDir: data, loadEngine, snapshotIntervalMs: 600_000 });
    assert.equal((await t.call("POST", "/v1/usage/task/reset", {}, t.token)).status, 401);
    assert.equal((await t.call("POST", "/v1/usage/task/reset", {})).status, 400);
    assert.equal((await t.call("POST", "/v1/usage/other/reset", { reason: "x" })).status, 404);
    const reset = await t.call("POST", "/v1/usage/task/reset", { reason: "scope agreed with the owner" });
    assert.equal(reset.status, 200);
    assert.deepEqual(reset.json, { contract: "task", reset_by: "alice", reason: "scope agreed with the owner", previous: { usd: 0, tokens: 0, tool_calls: 3 } });
    assert.deepEqual(await verdicts(t, ["after-reset"]), ["allow"]);
    await t.svc.close();
    await restartTwice({ dataDir: data, loadEngine }, (r, from) => {
      assert.deepEqual(r.svc.state.usage.get("task"), { usd: 0, tokens: 0, tool_calls: 1 }, `after the reset, from the ${from}`);
    });
  } finally {
    await t.svc.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an operator sets a task's use to given amounts: audited, checked, and the same after a restart", async () => {
  const dir = tempDir();
  const loadEngine = await taskEngine(join(dir, "src"));
  const data = join(dir, "data");
  const t = await startTestService({ dataDir: data, loadEngine, snapshotIntervalMs: 600_000 });
  try {
    assert.deepEqual(await verdicts(t, ["a"]), ["allow"]);
    for (const to of [{ tool_calls: -1 }, { tool_calls: 1.5 }, { usd: "1" }, { calls: 1 }, [1], 5]) {
      const bad = await t.call("POST", "/v1/usage/task/reset", { reason: "x", to });
      assert.equal(bad.status, 400, JSON.stringify(to));
    }
    assert.deepEqual(t.svc.state.usage.get("task"), { usd: 0, tokens: 0, tool_calls: 1 }, "a refused amount changes nothing");
    // the calls made through another channel count against the task
    const set = await t.call("POST", "/v1/usage/task/reset", { reason: "two calls ran by hand", to: { usd: 1.5, tool_calls: 3 } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { contract: "task", reset_by: "alice", reason: "two calls ran by hand", previous: { usd: 0, tokens: 0, tool_calls: 1 }, to: { usd: 1.5, tokens: 0, tool_calls: 3 } });
    assert.deepEqual(await verdicts(t, ["b"]), ["writ.contract.total_budget_exceeded"]);
    await t.svc.close();
    await restartTwice({ dataDir: data, loadEngine }, (r, from) => {
      assert.deepEqual(r.svc.state.usage.get("task"), { usd: 1.5, tokens: 0, tool_calls: 3 }, `from the ${from}`);
    });
  } finally {
    await t.svc.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a task's use: calls from pre_tool_use, costs from any event of a contract already counted, nothing for an id only a later event names", () => {
  const u = new UsageStore();
  u.apply("made-up", "post_tool_use", { cost: { usd: 5 } });
  assert.deepEqual(u.toJSON(), {});
  u.apply("task", "pre_tool_use", { kind: "file_read", cost: { usd: 0.1 } });
  u.apply("task", "post_tool_use", { cost: { usd: 0.2, tokens: 300 } });
  u.apply("task", "pre_tool_use", { labels: ["x"] }); // an allow that counts no call (no kind)
  assert.deepEqual(u.get("task"), { usd: 0.3, tokens: 300, tool_calls: 1 });
  assert.deepEqual(u.get("other"), { usd: 0, tokens: 0, tool_calls: 0 });
  const copy = new UsageStore();
  copy.load(JSON.parse(JSON.stringify(u.toJSON())));
  assert.deepEqual(copy.get("task"), u.get("task"));
});

test("writ usage lists a running service's task usage and resets one, with a reason", async () => {
  const dir = tempDir();
  const t = await startTestService({ loadEngine: await taskEngine(join(dir, "src")) });
  try {
    await verdicts(t, ["a", "b"]);
    const env = { WRIT_URL: t.svc.url, WRIT_OPERATOR_TOKEN: t.operator };
    const list = await writ(["usage"], env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), { contracts: { task: { usd: 0, tokens: 0, tool_calls: 2 } } });
    assert.equal((await writ(["usage", "--reset", "task"], env)).code, 2);
    const reset = await writ(["usage", "--reset", "task", "--reason", "new scope"], env);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(JSON.parse(reset.stdout).previous.tool_calls, 2);
    assert.deepEqual(JSON.parse((await writ(["usage"], env)).stdout), { contracts: { task: { usd: 0, tokens: 0, tool_calls: 0 } } });
    // or to given amounts
    const set = await writ(["usage", "--reset", "task", "--reason", "by hand", "--tool-calls", "4", "--usd", "0.5"], env);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse((await writ(["usage"], env)).stdout), { contracts: { task: { usd: 0.5, tokens: 0, tool_calls: 4 } } });
    assert.equal((await writ(["usage", "--reset", "task", "--reason", "x", "--tool-calls", "four"], env)).code, 2);
    assert.equal((await writ(["usage", "--usd", "1"], env)).code, 2);
    // an agent token is not enough
    assert.equal((await writ(["usage"], { ...env, WRIT_OPERATOR_TOKEN: t.token })).code, 1);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("metrics: samples of one gauge under several labels share one HELP and TYPE, together", () => {
  const text = new Metrics().render([
    { name: "writ_task_tool_calls", help: "calls", value: 3, labels: { contract: "a" } },
    { name: "writ_task_tool_calls", help: "calls", value: 5, labels: { contract: "b" } },
    { name: "writ_sessions", help: "held", value: 1 },
  ]);
  assert.match(text, /# HELP writ_task_tool_calls calls\n# TYPE writ_task_tool_calls gauge\nwrit_task_tool_calls\{contract="a"\} 3\nwrit_task_tool_calls\{contract="b"\} 5\n# HELP writ_sessions held\n/);
});
