// Signed checkpoints: every so often the log signs (seq, hash) of its newest
// durable entry, so that a chain rewritten from some entry on, or a log cut
// short, is caught by `writ audit verify` even though each entry's own hash
// still matches.
export interface Checkpoint {
  seq: number;
  hash: string;
  ts: string;
  kid: string;
  /** base64url Ed25519 signature over checkpointMessage(seq, hash, ts) */
  sig: string;
}

export function checkpointMessage(seq: number, hash: string, ts: string): string {
  return `writ-audit-checkpoint\n${seq}\n${hash}\n${ts}`;
}
