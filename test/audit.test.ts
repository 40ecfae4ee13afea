import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, readdirSync, rmSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { AuditLog } from "../src/audit/log.js";
import { verifyAuditLog, type ProblemKind } from "../src/audit/verify.js";
import { encodeEntry, decodeLine } from "../src/audit/entry.js";
import { opaEvents } from "../src/audit/export.js";
import { endOfData, readSegmentLines } from "../src/audit/segments.js";
import { Keyring } from "../src/sign/keyring.js";
import { keysFromPem } from "../src/sign/public-keys.js";
import { tempDir } from "./support/service.js";

async function writeLog(n: number, opts: { checkpointEvery?: number; maxSegmentBytes?: number; preallocBytes?: number } = {}) {
  const dir = tempDir("writ-audit-");
  const keyring = Keyring.open(join(dir, "keys"));
  const log = AuditLog.open({ dir: join(dir, "audit"), keyring, checkpointEvery: opts.checkpointEvery ?? 1_000_000, maxSegmentBytes: opts.maxSegmentBytes, preallocBytes: opts.preallocBytes ?? 4096 });
  // batches of two entries: each batch is one group commit
  for (let i = 1; i <= n; i += 2) {
    const waits = [];
    for (let j = i; j <= Math.min(n, i + 1); j++) waits.push(log.append("decision", JSON.stringify({ decision_id: `d${j}`, agent: "a", session: "s", decision: "allow", reasons: [], rule_ids: [], bundle: { revision: "r", digest: "d" }, action_digest: "x" })).durable);
    assert.equal(waits[0], waits[waits.length - 1], "entries appended together share one durability promise");
    await Promise.all(waits);
  }
  await log.close();
  const keys = keysFromPem(keyring.current.publicKey.export({ format: "pem", type: "spki" }));
  const seg = join(dir, "audit/segments", readdirSync(join(dir, "audit/segments"))[0]);
  return { dir, audit: join(dir, "audit"), keys, keyring, seg };
}

const lines = (p: string) => readSegmentLines(p).lines;
const save = (p: string, ls: string[]) => writeFileSync(p, ls.map((l) => l + "\n").join(""));
const kinds = (r: ReturnType<typeof verifyAuditLog>) => r.problems.map((p) => `${p.kind}@${p.seq}`);

test("a batch of appends shares one sync; entries chain and verify", async () => {
  const { audit, keys, seg, dir } = await writeLog(50, { checkpointEvery: 20 });
  const ls = lines(seg);
  assert.equal(ls.length, 50);
  for (let i = 1; i < ls.length; i++) assert.equal(JSON.parse(ls[i]).prev, JSON.parse(ls[i - 1]).hash);
  const r = verifyAuditLog(audit, keys);
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true);
  assert.equal(r.lastSeq, 50);
  assert.ok(r.checkpoints >= 2, "checkpoint every 20 entries plus one at close");
  rmSync(dir, { recursive: true });
});

test("an entry's hash covers its exact bytes", () => {
  const { line, hash } = encodeEntry(1, "2026-01-01T00:00:00.000Z", "0".repeat(64), "t", '{"a":1}');
  assert.equal(decodeLine(line.trimEnd()).hashValid, true);
  assert.equal(decodeLine(line.trimEnd().replace('"a":1', '"a":2')).hashValid, false);
  assert.equal(JSON.parse(line).hash, hash);
});

const cases: [string, ProblemKind, number, (ls: string[]) => string[]][] = [
  ["an edited byte", "modified", 7, (ls) => ((ls[6] = ls[6].replace('"d7"', '"d9"')), ls)],
  ["a deleted entry", "deleted", 5, (ls) => ls.filter((_, i) => i !== 4)],
  ["an entry moved later", "reordered", 3, (ls) => { const [m] = ls.splice(2, 1); ls.splice(10, 0, m); return ls; }],
  ["a forged entry claiming an existing seq", "inserted", 6, (ls) => {
    const prev = JSON.parse(ls[4]).hash;
    const forged = encodeEntry(6, "2026-01-01T00:00:00.000Z", prev, "decision", '{"decision_id":"forged","decision":"allow"}').line.trimEnd();
    ls.splice(5, 0, forged);
    return ls;
  }],
  ["a cut-short last line", "truncated", 20, (ls) => ((ls[19] = ls[19].slice(0, 40)), ls)],
];

