// Which sessions writ holds, and for how long: a session is held once an
// allowed action changes it (requests that change nothing cost no memory),
// and, with sessionIdleTtlMs, forgotten after going unused that long — an
// audited step that a restart's replay repeats at the same point.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { restartTwice, startTestService, action, tempDir } from "./support/service.js";
import { root } from "./support/policy.js";
import { verifyAuditLog } from "../src/audit/verify.js";
import { keysFromJwks } from "../src/sign/public-keys.js";

// over the test policy's budget: a denial
const overBudget = (session: string) => action({ session_id: session, cost: { usd: 5 } });

function auditEntries(dir: string): { seq: number; type: string; data: any }[] {
  const segs = join(dir, "audit", "segments");
  const out = [];
  for (const f of readdirSync(segs).sort()) {
    for (const line of readFileSync(join(segs, f), "utf8").split("\n")) {
      const text = line.replace(/\0+$/, "");
      if (text) out.push(JSON.parse(text));
    }
  }
  return out;
}

test("a session is held only once an allowed action changes it: denials under made-up session ids cost no memory", async () => {
  const t = await startTestService();
  try {
    for (let i = 0; i < 50; i++) assert.equal((await t.decide(overBudget(`made-up-${i}`))).json.decision, "deny");
    assert.equal(t.svc.state.sessions.size(), 0);
    // the policy still saw a session (fresh) on every one of them
    assert.equal((await t.decide(action({ session_id: "real" }))).json.decision, "allow");
    assert.equal(t.svc.state.sessions.size(), 1);
    assert.equal(t.svc.state.sessions.peek("agent-1", "real")!.counters.total, 1);
    // a denial on a held session changes nothing in it
    assert.equal((await t.decide(overBudget("real"))).json.decision, "deny");
    assert.equal(t.svc.state.sessions.peek("agent-1", "real")!.counters.total, 1);
    const metrics = (await t.call("GET", "/metrics")).json as string;
    assert.match(metrics, /^writ_sessions 1$/m);
  } finally {
    await t.close();
  }
});

