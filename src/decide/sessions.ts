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
  apply(state: SessionState, update: SessionUpdate): void {
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

  size(): number {
    return this.sessions.size;
  }

  toJSON(): [string, SessionState][] {
    return [...this.sessions.entries()];
  }

  load(entries: [string, SessionState][]): void {
    this.sessions = new Map(entries);
  }
}

// cents-and-below arithmetic without binary float drift (0.1 + 0.2)
function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}