for (const [name, kind, seq, tamper] of cases) {
  test(`audit verify names ${name} by seq (${kind})`, async () => {
    const { audit, keys, seg, dir } = await writeLog(20);
    const ls = tamper(lines(seg));
    if (kind === "truncated") writeFileSync(seg, ls.slice(0, -1).map((l) => l + "\n").join("") + ls[ls.length - 1]);
    else save(seg, ls);
    const r = verifyAuditLog(audit, keys);
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => p.kind === kind && p.seq === seq), `expected ${kind}@${seq}, got ${kinds(r).join(", ")}`);
    // nothing else is blamed on entries that were not touched
    assert.ok(r.problems.every((p) => p.seq === seq || (kind === "modified" && p.seq === seq)), kinds(r).join(", "));
    rmSync(dir, { recursive: true });
  });
}

test("audit verify catches a rewritten hash (the next entry no longer links)", async () => {
  const { audit, keys, seg, dir } = await writeLog(10);
  const ls = lines(seg);
  const e = JSON.parse(ls[3]);
  const data = JSON.stringify({ ...e.data, decision: "deny" });
  ls[3] = encodeEntry(e.seq, e.ts, e.prev, e.type, data).line.trimEnd();
  save(seg, ls);
  const r = verifyAuditLog(audit, keys);
  assert.deepEqual(kinds(r), ["modified@4"]);
  rmSync(dir, { recursive: true });
});

test("a chain rewritten from some entry to the end is caught by the signed checkpoints", async () => {
  const { audit, keys, seg, dir } = await writeLog(30, { checkpointEvery: 10 });
  const ls = lines(seg);
  let prev = JSON.parse(ls[13]).hash;
  for (let i = 14; i < ls.length; i++) {
    const e = JSON.parse(ls[i]);
    const data = i === 14 ? JSON.stringify({ ...e.data, decision: "deny" }) : JSON.stringify(e.data);
    const enc = encodeEntry(e.seq, e.ts, prev, e.type, data);
    ls[i] = enc.line.trimEnd();
    prev = enc.hash;
  }
  save(seg, ls);
  const r = verifyAuditLog(audit, keys);
  assert.equal(r.ok, false);
  assert.ok(r.problems.some((p) => p.kind === "modified" && p.seq === 20 && /11\.\.20/.test(p.detail)), kinds(r).join(", "));
  rmSync(dir, { recursive: true });
});

test("whole entries cut from the end are named as truncated when a checkpoint covers them", async () => {
  const { audit, keys, seg, dir } = await writeLog(12, { checkpointEvery: 12 });
  save(seg, lines(seg).slice(0, 9));
  const r = verifyAuditLog(audit, keys);
  assert.deepEqual(kinds(r), ["truncated@10", "truncated@11", "truncated@12"]);
  rmSync(dir, { recursive: true });
});

test("a checkpoint signed by another key is reported", async () => {
  const { audit, seg, dir } = await writeLog(5);
  const other = keysFromPem(Keyring.ephemeral().current.publicKey.export({ format: "pem", type: "spki" }));
  const r = verifyAuditLog(audit, other);
  assert.ok(r.problems.some((p) => p.kind === "checkpoint"));
  void seg;
  rmSync(dir, { recursive: true });
});

test("segments are preallocated; entries end where the zeros begin", async () => {
  const { seg, audit, keys, dir } = await writeLog(3);
  const raw = readFileSync(seg);
  assert.ok(raw.length >= 4096 && raw.length % 4096 === 0);
  assert.equal(raw[endOfData(raw) - 1], 0x0a);
  assert.equal(lines(seg).length, 3);
  assert.deepEqual(verifyAuditLog(audit, keys).problems, []);
  rmSync(dir, { recursive: true });
});

test("growing a segment in the background never overwrites entries", async () => {
  // a tiny preallocation: the log keeps catching up with its own extension
  const { audit, keys, seg, dir } = await writeLog(300, { preallocBytes: 700 });
  assert.equal(lines(seg).length, 300);
  assert.deepEqual(verifyAuditLog(audit, keys).problems, []);
  rmSync(dir, { recursive: true });
});

