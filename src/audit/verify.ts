// `writ audit verify`: re-derives every entry's hash, the chain between
// entries and the signed checkpoints, and names what is wrong by seq:
//   modified  — a line whose bytes no longer match its hash, or whose hash was
//               recomputed (the next entry no longer links to it), or a stretch
//               rewritten wholesale (a signed checkpoint no longer matches);
//   deleted   — a seq missing between entries that are there;
//   reordered — an entry out of seq order in the files;
//   inserted  — an entry that claims a seq already held by the genuine one
//               (the one the chain and checkpoints vouch for), or no seq at all;
//   truncated — a line cut short, or seqs missing after the last entry that a
//               checkpoint says existed.
import { readFileSync, existsSync } from "node:fs";
import { verify } from "node:crypto";
import { basename, join } from "node:path";
import { decodeLine, GENESIS_HASH, type AuditEntry } from "./entry.js";
import { listSegments, readSegmentLines, CHECKPOINT_FILE } from "./segments.js";
import { checkpointMessage, type Checkpoint } from "./checkpoint.js";
import type { PublicKeySet } from "../sign/public-keys.js";

export type ProblemKind = "modified" | "deleted" | "reordered" | "inserted" | "truncated" | "checkpoint";

export interface AuditProblem {
  seq: number;
  kind: ProblemKind;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  lastSeq: number;
  checkpoints: number;
  problems: AuditProblem[];
}

interface Rec {
  where: string;
  seq?: number;
  entry?: AuditEntry;
  good: boolean;
}

export function verifyAuditLog(auditDir: string, keys: PublicKeySet): VerifyReport {
  const problems: AuditProblem[] = [];
  const recs: Rec[] = [];
  const segs = listSegments(auditDir);
  for (let si = 0; si < segs.length; si++) {
    const { lines, torn } = readSegmentLines(segs[si].path);
    const name = basename(segs[si].path);
    lines.forEach((line, i) => {
      const d = decodeLine(line);
      recs.push({ where: `${name}:${i + 1}`, seq: d.claimedSeq, entry: d.entry, good: !!d.entry && d.hashValid });
    });
    if (torn !== undefined) {
      const d = decodeLine(torn);
      const seq = d.claimedSeq ?? maxSeq(recs) + 1;
      problems.push({ seq, kind: "truncated", detail: `${name}:${lines.length + 1}: entry cut short (${torn.length} bytes, no end of line)` });
      recs.push({ where: `${name}:${lines.length + 1}`, seq, good: false });
    }
  }

  for (const r of recs) {
    if (r.good || r.seq === undefined) continue;
    if (problems.some((p) => p.kind === "truncated" && p.seq === r.seq)) continue;
    problems.push({ seq: r.seq, kind: "modified", detail: `${r.where}: content does not match its hash` });
  }
  for (const r of recs) {
    if (r.seq === undefined) problems.push({ seq: -1, kind: "inserted", detail: `${r.where}: line with no seq` });
  }

  const checkpoints = readCheckpoints(auditDir, keys, problems);

  // Choose the genuine entry for each seq claimed by more than one good line.
  const good = recs.filter((r) => r.good) as (Rec & { entry: AuditEntry })[];
  const bySeq = new Map<number, (Rec & { entry: AuditEntry })[]>();
  for (const r of good) {
    const list = bySeq.get(r.entry.seq) ?? [];
    list.push(r);
    bySeq.set(r.entry.seq, list);
  }
  const vouched = new Set<string>();
  for (const r of good) vouched.add(r.entry.prev);
  for (const cp of checkpoints) vouched.add(cp.hash);
  const genuine = new Map<number, Rec & { entry: AuditEntry }>();
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) {
    const list = bySeq.get(seq)!;
    let pick = list.find((r) => vouched.has(r.entry.hash) && !list.some((o) => o !== r && o.entry.prev === r.entry.hash));
    if (!pick) {
      const before = genuine.get(seq - 1);
      pick = list.find((r) => r.entry.prev === (before ? before.entry.hash : seq === 1 ? GENESIS_HASH : ""));
    }
    pick ??= list[0];
    genuine.set(seq, pick);
    for (const r of list) {
      if (r !== pick) problems.push({ seq, kind: "inserted", detail: `${r.where}: a second entry claiming seq ${seq} that the chain does not vouch for` });
    }
  }

  // Reordered: genuine entries outside the longest run in increasing seq order.
  const inFileOrder = good.filter((r) => genuine.get(r.entry.seq) === r);
  for (const r of outOfOrder(inFileOrder.map((r) => r.entry.seq)).map((i) => inFileOrder[i])) {
    problems.push({ seq: r.entry.seq, kind: "reordered", detail: `${r.where}: out of seq order` });
  }

  // Missing seqs: deleted in the middle, truncated at the end.
  const present = new Set<number>();
  for (const r of recs) if (r.seq !== undefined) present.add(r.seq);
  const lastPresent = present.size ? Math.max(...present) : 0;
  const lastClaimed = Math.max(lastPresent, ...checkpoints.map((c) => c.seq));
  for (let s = 1; s <= lastClaimed; s++) {
    if (present.has(s)) continue;
    if (s > lastPresent) problems.push({ seq: s, kind: "truncated", detail: `missing after the last entry (seq ${lastPresent}); a signed checkpoint covers seq ${lastClaimed}` });
    else problems.push({ seq: s, kind: "deleted", detail: "missing from the log" });
  }

  // The chain: each genuine entry must name the hash of the one before.
  const reported = new Set(problems.filter((p) => p.kind === "modified").map((p) => p.seq));
  for (const [seq, r] of genuine) {
    if (seq === 1 && r.entry.prev !== GENESIS_HASH && !reported.has(1)) {
      problems.push({ seq: 1, kind: "modified", detail: `${r.where}: first entry does not start the chain` });
      continue;
    }
    const before = genuine.get(seq - 1);
    if (before && r.entry.prev !== before.entry.hash && !reported.has(seq - 1)) {
      reported.add(seq - 1);
      problems.push({ seq: seq - 1, kind: "modified", detail: `${before.where}: its hash was recomputed; entry ${seq} no longer links to it` });
    }
  }

  // Checkpoints vouch for the chain up to their seq.
  let lastGoodCheckpoint = 0;
  for (const cp of checkpoints) {
    const r = genuine.get(cp.seq);
    if (!r) continue;
    if (r.entry.hash !== cp.hash) {
      if (!problems.some((p) => p.kind === "modified" && p.seq > lastGoodCheckpoint && p.seq <= cp.seq)) {
        problems.push({ seq: cp.seq, kind: "modified", detail: `entries ${lastGoodCheckpoint + 1}..${cp.seq} were rewritten: seq ${cp.seq} no longer matches the checkpoint signed at ${cp.ts}` });
      }
    } else lastGoodCheckpoint = cp.seq;
  }

  problems.sort((a, b) => a.seq - b.seq || a.kind.localeCompare(b.kind));
  return { ok: problems.length === 0, entries: recs.length, lastSeq: lastPresent, checkpoints: checkpoints.length, problems };
}

