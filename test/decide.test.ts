// The decision pipeline through a real service: sessions, budgets,
// approvals, kill switches, fail-closed engine errors, restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { restartTwice, startTestService, action, tempDir } from "./support/service.js";
import { verdictFromResultSet } from "../src/decide/verdict.js";
import { canonicalJson } from "../src/decide/canonical.js";
import { responseJson } from "../src/decide/response-json.js";
import { decisionRecordJson } from "../src/decide/record-json.js";
import { verdictListsJson } from "../src/decide/lists-json.js";
import type { DecisionRecord } from "../src/decide/records.js";
import type { DecideResponse, SessionState } from "../src/decide/types.js";
import { sessionJson } from "../src/decide/input.js";
import { verifyAuditLog } from "../src/audit/verify.js";
import { keysFromJwks } from "../src/sign/public-keys.js";
import { compilePolicy, policySource, testEngine } from "./support/policy.js";
import { WasmPolicyEngine } from "../src/engine/wasm.js";
import type { ServiceOptions } from "../src/server/service.js";

const push = (over: Record<string, unknown> = {}) =>
  action({ tool: "Bash", action: { kind: "git", command: "git push origin main", git: { subcommand: "push", remote: "origin", branch: "main", args: ["origin", "main"] } }, ...over });

test("verdicts: deny > approve > allow; undefined or malformed is deny", () => {
  assert.equal(verdictFromResultSet([]).decision, "deny");
  assert.equal(verdictFromResultSet([{ result: { decision: "yes" } }]).decision, "deny");
  assert.equal(verdictFromResultSet([{ result: { decision: "allow", reasons: [1] } }]).decision, "deny");
  assert.equal(verdictFromResultSet("nonsense").decision, "deny");
  const layered = verdictFromResultSet([{ result: [
    { decision: "allow", reasons: ["platform ok"], rule_ids: ["p"] },
    { decision: "approve", reasons: ["contract asks"], rule_ids: ["c"] },
  ] }]);
  assert.deepEqual(layered, { decision: "approve", reasons: ["contract asks"], rule_ids: ["c"] });
  assert.equal(verdictFromResultSet([{ result: [{ decision: "approve", reasons: [], rule_ids: [] }, { decision: "deny", reasons: ["no"], rule_ids: ["m"] }] }]).decision, "deny");
});

test("canonical JSON sorts keys at every depth", () => {
  assert.equal(canonicalJson({ b: [{ z: 1, a: 2 }], a: "x", u: undefined }), '{"a":"x","b":[{"a":2,"z":1}]}');
});

test("canonical JSON writes every string and key exactly as JSON.stringify does", () => {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  const strings = ["", "plain /path/file.ts", 'a "quote"', "back\\slash", "tab\there", "nl\n", "\u0000\u001f\u007f", "é ü 中文 🎉", "\ud800 lone", "x".repeat(63) + '"', "y".repeat(200), "~!#$%&'()*+,-./:;<=>?@[]^_`{|}"];
  for (const s of strings) {
    const value = { [s]: s, list: [s, 1.5, true, null], nested: { [s + "k"]: { s } } };
    assert.equal(canonicalJson(value), JSON.stringify(sorted(value)), JSON.stringify(s));
  }
});

test("the answer's JSON is exactly JSON.stringify of the answer, whatever its strings", () => {
  // keys in the order the pipeline writes them
  const answer = (s: string, approval?: { id: string; expires_at: string }): DecideResponse => ({
    decision: approval ? "approve" : "allow", reasons: [s], rule_ids: [s, "r"], decision_id: s, ...(approval ? { approval } : {}),
    bundle: { revision: s, digest: s }, audit: { seq: 3, hash: "cd" }, jws: "aGVh.cGF5.c2ln",
  });
  for (const s of ["plain", 'quote " and \\ backslash', "é 中文 🎉", "\u0000\u001f", "\ud800", "x".repeat(100)]) {
    for (const r of [answer(s), answer(s, { id: s, expires_at: s }), { ...answer(s), reasons: [], rule_ids: [] }]) assert.equal(responseJson(r), JSON.stringify(r));
  }
});

