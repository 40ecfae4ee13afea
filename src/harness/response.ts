// What counts as an answer from writ. Anything else — a non-200 status,
// a body that is not JSON, a verdict outside allow/deny/approve, missing
// reasons — is no answer, and an adapter blocks on it.
import type { DecideResponse } from "../decide/types.js";

export class NoDecision extends Error {}

const VERDICTS = new Set(["allow", "deny", "approve"]);

export function parseDecideResponse(status: number, body: string): DecideResponse {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new NoDecision(`writ answered HTTP ${status} with a body that is not JSON`);
  }
  if (status !== 200) {
    const msg = v && typeof v === "object" && typeof (v as { error?: unknown }).error === "string" ? (v as { error: string }).error : body.slice(0, 200);
    throw new NoDecision(`writ answered HTTP ${status}: ${msg}`);
  }
  return checkDecideResponse(v);
}

/** A DecideResponse, checked field by field (the parts adapters rely on). */
export function checkDecideResponse(v: unknown): DecideResponse {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new NoDecision("writ's answer is not an object");
  const r = v as Record<string, unknown>;
  if (typeof r.decision !== "string" || !VERDICTS.has(r.decision)) throw new NoDecision(`writ's answer has no valid decision (${JSON.stringify(r.decision)})`);
  if (!isStrings(r.reasons)) throw new NoDecision("writ's answer has no reasons list");
  if (!isStrings(r.rule_ids)) throw new NoDecision("writ's answer has no rule_ids list");
  if (typeof r.decision_id !== "string" || r.decision_id === "") throw new NoDecision("writ's answer has no decision_id");
  if (r.approval !== undefined) {
    const a = r.approval as Record<string, unknown> | null;
    if (!a || typeof a !== "object" || typeof a.id !== "string" || typeof a.expires_at !== "string") throw new NoDecision("writ's answer has a malformed approval");
  }
  return v as DecideResponse;
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}
