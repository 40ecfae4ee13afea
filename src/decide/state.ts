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
import { UsageStore } from "./usage.js";
import { ENTRY, type ApprovalDecidedRecord, type DecisionRecord, type KillLiftedRecord, type SessionsRetiredRecord, type UsageResetRecord } from "./records.js";
import { readAllLines } from "../audit/segments.js";
import type { SessionState, TaskUsage } from "./types.js";

/** `<data-dir>/state.json`. Approvals, kill switches and task usage are as
 *  of `seq`.
 *  Each session is as it was when written, at or after `seq`: [key, state,
 *  seq of its last update, when it was last used (ms)] (the first format,
 *  written all at once, had [key, state], as of `seq`; the second lacked
 *  the last use). */
interface Snapshot {
  seq: number;
  sessions: ([string, SessionState] | [string, SessionState, number] | [string, SessionState, number, number])[];
  approvals: Approval[];
  kills: KillSwitch[];
  /** each task contract's use, as of `seq` (absent before total budgets) */
  usage?: Record<string, TaskUsage>;
}

/** sessions serialised per turn of the event loop while a snapshot is written */
const SESSIONS_PER_SLICE = 500;

export class ServiceState {
  readonly sessions = new SessionStore();
  readonly approvals = new ApprovalStore();
  readonly kills = new KillSwitches();
  readonly usage = new UsageStore();
  /** seq of the last audit entry reflected in this state */
  appliedSeq = 0;

  /** Loads the snapshot (if any) and replays the log after it. */
  static restore(dataDir: string, auditDir: string): ServiceState {
    const state = new ServiceState();
    const snapPath = join(dataDir, "state.json");
    if (existsSync(snapPath)) {
      try {
        const snap = JSON.parse(readFileSync(snapPath, "utf8")) as Snapshot;
        state.sessions.load(snap.sessions, snap.seq);
        state.approvals.load(snap.approvals);
        state.kills.load(snap.kills);
        state.usage.load(snap.usage);
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
      this.applyEntry(e.type, e.data, e.ts, e.seq);
      this.appliedSeq = e.seq;
    }
  }

  /** Applies one audit entry's effect (replay). */
  applyEntry(type: string, data: Record<string, unknown>, ts: string, seq: number): void {
    switch (type) {
      case ENTRY.decision: {
        const d = data as unknown as DecisionRecord;
        const atMs = Date.parse(ts);
        const session = this.sessions.get(d.agent, d.session, ts, atMs);
        // a session the snapshot holds as of a later entry has this one
        if (d.session_update && seq > this.sessions.seqOf(session)) this.sessions.apply(session, d.session_update, seq, atMs);
        // (the snapshot's usage is as of its seq: every later entry counts)
        if (d.session_update && d.contract_id) this.usage.apply(d.contract_id, d.event, d.session_update);
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
      case ENTRY.usageReset:
        this.usage.reset((data as unknown as UsageResetRecord).contract, (data as unknown as UsageResetRecord).to);
        break;
      case ENTRY.sessionsRetired:
        for (const [agent, session] of (data as unknown as SessionsRetiredRecord).sessions) this.sessions.drop(agent, session);
        break;
    }
  }

  /** Writes the snapshot atomically (tmp file, fsync, rename) while
   *  decisions go on: approvals and kill switches as of now, sessions a
   *  slice per turn of the event loop, each as it is when its slice is
   *  written (a large state no longer stops the loop for the whole
   *  serialisation: 25,000 sessions took 20–34 ms at once). Before the
   *  rename it waits, through `durable`, until every entry the snapshot
   *  reflects is on disk: state from a decision whose entry a crash could
   *  still cut must not outlive it. Resolves the seq it is as of. */
  async writeSnapshot(dataDir: string, durable: (seq: number) => Promise<void>): Promise<number> {
    const seq = this.appliedSeq;
    const head = `{"seq":${seq},"approvals":${JSON.stringify(this.approvals.toJSON())},"kills":${JSON.stringify(this.kills.toJSON())},"usage":${JSON.stringify(this.usage.toJSON())},"sessions":[`;
    const keys = this.sessions.keys();
    const tmp = join(dataDir, "state.json.tmp");
    const fh = await open(tmp, "w", 0o600);
    let newest = seq;
    let written = 0;
    try {
      await fh.write(head);
      for (let i = 0; i < keys.length; i += SESSIONS_PER_SLICE) {
        const parts: string[] = [];
        for (const key of keys.slice(i, i + SESSIONS_PER_SLICE)) {
          const entry = this.sessions.snapshotEntry(key);
          if (!entry) continue;
          if (entry[2] > newest) newest = entry[2];
          parts.push(JSON.stringify(entry));
        }
        if (parts.length === 0) continue;
        // (the write's await lets decisions run between slices)
        await fh.write((written > 0 ? "," : "") + parts.join(","));
        written += parts.length;
      }
      await fh.write("]}");
      await durable(newest);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dataDir, "state.json"));
    return seq;
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