test("idle sessions are retired with an audit entry, start afresh on their next decision, and stay retired across a restart", async () => {
  const dir = tempDir();
  const t = await startTestService({ dataDir: dir, sessionIdleTtlMs: 60_000, snapshotIntervalMs: 600_000 });
  try {
    // s-old: tainted and with spend; s-busy: used again just before the sweep
    assert.equal((await t.decide(action({ session_id: "s-old", action: { kind: "file_read", paths: ["/r/.env"] }, cost: { usd: 0.5 } }))).json.decision, "allow");
    assert.equal((await t.decide(action({ session_id: "s-busy" }))).json.decision, "allow");
    assert.equal(await t.svc.retireIdleSessions(Date.now() + 30_000), 0, "nothing is idle for a minute yet");
    await new Promise((r) => setTimeout(r, 5));
    const busyAt = Date.now();
    await t.decide(action({ session_id: "s-busy" }));
    // a sweep a minute after busyAt: s-old (last used before it) is idle
    assert.equal(await t.svc.retireIdleSessions(busyAt + 60_000), 1);
    assert.equal(t.svc.state.sessions.peek("agent-1", "s-old"), undefined);
    assert.equal(t.svc.state.sessions.peek("agent-1", "s-busy")!.counters.total, 2);
    await t.svc.audit.whenDurable(t.svc.audit.lastSeq);
    const retired = auditEntries(dir).filter((e) => e.type === "sessions_retired");
    assert.equal(retired.length, 1);
    assert.deepEqual(retired[0]!.data, { idle_seconds: 60, sessions: [["agent-1", "s-old"]] });
    assert.match((await t.call("GET", "/metrics")).json as string, /^writ_sessions_retired_total 1$/m);

    // its next decision starts afresh: no taint, no spend
    assert.equal((await t.decide(action({ session_id: "s-old", cost: { usd: 0.1 } }))).json.decision, "allow");
    const fresh = structuredClone(t.svc.state.sessions.peek("agent-1", "s-old")!);
    assert.deepEqual(fresh.labels, []);
    assert.equal(fresh.spend.usd, 0.1);
    assert.equal(fresh.counters.total, 1);
    const jwks = (await t.call("GET", "/.well-known/jwks.json")).json;
    await t.svc.close();

    // the replay forgets it at the same point: from the log alone, then
    // from the snapshot written at close
    await restartTwice({ dataDir: dir, sessionIdleTtlMs: 60_000 }, (r, from) => {
      assert.deepEqual(r.svc.state.sessions.peek("agent-1", "s-old"), fresh, `from the ${from}`);
      assert.equal(r.svc.state.sessions.peek("agent-1", "s-busy")!.counters.total, 2);
    });
    assert.deepEqual(verifyAuditLog(join(dir, "audit"), keysFromJwks(jwks)).problems, []);
  } finally {
    await t.svc.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a snapshot keeps when each session was last used, so a restart does not make idle sessions look fresh", async () => {
  const dir = tempDir();
  let t = await startTestService({ dataDir: dir, sessionIdleTtlMs: 60_000 });
  await t.decide(action({ session_id: "s1" }));
  const used = Date.now();
  await t.svc.close(); // writes the snapshot
  t = await startTestService({ dataDir: dir, sessionIdleTtlMs: 60_000 });
  try {
    assert.equal(await t.svc.retireIdleSessions(used + 59_000), 0);
    assert.equal(await t.svc.retireIdleSessions(used + 61_000), 1);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a sweep over many sessions goes a slice a turn, and a session used between slices is kept", async () => {
  const t = await startTestService({ sessionIdleTtlMs: 60_000, snapshotIntervalMs: 600_000 });
  try {
    const sessions = t.svc.state.sessions;
    for (let i = 0; i < 45_000; i++) sessions.hold("agent-1", `bulk-${i}`, "2026-01-01T00:00:00Z", 1000);
    const sweep = t.svc.retireIdleSessions(Date.now());
    // the first slice (20,000) went in the call's synchronous step; the rest
    // wait for later turns, so a session of theirs used now (as a decision
    // reads it) is kept
    assert.equal(sessions.size(), 25_000);
    sessions.get("agent-1", "bulk-44999", new Date().toISOString());
    assert.equal(await sweep, 44_999);
    assert.equal(sessions.size(), 1);
    assert.ok(sessions.peek("agent-1", "bulk-44999"));
    await t.svc.audit.whenDurable(t.svc.audit.lastSeq);
    const entries = auditEntries(t.dir).filter((e) => e.type === "sessions_retired");
    assert.equal(entries.reduce((n, e) => n + e.data.sessions.length, 0), 44_999);
    assert.ok(entries.every((e) => e.data.sessions.length <= 1000));
  } finally {
    await t.close();
  }
});

test("when the audit log cannot take the retirement, no session is forgotten", async () => {
  const t = await startTestService({ sessionIdleTtlMs: 60_000 });
  const { openSync } = await import("node:fs");
  try {
    await t.decide(action({ session_id: "kept" }));
    // the disk fills up: the next write fails with ENOSPC and poisons the log
    (t.svc.audit as unknown as { fd: number }).fd = openSync("/dev/full", "w");
    assert.equal((await t.decide(action({ session_id: "other" }))).status, 503);
    assert.equal(await t.svc.retireIdleSessions(Date.now() + 120_000), 0);
    assert.ok(t.svc.state.sessions.peek("agent-1", "kept"));
  } finally {
    await t.svc.close().catch(() => {});
    rmSync(t.dir, { recursive: true, force: true });
  }
});

test("writ serve refuses a --session-idle-ttl that is not a number of seconds", () => {
  const r = spawnSync(process.execPath, [join(root, "bin/writ.js"), "serve", "--bundle", "x.tar.gz", "--data-dir", tempDir(), "--insecure-unsigned", "--session-idle-ttl", "a day"], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--session-idle-ttl wants a number ≥ 0, not "a day"/);
});
