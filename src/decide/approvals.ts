// Pending approvals: an `approve` verdict parks the action, bound to its
// digest, agent and session, until an operator grants or rejects it. A
// granted approval can be redeemed once, for exactly that action, before it
// expires.
import { randomBytes } from "node:crypto";

export type ApprovalStatus = "pending" | "granted" | "rejected" | "used";

export interface Approval {
  id: string;
  agent: string;
  session: string;
  action_digest: string;
  decision_id: string;
  reasons: string[];
  rule_ids: string[];
  tool: string;
  status: ApprovalStatus;
  created_at: string;
  expires_at: string;
  decided_by?: string;
  decided_at?: string;
  note?: string;
  used_by?: string;
}

export function newApprovalId(): string {
  return "apv_" + randomBytes(15).toString("base64url");
}

export type RedeemResult =
  | { ok: true; approval: Approval }
  | { ok: false; pending?: Approval; reason: string };

export class ApprovalStore {
  private approvals = new Map<string, Approval>();

  add(a: Approval): void {
    this.approvals.set(a.id, a);
  }

  get(id: string): Approval | undefined {
    return this.approvals.get(id);
  }

  list(status?: ApprovalStatus): Approval[] {
    return [...this.approvals.values()].filter((a) => !status || a.status === status);
  }

  /** Checks whether `id` may be redeemed for this action now. */
  check(id: string, agent: string, session: string, digest: string, nowMs: number): RedeemResult {
    const a = this.approvals.get(id);
    if (!a) return { ok: false, reason: `approval ${id}: unknown` };
    if (a.agent !== agent || a.session !== session) return { ok: false, reason: `approval ${id}: issued to another agent or session` };
    if (a.action_digest !== digest) return { ok: false, reason: `approval ${id}: the action differs from the one approved` };
    if (a.status === "used") return { ok: false, reason: `approval ${id}: already used (decision ${a.used_by})` };
    if (a.status === "rejected") return { ok: false, reason: `approval ${id}: rejected by ${a.decided_by}` };
    if (Date.parse(a.expires_at) <= nowMs) return { ok: false, reason: `approval ${id}: expired at ${a.expires_at}` };
    if (a.status === "pending") return { ok: false, pending: a, reason: `approval ${id}: still waiting for an operator` };
    return { ok: true, approval: a };
  }

  /** Records an operator's answer; false when the approval is not pending. */
  decide(id: string, grant: boolean, operator: string, at: string, note?: string): boolean {
    const a = this.approvals.get(id);
    if (!a || a.status !== "pending") return false;
    a.status = grant ? "granted" : "rejected";
    a.decided_by = operator;
    a.decided_at = at;
    if (note) a.note = note;
    return true;
  }

  markUsed(id: string, decisionId: string): void {
    const a = this.approvals.get(id);
    if (a) {
      a.status = "used";
      a.used_by = decisionId;
    }
  }

  /** Drops approvals that expired long ago (kept a day for lookups). */
  prune(nowMs: number, keepMs = 24 * 3600_000): void {
    for (const [id, a] of this.approvals) if (Date.parse(a.expires_at) + keepMs < nowMs) this.approvals.delete(id);
  }

  size(): number {
    return this.approvals.size;
  }

  toJSON(): Approval[] {
    return [...this.approvals.values()];
  }

  load(list: Approval[]): void {
    this.approvals = new Map(list.map((a) => [a.id, a]));
  }
}
