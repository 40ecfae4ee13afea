// One audit entry is one line of JSON:
//   {"seq":N,"ts":"…","prev":"<hex>","type":"…","data":{…},"hash":"<hex>"}\n
// `hash` is SHA-256 of the line's own bytes up to the `,"hash"` field with a
// closing `}` put back, i.e. of `{"seq":…,"data":{…}}` exactly as written. The
// hash is over bytes, not over a re-serialisation, so verifiers in any
// language can recompute it without a canonical JSON implementation.
import { sha256Hex } from "../sha256.js";

export const GENESIS_HASH = "0".repeat(64);
const HASH_SUFFIX_LENGTH = ',"hash":"'.length + 64 + '"}'.length;

export interface AuditEntry {
  seq: number;
  ts: string;
  prev: string;
  type: string;
  data: Record<string, unknown>;
  hash: string;
}

/** Builds the line for an entry whose `data` is already JSON text. */
export function encodeEntry(seq: number, ts: string, prev: string, type: string, dataJson: string): { line: string; hash: string } {
  const body = `{"seq":${seq},"ts":"${ts}","prev":"${prev}","type":${JSON.stringify(type)},"data":${dataJson}}`;
  const hash = sha256Hex(body);
  return { line: body.slice(0, -1) + `,"hash":"${hash}"}\n`, hash };
}

/** What a line says about itself: its parsed form, and whether its hash
 *  matches its bytes. `entry` is undefined when the line is not JSON. */
export interface DecodedLine {
  entry?: AuditEntry;
  /** the seq the line claims, found even in a line that no longer parses */
  claimedSeq?: number;
  hashValid: boolean;
}

export function decodeLine(line: string): DecodedLine {
  const seqMatch = /^\{"seq":(\d+),/.exec(line);
  const claimedSeq = seqMatch ? Number(seqMatch[1]) : undefined;
  let entry: AuditEntry | undefined;
  try {
    const parsed = JSON.parse(line);
    if (parsed && typeof parsed === "object" && typeof parsed.seq === "number" && typeof parsed.hash === "string") {
      entry = parsed as AuditEntry;
    }
  } catch {
    // not JSON: modified or torn
  }
  let hashValid = false;
  if (entry && line.length > HASH_SUFFIX_LENGTH) {
    const suffix = line.slice(-HASH_SUFFIX_LENGTH);
    if (suffix === `,"hash":"${entry.hash}"}`) {
      const body = line.slice(0, -HASH_SUFFIX_LENGTH) + "}";
      hashValid = sha256Hex(body) === entry.hash;
    }
  }
  return { entry, claimedSeq: entry?.seq ?? claimedSeq, hashValid };
}
