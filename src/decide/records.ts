// The audit entry types the service writes, and the data each carries. The
// state-changing ones carry enough to rebuild sessions, approvals and kill
// switches by replaying the log (see state.ts).
import type { SessionUpdate } from "./sessions.js";
import type { KillSwitch } from "./kill.js";
import type { TaskUsage, Verdict } from "./types.js";

export const ENTRY = {
  decision: "decision",
  approvalDecided: "approval_decided",
  killSet: "kill_set",
  killLifted: "kill_lifted",
  bundleLoaded: "bundle_loaded",
  bundleRejected: "bundle_rejected",
  serviceStarted: "service_started",
  serviceStopped: "service_stopped",
  keyRotated: "key_rotated",
  sessionsRetired: "sessions_retired",
  usageReset: "usage_reset",
} as const;

/** data of a `decision` entry (plus `input`, the canonical action, spliced
 *  in as raw JSON text). */
export interface DecisionRecord {
  decision_id: string;
  request_id?: string;
  agent: string;
  session: string;
  harness: string;
  event: string;
  tool: string;
  kind: string;
  contract_id?: string;
  model?: string;
  action_digest: string;
  decision: Verdict;
  reasons: string[];
  rule_ids: string[];
  bundle: { revision: string; digest: string };
  /** how the decision changed the session (allowed actions only) */
  session_update?: SessionUpdate;
  /** the approval this `approve` verdict created */
  approval_created?: { id: string; expires_at: string };
  /** the approval this decision redeemed */
  approval_used?: string;
  /** why the pipeline decided without (or against) the policy */
  failure?: string;
  eval_us?: number;
}

export interface ApprovalDecidedRecord {
  approval_id: string;
  grant: boolean;
  operator: string;
  note?: string;
  action_digest: string;
}

export type KillSetRecord = KillSwitch;

/** An operator set a task contract's counted use back to zero, or to `to`. */
export interface UsageResetRecord {
  contract: string;
  reset_by: string;
  reason: string;
  /** the use it had */
  previous: TaskUsage;
  /** the use it has now, when not zero */
  to?: TaskUsage;
}

/** Sessions forgotten after going unused for `idle_seconds` (their next
 *  decision starts afresh): [agent, session] pairs. */
export interface SessionsRetiredRecord {
  idle_seconds: number;
  sessions: [string, string][];
}

export interface KillLiftedRecord {
  id: string;
  lifted_by: string;
  reason?: string;
  switch: KillSwitch;
}
