// Server-held session state: monotonic labels (taint), tool-call counters by
// action kind, and spend. Policies read it as `input.session`; only writ
// changes it, from the decisions it makes. Sessions belong to an agent: the
// same session id under two agents is two sessions.
import type { SessionState } from "./types.js";

/** How an allowed action changes its session (recorded in its audit entry,
 *  so replaying the log rebuilds the state). */
export interface SessionUpdate {
  /** action kind to count (pre_tool_use only) */
  kind?: string;
  labels?: string[];
  cost?: { usd?: number; tokens?: number };
}

export class SessionStore {
  private sessions = new Map<string, SessionState>();
  /** the audit seq of the last update applied to each session (kept beside
   *  the state, not in it: the state is the policy's input.session). A
   *  snapshot written while decisions go on holds each session as it was
   *  when written; on restore, the log replays into a session only the
   *  updates after its own seq. */
  private lastSeq = new WeakMap<SessionState, number>();

  private static key(agent: string, session: string): string {
    return agent + "\u0000" + session;
  }

  /** The session, created on first use. */
  get(agent: string, session: string, now: string): SessionState {
    const key = SessionStore.key(agent, session);
    let s = this.sessions.get(key);
    if (!s) {
      s = { id: session, labels: [], counters: { total: 0 }, spend: { usd: 0, tokens: 0, tool_calls: 0 }, started_at: now };
      this.sessions.set(key, s);
    }
    return s;
  }

  peek(agent: string, session: string): SessionState | undefined {
    return this.sessions.get(SessionStore.key(agent, session));
  }

  /** Applies an allowed action's effects. Called in the same synchronous
   *  step as the evaluation that allowed it, so no other decision can see
   *  the budget in between (the reservation is atomic). */
  apply(state: SessionState, update: SessionUpdate, seq: number): void {
    this.lastSeq.set(state, seq);
    if (update.labels) {
      for (const l of update.labels) if (!state.labels.includes(l)) state.labels.push(l);
      state.labels.sort();
    }
    if (update.kind) {
      state.counters[update.kind] = (state.counters[update.kind] ?? 0) + 1;
      state.counters.total = (state.counters.total ?? 0) + 1;
      state.spend.tool_calls++;
    }
    if (update.cost) {
      state.spend.usd = round(state.spend.usd + (update.cost.usd ?? 0));
      state.spend.tokens += update.cost.tokens ?? 0;
    }
  }

  /** The audit seq of the last update applied to a session (0: none). */
  seqOf(state: SessionState): number {
    return this.lastSeq.get(state) ?? 0;
  }

  size(): number {
    return this.sessions.size;
  }

  keys(): string[] {
    return [...this.sessions.keys()];
  }

  /** A session as a snapshot holds it: [key, state, seq of its last update],
   *  or undefined for a key no longer held. */
  snapshotEntry(key: string): [string, SessionState, number] | undefined {
    const s = this.sessions.get(key);
    return s ? [key, s, this.seqOf(s)] : undefined;
  }

  /** Loads a snapshot's sessions; an entry without its own seq (the first
   *  snapshot format, written all at once) is as of `seq`. */
  load(entries: ([string, SessionState] | [string, SessionState, number])[], seq: number): void {
    this.sessions = new Map();
    this.lastSeq = new WeakMap();
    for (const e of entries) {
      this.sessions.set(e[0], e[1]);
      this.lastSeq.set(e[1], e[2] ?? seq);
    }
  }
}

// cents-and-below arithmetic without binary float drift (0.1 + 0.2)
function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}