test("the audit record's JSON is exactly JSON.stringify of the record, in every shape the pipeline writes", () => {
  // built as the pipeline builds it: the literal first, then what each path adds, in its order
  const base = (s: string, opt: { request?: boolean; contract?: boolean; model?: boolean } = {}): DecisionRecord => ({
    decision_id: s, ...(opt.request ? { request_id: s } : {}), agent: s, session: s, harness: "claude-code", event: "pre_tool_use", tool: s, kind: "file_read",
    ...(opt.contract ? { contract_id: s } : {}), ...(opt.model ? { model: s } : {}), action_digest: "ab",
    decision: "deny", reasons: [], rule_ids: [], bundle: { revision: s, digest: "cd" },
  });
  const shapes = (s: string): DecisionRecord[] => {
    const out: DecisionRecord[] = [];
    for (const opt of [{}, { request: true, contract: true, model: true }, { model: true }]) {
      const plain = base(s, opt);
      plain.eval_us = 17;
      Object.assign(plain, { decision: "allow", reasons: [s, "second"], rule_ids: [s] });
      out.push(plain);
      const updated = { ...plain };
      updated.session_update = { kind: "file_read" };
      out.push(updated);
      const labelled = { ...plain };
      labelled.session_update = { labels: [s, "x"], cost: { usd: 0.25, tokens: 10 } };
      out.push(labelled);
      const bare = base(s, opt); // no evaluation: a kill switch
      bare.failure = "kill_switch";
      out.push(bare);
      const pending = { ...plain, decision: "approve" as const };
      pending.approval_created = undefined; // an approval still pending: the key set, no value
      pending.session_update = { kind: "file_read" };
      out.push(pending);
      const created = { ...plain, decision: "approve" as const };
      created.approval_created = { id: s, expires_at: s };
      out.push(created);
      const used = { ...plain };
      used.approval_used = s;
      used.session_update = { kind: "file_read", labels: [s] };
      out.push(used);
      const timeout = { ...plain };
      timeout.failure = "engine_timeout";
      out.push(timeout);
    }
    return out;
  };
  for (const s of ["plain", 'quote " and \\ backslash', "é 中文 🎉", "\u0000\u001f", "\ud800", "x".repeat(100)]) {
    for (const r of shapes(s)) {
      assert.equal(decisionRecordJson(r), JSON.stringify(r));
      assert.equal(decisionRecordJson(r, verdictListsJson(r)), JSON.stringify(r));
    }
  }
});

test("the session in the policy input is exactly JSON.stringify of the session", () => {
  const fresh: SessionState = { id: "s1", labels: [], counters: { total: 0 }, spend: { usd: 0, tokens: 0, tool_calls: 0 }, started_at: "2026-11-23T20:00:00.000Z" };
  const used: SessionState = { id: 'odd "id" é', labels: ["package_installed", "secrets_read"], counters: { total: 7, file_read: 5, "kind \"x\"": 2 }, spend: { usd: 0.37, tokens: 12345, tool_calls: 7 }, started_at: "2026-11-23T20:00:00.000Z" };
  for (const s of [fresh, used]) assert.equal(sessionJson(s), JSON.stringify(s));
  // not the shape writ builds: JSON.stringify's own answer
  const odd = { id: "s", labels: [], counters: {}, spend: { usd: 0, tokens: 0, tool_calls: 0 } } as unknown as SessionState;
  assert.equal(sessionJson(odd), JSON.stringify(odd));
});

test("when the queue runs empty the last evaluation is repeated once: for effect-free engines, cheap evaluations, and only when asked", async () => {
  const idle = () => new Promise((r) => setTimeout(r, 20));
  const warmed = async (opts: Partial<ServiceOptions>) => {
    const t = await startTestService(opts);
    try {
      assert.equal((await t.decide(action())).json.decision, "allow");
      await idle();
      const once = t.svc.decider.warmEvaluations;
      await idle(); // nothing new decided: nothing repeated
      assert.equal(t.svc.decider.warmEvaluations, once);
      assert.equal((await t.decide(action({ session_id: "s2" }))).json.decision, "allow");
      await idle();
      return [once, t.svc.decider.warmEvaluations, t.svc.state.sessions.peek("agent-1", "s1")?.counters.total];
    } finally {
      await t.close();
    }
  };
  // (any evaluation counts as cheap here: a test machine's first ones are slow)
  const cheap = { keepWarmMaxUs: 1e9 };
  // the repeat changes nothing: the session counted its one call
  assert.deepEqual(await warmed(cheap), [1, 2, 1]);
  assert.deepEqual(await warmed({ ...cheap, keepWarm: false }), [0, 0, 1]);
  assert.deepEqual(await warmed({ keepWarmMaxUs: 0 }), [0, 0, 1], "an evaluation dearer than the limit is not repeated");
  // an engine that may reach the network is never evaluated for nothing
  const wasm = await compilePolicy(policySource);
  const networked = () =>
    WasmPolicyEngine.fromBundle({ manifest: { revision: "net", roots: [""], wasm: [{ entrypoint: "writ/decision", module: "/policy.wasm" }] }, files: new Map(), wasm, data: {}, digest: "net", signed: true }, undefined, { allowNetwork: true });
  assert.deepEqual(await warmed({ ...cheap, loadEngine: networked }), [0, 0, 1]);
});

