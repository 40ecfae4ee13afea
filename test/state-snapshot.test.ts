// The state snapshot written while decisions go on (ServiceState
// .writeSnapshot): restoring it and replaying the log after it gives exactly
// the state the service held, with no update lost or applied twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startTestService, action, tempDir } from "./support/service.js";
import { answerDecide } from "../src/server/decide-route.js";
import { ServiceState } from "../src/decide/state.js";
import { SessionStore } from "../src/decide/sessions.js";
import type { SessionState } from "../src/decide/types.js";

test("a snapshot written slice by slice while sessions change restores, with the log, to exactly the state held", async () => {
  const dir = tempDir();
  const t = await startTestService({ dataDir: join(dir, "data"), snapshotIntervalMs: 3_600_000 });
  const auth = `Bearer ${t.token}`;
  const decide = async (session: string, usd: number) => {
    const out = await answerDecide(t.svc, auth, () => Promise.resolve(JSON.stringify(action({ session_id: session, cost: { usd } }))));
    assert.equal(out.status, 200, out.body);
    assert.equal(JSON.parse(out.body).decision, "allow");
  };
  try {
    // more sessions than one slice holds
    const sessions = Array.from({ length: 1300 }, (_, i) => `s-${i}`);
    for (let i = 0; i < sessions.length; i += 50) await Promise.all(sessions.slice(i, i + 50).map((s) => decide(s, 0.5)));
    // the snapshot starts; decisions on sessions in every slice go on while it is written
    const written = t.svc.snapshot(true);
    const during: Promise<void>[] = [];
    for (let k = 0; k < 600; k++) {
      during.push(decide(sessions[(k * 7) % sessions.length]!, 0.25));
      if (k % 40 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(during);
    await written;
    await t.svc.audit.whenDurable(t.svc.audit.lastSeq);

    const snap = JSON.parse(readFileSync(join(dir, "data", "state.json"), "utf8")) as { seq: number; sessions: [string, SessionState, number][] };
    assert.equal(snap.sessions.length, 1300);
    assert.ok(snap.sessions.some((e) => e[2] > snap.seq), "some sessions were written after decisions made during the snapshot");
    assert.ok(snap.seq < t.svc.audit.lastSeq, "decisions after the snapshot's seq are in the log only");

    // the data dir as a crash would leave it: this snapshot, and the log
    const crashed = join(dir, "crashed");
    cpSync(join(dir, "data"), crashed, { recursive: true });
    const expected = new Map(sessions.map((s) => [s, structuredClone(t.svc.state.sessions.peek("agent-1", s))]));
    const restored = ServiceState.restore(crashed, join(crashed, "audit"));
    for (const s of sessions) assert.deepEqual(restored.sessions.peek("agent-1", s), expected.get(s), s);
    // and without the snapshot, from the log alone: the same
    rmSync(join(crashed, "state.json"));
    const replayed = ServiceState.restore(crashed, join(crashed, "audit"));
    for (const s of sessions.slice(0, 50)) assert.deepEqual(replayed.sessions.peek("agent-1", s), expected.get(s), s);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a snapshot of the first format (sessions without their own seq) is as of its seq", () => {
  const store = new SessionStore();
  const s: SessionState = { id: "a", labels: [], counters: { total: 1 }, spend: { usd: 0, tokens: 0, tool_calls: 1 }, started_at: "2026-01-01T00:00:00Z" };
  store.load([["agent\u0000a", s]], 41);
  assert.equal(store.seqOf(store.peek("agent", "a")!), 41);
  store.apply(store.peek("agent", "a")!, { kind: "shell" }, 57);
  assert.equal(store.seqOf(store.peek("agent", "a")!), 57);
  assert.equal(store.peek("agent", "a")!.counters.total, 2);
});