function maxSeq(recs: Rec[]): number {
  let m = 0;
  for (const r of recs) if (r.seq !== undefined && r.seq > m) m = r.seq;
  return m;
}

/** Indices not in one longest strictly increasing subsequence. */
function outOfOrder(seqs: number[]): number[] {
  const tails: number[] = []; // index of the smallest tail of each length
  const prev: number[] = new Array(seqs.length).fill(-1);
  for (let i = 0; i < seqs.length; i++) {
    let lo = 0, hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[tails[mid]] < seqs[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) keep.add(i);
  return seqs.map((_, i) => i).filter((i) => !keep.has(i));
}

function readCheckpoints(auditDir: string, keys: PublicKeySet, problems: AuditProblem[]): Checkpoint[] {
  const path = join(auditDir, CHECKPOINT_FILE);
  if (!existsSync(path)) return [];
  const out: Checkpoint[] = [];
  readFileSync(path, "utf8").split("\n").forEach((line, i) => {
    if (!line) return;
    let cp: Checkpoint;
    try {
      cp = JSON.parse(line);
    } catch {
      problems.push({ seq: -1, kind: "checkpoint", detail: `${CHECKPOINT_FILE}:${i + 1}: not JSON` });
      return;
    }
    const key = keys.get(cp.kid);
    if (!key) {
      problems.push({ seq: cp.seq, kind: "checkpoint", detail: `${CHECKPOINT_FILE}:${i + 1}: signed by unknown key ${cp.kid}` });
      return;
    }
    const ok = verify(null, Buffer.from(checkpointMessage(cp.seq, cp.hash, cp.ts)), key, Buffer.from(cp.sig, "base64url"));
    if (!ok) problems.push({ seq: cp.seq, kind: "checkpoint", detail: `${CHECKPOINT_FILE}:${i + 1}: bad signature` });
    else out.push(cp);
  });
  return out;
}