test("labels are monotonic taint: reading a secret then the network is denied for the rest of the session", async () => {
  const t = await startTestService();
  try {
    assert.equal((await t.decide(action({ tool: "WebFetch", action: { kind: "network", url: "https://x.test/", host: "x.test" } }))).json.decision, "allow");
    const read = await t.decide(action({ action: { kind: "file_read", paths: ["/repo/.env"] } }));
    assert.equal(read.json.decision, "allow");
    const net = await t.decide(action({ tool: "WebFetch", action: { kind: "network", url: "https://x.test/", host: "x.test" } }));
    assert.equal(net.json.decision, "deny");
    assert.deepEqual(net.json.rule_ids, ["taint.secrets_network"]);
    // another session of the same agent is untainted
    assert.equal((await t.decide(action({ session_id: "s2", tool: "WebFetch", action: { kind: "network", url: "https://x.test/" } }))).json.decision, "allow");
    const s = t.svc.state.sessions.peek("agent-1", "s1")!;
    assert.deepEqual(s.labels, ["secrets_read"]);
    assert.equal(s.counters.network, 1);
    assert.equal(s.counters.file_read, 1);
    assert.equal(s.counters.total, 2);
  } finally {
    await t.close();
  }
});

test("budget: concurrent calls cannot spend the same budget", async () => {
  const t = await startTestService();
  try {
    // budget is 1 USD; ten concurrent calls of 0.3 each: exactly three fit
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.decide(action({ session_id: "budget", cost: { usd: 0.3 } }))));
    const allowed = answers.filter((a) => a.json.decision === "allow").length;
    assert.equal(allowed, 3, JSON.stringify(answers.map((a) => a.json.decision)));
    assert.ok(answers.filter((a) => a.json.decision === "deny").every((a) => a.json.rule_ids.includes("budget.session_usd")));
    assert.equal(t.svc.state.sessions.peek("agent-1", "budget")!.spend.usd, 0.9);
  } finally {
    await t.close();
  }
});

test("decisions queued beyond one turn of the loop are all made, each seeing the state the ones before it left", async () => {
  const t = await startTestService({ decisionsPerTurn: 3 });
  try {
    // 20 concurrent calls, 3 decided per turn: the budget still admits exactly three
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.decide(action({ session_id: "turns", cost: { usd: 0.3 } }))));
    assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.map((a) => a.status)));
    const json = answers.map((a) => a.json as DecideResponse);
    assert.equal(json.filter((a) => a.decision === "allow").length, 3);
    assert.equal(new Set(json.map((a) => a.decision_id)).size, 20);
    const seqs = json.map((a) => a.audit.seq).sort((a, b) => a - b);
    assert.ok(seqs.every((s, i) => i === 0 || s === seqs[i - 1] + 1), `consecutive audit entries: ${seqs.join(",")}`);
    // a queue that never runs empty (more than 1024 decided while more wait)
    const many = await Promise.all(Array.from({ length: 1100 }, (_, i) => t.svc.decider.decide({ id: "agent-1", role: "agent" }, action({ session_id: `many-${i % 50}` }) as never)));
    assert.ok(many.every((o) => o.status === 200 && o.verdict === "allow"), "every queued decision answered");
    const ids = many.map((o) => (JSON.parse(o.body) as DecideResponse).decision_id);
    assert.equal(new Set(ids).size, 1100);
  } finally {
    await t.close();
  }
});

test("an overloaded service answers 503 deny for what it cannot queue, and the rest as usual", async () => {
  const t = await startTestService({ decisionsPerTurn: 1, maxQueuedDecisions: 5 });
  try {
    const principal = { id: "agent-1", role: "agent" as const };
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => t.svc.decider.decide(principal, action({ session_id: `load-${i}` }) as never)));
    assert.deepEqual(outcomes.map((o) => o.status), [200, 200, 200, 200, 200, 503, 503, 503, 503, 503, 503, 503]);
    assert.match(outcomes[5].body, /"decision":"deny".*overloaded/);
    // once the queue has drained, decisions are made again
    assert.equal((await t.decide(action())).status, 200);
  } finally {
    await t.close();
  }
});

