// Where the audit log lives in the data dir: `<dir>/segments/<first seq>.log`
// (20-digit zero-padded, so names sort in seq order) and
// `<dir>/checkpoints.log`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const SEGMENT_DIR = "segments";
export const CHECKPOINT_FILE = "checkpoints.log";

export function segmentName(firstSeq: number): string {
  return String(firstSeq).padStart(20, "0") + ".log";
}

/** Segment files in seq order, with the first seq their name promises. */
export function listSegments(auditDir: string): { path: string; firstSeq: number }[] {
  const dir = join(auditDir, SEGMENT_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^\d{20}\.log$/.test(n))
    .sort()
    .map((n) => ({ path: join(dir, n), firstSeq: Number(n.slice(0, 20)) }));
}

/** A segment's lines. `torn` is the trailing text after the last newline
 *  (a write cut short), if any. */
export function readSegmentLines(path: string): { lines: string[]; torn?: string } {
  const raw = readFileSync(path);
  const text = raw.subarray(0, endOfData(raw)).toString("utf8");
  const parts = text.split("\n");
  const last = parts.pop()!;
  return { lines: parts, torn: last.length > 0 ? last : undefined };
}

/** Every entry line of the log in file order, for readers that trust it
 *  (replay at start-up, export); `verifyAuditLog` is the checking reader. */
export function* readAllLines(auditDir: string, fromSeq = 0): Generator<string> {
  const segs = listSegments(auditDir);
  for (let i = 0; i < segs.length; i++) {
    const next = segs[i + 1];
    if (next && next.firstSeq <= fromSeq) continue;
    for (const line of readSegmentLines(segs[i].path).lines) if (line) yield line;
  }
}

/** Where the entries of a segment end: segments are preallocated with
 *  zero bytes, which no entry contains. */
export function endOfData(raw: Buffer): number {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === 0) end--;
  return end;
}