test("segments rotate by size and still verify as one chain", async () => {
  const { audit, keys, dir } = await writeLog(40, { maxSegmentBytes: 2000 });
  assert.ok(readdirSync(join(audit, "segments")).length > 1);
  assert.deepEqual(verifyAuditLog(audit, keys).problems, []);
  rmSync(dir, { recursive: true });
});

test("reopening cuts a torn tail and continues the chain", async () => {
  const { audit, keys, keyring, seg, dir } = await writeLog(5);
  // a write the crash cut short, in the preallocated space after the last entry
  const raw = readFileSync(seg);
  const fd = openSync(seg, "r+");
  writeSync(fd, '{"seq":6,"ts":"2026', endOfData(raw));
  closeSync(fd);
  const log = AuditLog.open({ dir: audit, keyring, preallocBytes: 4096 });
  assert.equal(log.lastSeq, 5);
  assert.ok(log.recoveredTornBytes > 0);
  await log.append("decision", "{}").durable;
  await log.close();
  assert.deepEqual(verifyAuditLog(audit, keys).problems, []);
  rmSync(dir, { recursive: true });
});

test("a crash that left a later batch on disk after a hole: recovery keeps a copy aside, cuts it, and the chain goes on", async () => {
  const { audit, keys, keyring, seg, dir } = await writeLog(6);
  // batch "7" never landed (zeros); batch "8" did, 100 bytes further on
  const raw = readFileSync(seg);
  const end = endOfData(raw);
  const stray = encodeEntry(8, "2026-01-01T00:00:00.000Z", "f".repeat(64), "decision", "{}").line;
  const fd = openSync(seg, "r+");
  writeSync(fd, stray, end + 100);
  closeSync(fd);
  const log = AuditLog.open({ dir: audit, keyring, preallocBytes: 4096 });
  assert.equal(log.lastSeq, 6);
  assert.equal(log.recoveredTornBytes, 100 + Buffer.byteLength(stray));
  await log.append("decision", "{}").durable;
  await log.close();
  assert.deepEqual(verifyAuditLog(audit, keys).problems, []);
  const kept = readdirSync(audit).filter((n) => n.startsWith("recovered-"));
  assert.equal(kept.length, 1);
  assert.match(readFileSync(join(audit, kept[0]), "utf8"), /"seq":8,/);
  rmSync(dir, { recursive: true });
});

test("concurrent syncs: batches become durable in order, whatever order the disk finishes them in", async () => {
  const dir = tempDir("writ-audit-");
  const keyring = Keyring.open(join(dir, "keys"));
  const log = AuditLog.open({ dir: join(dir, "audit"), keyring, preallocBytes: 8192, maxInFlight: 3, inlineSyncMax: 0 });
  const seen: number[] = [];
  const all: Promise<void>[] = [];
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 5; i++) {
      const a = log.append("decision", JSON.stringify({ round, i }));
      all.push(a.durable.then(() => void seen.push(a.seq)));
    }
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(all);
  await log.close();
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), "answers are released in seq order");
  assert.equal(seen.length, 200);
  assert.ok(log.commits.batches > 1);
  const keys = keysFromPem(keyring.current.publicKey.export({ format: "pem", type: "spki" }));
  assert.deepEqual(verifyAuditLog(join(dir, "audit"), keys).problems, []);
  rmSync(dir, { recursive: true });
});

test("a failed write poisons the log: the batch and every later append fail", async () => {
  const { audit, keyring, dir } = await writeLog(1);
  const log = AuditLog.open({ dir: audit, keyring });
  // the disk fills up: the next write fails with ENOSPC
  const { openSync } = await import("node:fs");
  (log as unknown as { fd: number }).fd = openSync("/dev/full", "w");
  await assert.rejects(log.append("decision", "{}").durable);
  assert.throws(() => log.append("decision", "{}"), /audit log failed/);
  rmSync(dir, { recursive: true });
});

test("export writes OPA decision-log events", async () => {
  const { audit, dir } = await writeLog(3);
  const events = [...opaEvents(audit)];
  assert.equal(events.length, 3);
  assert.equal(events[0].decision_id, "d1");
  assert.equal(events[0].path, "writ/decision");
  assert.deepEqual(events[0].bundles, { writ: { revision: "r" } });
  assert.match(events[0].timestamp, /\.\d{9}Z$/);
  assert.equal(events[2].req_id, 3);
  rmSync(dir, { recursive: true });
});
