// Audit entries as OPA decision-log events (OPA's EventV1), so tools that
// consume OPA decision logs can read writ's. Only `decision` entries become
// events; writ-only facts (action digest, audit seq and hash, session) ride in
// a `writ` field that OPA consumers ignore.
import { readAllLines } from "./segments.js";
import { DECISION_ENTRYPOINT } from "../engine/engine.js";
import { version } from "../version.js";
import type { DecisionRecord } from "../decide/records.js";

export interface OpaDecisionEvent {
  labels: Record<string, string>;
  decision_id: string;
  bundles: Record<string, { revision: string }>;
  path: string;
  input: unknown;
  result: { decision: string; reasons: string[]; rule_ids: string[] };
  requested_by: string;
  timestamp: string;
  metrics?: Record<string, number>;
  req_id: number;
  writ: { action_digest: string; audit: { seq: number; hash: string }; agent: string; session: string; bundle_digest: string; failure?: string };
}

export function* opaEvents(auditDir: string, instanceId = "writ"): Generator<OpaDecisionEvent> {
  for (const line of readAllLines(auditDir)) {
    let e: { seq: number; ts: string; type: string; hash: string; data: DecisionRecord & { input?: unknown } };
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (e.type !== "decision") continue;
    const d = e.data;
    yield {
      labels: { id: instanceId, version: `writ-${version}`, app: "writ" },
      decision_id: d.decision_id,
      bundles: { writ: { revision: d.bundle.revision } },
      path: DECISION_ENTRYPOINT,
      input: d.input,
      result: { decision: d.decision, reasons: d.reasons, rule_ids: d.rule_ids },
      requested_by: d.agent,
      timestamp: rfc3339Nano(e.ts),
      ...(d.eval_us !== undefined ? { metrics: { timer_rego_query_eval_ns: d.eval_us * 1000 } } : {}),
      req_id: e.seq,
      writ: {
        action_digest: d.action_digest,
        audit: { seq: e.seq, hash: e.hash },
        agent: d.agent,
        session: d.session,
        bundle_digest: d.bundle.digest,
        ...(d.failure ? { failure: d.failure } : {}),
      },
    };
  }
}

// OPA writes RFC 3339 with nanoseconds
function rfc3339Nano(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, ".$1000000Z");
}
