// Everything the service remembers between decisions — sessions, approvals,
// kill switches — and how it survives a restart: a snapshot in
// `<data-dir>/state.json` (written every few seconds, tagged with the audit
// seq it includes) plus a replay of the audit entries after that seq. The log
// is the source of truth; the snapshot only shortens the replay.
import { existsSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import { SessionStore } from "./sessions.js";
import { ApprovalStore, type Approval } from "./approvals.js";
import { KillSwitches, type KillSwitch } from "./kill.js";
import { ENTRY, type ApprovalDecidedRecord, type DecisionRecord, type KillLiftedRecord } from "./records.js";
import { readAllLines } from "../audit/segments.js";
import type { SessionState } from "./types.js";

interface Snapshot {
  seq: number;
  sessions: [string, SessionState][];
  approvals: Approval[];
  kills: KillSwitch[];
}

export class ServiceState {
  readonly sessions = new SessionStore();
  readonly approvals = new ApprovalStore();
  readonly kills = new KillSwitches();
  /** seq of the last audit entry reflected in this state */
  appliedSeq = 0;

  /** Loads the snapshot (if any) and replays the log after it. */
  static restore(dataDir: string, auditDir: string): ServiceState {
    const state = new ServiceState();
    const snapPath = join(dataDir, "state.json");
    if (existsSync(snapPath)) {
      try {
        const snap = JSON.parse(readFileSync(snapPath, "utf8")) as Snapshot;
        state.sessions.load(snap.sessions);
        state.approvals.load(snap.approvals);
        state.kills.load(snap.kills);
        state.appliedSeq = snap.seq;
      } catch {
        // a damaged snapshot only costs a longer replay
        return ServiceState.replayOnly(auditDir);
      }
    }
    state.replay(auditDir);
    return state;
  }

  private static replayOnly(auditDir: string): ServiceState {
    const state = new ServiceState();
    state.replay(auditDir);
    return state;
  }

  private replay(auditDir: string): void {
    for (const line of readAllLines(auditDir, this.appliedSeq + 1)) {
      let e: { seq: number; ts: string; type: string; data: Record<string, unknown> };
      try {
        e = JSON.parse(line);
      } catch {
        continue; // a damaged line: `writ audit verify` names it
      }
      if (e.seq <= this.appliedSeq) continue;
      this.applyEntry(e.type, e.data, e.ts);
      this.appliedSeq = e.seq;
    }
  }

  /** Applies one audit entry's effect (replay). */
  applyEntry(type: string, data: Record<string, unknown>, ts: string): void {
    switch (type) {
      case ENTRY.decision: {
        const d = data as unknown as DecisionRecord;
        if (d.session_update) this.sessions.apply(this.sessions.get(d.agent, d.session, ts), d.session_update);
        else this.sessions.get(d.agent, d.session, ts);
        if (d.approval_created) this.approvals.add(approvalFrom(d, ts));
        if (d.approval_used) this.approvals.markUsed(d.approval_used, d.decision_id);
        break;
      }
      case ENTRY.approvalDecided: {
        const d = data as unknown as ApprovalDecidedRecord;
        this.approvals.decide(d.approval_id, d.grant, d.operator, ts, d.note);
        break;
      }
      case ENTRY.killSet:
        this.kills.set(data as unknown as KillSwitch);
        break;
      case ENTRY.killLifted:
        this.kills.lift((data as unknown as KillLiftedRecord).id);
        break;
    }
  }

  /** Writes the snapshot atomically (tmp file, fsync, rename). The state is
   *  serialised now; the file work happens off the event loop. */
  async writeSnapshot(dataDir: string): Promise<void> {
    const snap: Snapshot = { seq: this.appliedSeq, sessions: this.sessions.toJSON(), approvals: this.approvals.toJSON(), kills: this.kills.toJSON() };
    const text = JSON.stringify(snap);
    const tmp = join(dataDir, "state.json.tmp");
    const fh = await open(tmp, "w", 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dataDir, "state.json"));
  }
}

export function approvalFrom(d: DecisionRecord, ts: string): Approval {
  return {
    id: d.approval_created!.id,
    agent: d.agent,
    session: d.session,
    action_digest: d.action_digest,
    decision_id: d.decision_id,
    reasons: d.reasons,
    rule_ids: d.rule_ids,
    tool: d.tool,
    status: "pending",
    created_at: ts,
    expires_at: d.approval_created!.expires_at,
  };
}