test("approvals: approve → operator grants → the same action is allowed once; replays and altered actions are refused", async () => {
  const t = await startTestService();
  try {
    const first = await t.decide(push());
    assert.equal(first.json.decision, "approve");
    const id = first.json.approval.id;
    assert.ok(Date.parse(first.json.approval.expires_at) > Date.now());

    // before the operator answers, a retry is still waiting
    const waiting = await t.decide(push({ approval_id: id }));
    assert.equal(waiting.json.decision, "approve");
    assert.equal(waiting.json.approval.id, id);

    // agents cannot approve their own actions
    assert.equal((await t.call("POST", `/v1/approvals/${id}`, { grant: true }, t.token)).status, 401);
    const granted = await t.call("POST", `/v1/approvals/${id}`, { grant: true, note: "release day" });
    assert.equal(granted.status, 200);
    assert.equal(granted.json.status, "granted");
    assert.equal(granted.json.decided_by, "alice");

    // an altered action (other branch) does not match the approved digest
    const altered = await t.decide(push({ approval_id: id, action: { kind: "git", command: "git push origin prod", git: { subcommand: "push", remote: "origin", branch: "prod", args: ["origin", "prod"] } } }));
    assert.equal(altered.json.decision, "deny");
    assert.match(altered.json.reasons[0], /differs from the one approved/);

    const redeemed = await t.decide(push({ approval_id: id }));
    assert.equal(redeemed.json.decision, "allow");
    assert.match(redeemed.json.reasons.join(" "), /approved by alice/);

    const replay = await t.decide(push({ approval_id: id }));
    assert.equal(replay.json.decision, "deny");
    assert.match(replay.json.reasons[0], /already used/);

    // another session cannot borrow it
    assert.match((await t.decide(push({ session_id: "s9", approval_id: id }))).json.reasons[0], /another agent or session/);
    // answering twice is refused
    assert.equal((await t.call("POST", `/v1/approvals/${id}`, { grant: false })).status, 409);
  } finally {
    await t.close();
  }
});

test("approvals: a rejected approval denies", async () => {
  const t = await startTestService();
  try {
    const a = await t.decide(push({ session_id: "r" }));
    assert.equal((await t.call("POST", `/v1/approvals/${a.json.approval.id}`, { grant: false })).json.status, "rejected");
    assert.match((await t.decide(push({ session_id: "r", approval_id: a.json.approval.id }))).json.reasons[0], /rejected by alice/);
  } finally {
    await t.close();
  }
});

test("approvals: an expired approval can be neither answered nor redeemed", async () => {
  // however slow the machine, waiting longer than the TTL makes it expire
  const t = await startTestService({ approvalTtlMs: 300 });
  try {
    const b = await t.decide(push({ session_id: "e" }));
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await t.call("POST", `/v1/approvals/${b.json.approval.id}`, { grant: true })).status, 409);
    assert.match((await t.decide(push({ session_id: "e", approval_id: b.json.approval.id }))).json.reasons[0], /expired/);
  } finally {
    await t.close();
  }
});

test("kill switches: each scope halts the next decision; lifting restores; both audited", async () => {
  const t = await startTestService();
  try {
    const scopes: [string, string | undefined, Record<string, unknown>][] = [
      ["agent", "agent-1", {}],
      ["session", "s-k", { session_id: "s-k" }],
      ["contract", "c-1", { contract_id: "c-1" }],
      ["tool", "Bash", { tool: "Bash", action: { kind: "shell", command: "ls", commands: [{ program: "ls", name: "ls", args: [] }] } }],
      ["model", "gpt-x", { model: "gpt-x" }],
      ["all", undefined, {}],
    ];
    for (const [scope, value, over] of scopes) {
      assert.equal((await t.decide(action(over))).json.decision, "allow", `before ${scope}`);
      const set = await t.call("POST", "/v1/kill", { scope, ...(value ? { value } : {}), reason: "incident 42" });
      assert.equal(set.status, 201);
      const halted = await t.decide(action(over));
      assert.equal(halted.json.decision, "deny", `after ${scope}`);
      assert.match(halted.json.reasons[0], /incident 42/);
      assert.deepEqual(halted.json.rule_ids, [`writ.kill/${scope}`]);
      assert.equal((await t.call("DELETE", `/v1/kill/${set.json.id}`)).status, 200);
      assert.equal((await t.decide(action(over))).json.decision, "allow", `after lifting ${scope}`);
    }
    // a switch on another agent does not halt this one
    await t.call("POST", "/v1/kill", { scope: "agent", value: "agent-2", reason: "x" });
    assert.equal((await t.decide(action())).json.decision, "allow");
    assert.equal((await t.call("POST", "/v1/kill", { scope: "agent", reason: "no value" })).status, 400);
    assert.equal((await t.call("POST", "/v1/kill", { scope: "all", reason: "x" }, t.token)).status, 401);
    await t.svc.audit.close();
    const { readAllLines } = await import("../src/audit/segments.js");
    const types = [...readAllLines(join(t.dir, "audit"))].map((l) => JSON.parse(l).type);
    assert.equal(types.filter((x) => x === "kill_set").length, 7);
    assert.equal(types.filter((x) => x === "kill_lifted").length, 6);
  } finally {
    await t.close().catch(() => {});
  }
});

test("an engine error or a malformed decision answers deny, signed and audited", async () => {
  // two complete definitions that disagree: the Wasm module aborts with
  // OPA's conflict error at evaluation time
  const conflict = `package writ

decision := {"decision": "allow", "reasons": [], "rule_ids": []} if input.action.tool == "Read"

decision := {"decision": "allow", "reasons": ["other"], "rule_ids": []} if input.action.action.kind == "file_read"
`;
  const malformed = `package writ

decision := {"decision": "maybe"}
`;
  let source = conflict;
  const t = await startTestService({ loadEngine: () => testEngine(`rev-${source.length}`, source) });
  try {
    const a = await t.decide(action());
    assert.equal(a.status, 200);
    assert.equal(a.json.decision, "deny");
    assert.match(a.json.reasons[0], /policy engine error: .*conflict/);
    assert.deepEqual(a.json.rule_ids, ["writ.engine_error"]);
    assert.ok(a.json.jws);
    source = malformed;
    assert.equal((await t.call("POST", "/v1/bundle/reload")).status, 200);
    assert.deepEqual((await t.decide(action())).json.rule_ids, ["writ.malformed_decision"]);
    // a policy with no decision for this input
    source = "package writ\n\ndecision := {\"decision\": \"allow\", \"reasons\": [], \"rule_ids\": []} if input.action.tool == \"Nothing\"\n";
    assert.equal((await t.call("POST", "/v1/bundle/reload")).status, 200);
    assert.deepEqual((await t.decide(action())).json.rule_ids, ["writ.no_decision"]);
  } finally {
    await t.close();
  }
});

test("an evaluation over the time limit answers deny", async () => {
  // a zero limit: every evaluation is over it
  const t = await startTestService({ evalTimeoutMs: 0 });
  try {
    const r = await t.decide(action());
    assert.equal(r.json.decision, "deny");
    assert.deepEqual(r.json.rule_ids, ["writ.engine_timeout"]);
  } finally {
    await t.close();
  }
});

test("sessions, approvals and kill switches survive a restart (snapshot + log replay)", async () => {
  const dir = tempDir();
  const t = await startTestService({ dataDir: dir, snapshotIntervalMs: 60_000 });
  await t.decide(action({ action: { kind: "file_read", paths: ["/r/.env"] }, cost: { usd: 0.25 } }));
  const pending = await t.decide(push());
  const kill = await t.call("POST", "/v1/kill", { scope: "tool", value: "Danger", reason: "x" });
  const jwks = (await t.call("GET", "/.well-known/jwks.json")).json;
  await t.svc.close();
  // no snapshot after the last entries: the replay must rebuild them; then
  // once more from the snapshot written at close
  await restartTwice({ dataDir: dir }, (r) => {
    const s = r.svc.state.sessions.peek("agent-1", "s1")!;
    assert.deepEqual(s.labels, ["secrets_read"]);
    assert.equal(s.spend.usd, 0.25);
    assert.equal(r.svc.state.approvals.get(pending.json.approval.id)!.status, "pending");
    assert.equal(r.svc.state.kills.list()[0].id, kill.json.id);
  });
  const r = verifyAuditLog(join(dir, "audit"), keysFromJwks(jwks));
  assert.deepEqual(r.problems, []);
  rmSync(dir, { recursive: true });
});
