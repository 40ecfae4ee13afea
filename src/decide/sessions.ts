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
  /** when each held session was last decided on (ms), for retiring idle ones */
  private lastUsed = new WeakMap<SessionState, number>();
  /** the key of a session handed out but not held: a session is held only
   *  once an allowed action changes it, so requests that change nothing
   *  (denials, a flood of made-up session ids) cost no memory */
  private pendingKey = new WeakMap<SessionState, string>();

  private static key(agent: string, session: string): string {
    return agent + "\u0000" + session;
  }

  /** The session: the one held, or a fresh one (held once `apply`d). */
  get(agent: string, session: string, now: string, atMs = Date.now()): SessionState {
    const key = SessionStore.key(agent, session);
    const held = this.sessions.get(key);
    if (held) {
      this.lastUsed.set(held, atMs);
      return held;
    }
    const fresh: SessionState = { id: session, labels: [], counters: { total: 0 }, spend: { usd: 0, tokens: 0, tool_calls: 0 }, started_at: now };
    this.pendingKey.set(fresh, key);
    return fresh;
  }

  /** The session, held from now on whether or not anything changes it
   *  (fixtures that preset a session's state). */
  hold(agent: string, session: string, now: string, atMs = Date.now()): SessionState {
    return this.keep(this.get(agent, session, now, atMs), atMs);
  }

  // holds a session handed out by get; the held one if the key is held
  private keep(state: SessionState, atMs: number): SessionState {
    const key = this.pendingKey.get(state);
    if (key === undefined) return state;
    this.pendingKey.delete(state);
    const held = this.sessions.get(key);
    if (held) return held;
    this.sessions.set(key, state);
    this.lastUsed.set(state, atMs);
    return state;
  }

  peek(agent: string, session: string): SessionState | undefined {
    return this.sessions.get(SessionStore.key(agent, session));
  }

  /** Applies an allowed action's effects (holding the session from now on).
   *  Called in the same synchronous step as the evaluation that allowed it,
   *  so no other decision can see the budget in between (the reservation is
   *  atomic). */
  apply(given: SessionState, update: SessionUpdate, seq: number, atMs = Date.now()): void {
    const state = this.keep(given, atMs);
    this.lastSeq.set(state, seq);
    if (update.labels) {
      for (const l of update.labels) if (!state.labels.includes(l)) state.labels.push(l);
      state.labels.sort();
    }
    if (update.kind) {
      state.counters[update.kind] = (state.counters[update.kind] ?? 0) + 1;
      state.counters.total = (state.counters.total ?? 0) + 1;
    }
    addUse(state.spend, update);
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

  /** A scan over the held sessions that a caller can spread over several
   *  turns of the event loop (see `idle`); sessions held or dropped
   *  meanwhile are seen or not, as a Map's iterator sees them. */
  scan(): Iterator<[string, SessionState]> {
    return this.sessions.entries();
  }

  /** The sessions among the next `visit` of a scan that nobody has decided
   *  on since `beforeMs`, as [agent, session]; `done` once the scan has
   *  visited every session. (A million sessions took ~200 ms to visit on
   *  the 2-core VM: too long to stop the event loop for; 20,000 take ~4.) */
  idle(scan: Iterator<[string, SessionState]>, beforeMs: number, visit: number): { idle: [string, string][]; done: boolean } {
    const out: [string, string][] = [];
    for (let n = 0; n < visit; n++) {
      const next = scan.next();
      if (next.done) return { idle: out, done: true };
      const [key, s] = next.value;
      if ((this.lastUsed.get(s) ?? 0) < beforeMs) {
        const at = key.indexOf("\u0000");
        out.push([key.slice(0, at), key.slice(at + 1)]);
      }
    }
    return { idle: out, done: false };
  }

  /** Forgets a session: the next decision on its id starts afresh. */
  drop(agent: string, session: string): void {
    this.sessions.delete(SessionStore.key(agent, session));
  }

  /** A session as a snapshot holds it: [key, state, seq of its last update,
   *  when it was last used (ms)], or undefined for a key no longer held. */
  snapshotEntry(key: string): [string, SessionState, number, number] | undefined {
    const s = this.sessions.get(key);
    return s ? [key, s, this.seqOf(s), this.lastUsed.get(s) ?? 0] : undefined;
  }

  /** Loads a snapshot's sessions; an entry without its own seq (the first
   *  snapshot format, written all at once) is as of `seq`, and one without
   *  its last use counts as used at `nowMs`. */
  load(entries: ([string, SessionState] | [string, SessionState, number] | [string, SessionState, number, number])[], seq: number, nowMs = Date.now()): void {
    this.sessions = new Map();
    this.lastSeq = new WeakMap();
    this.lastUsed = new WeakMap();
    this.pendingKey = new WeakMap();
    for (const e of entries) {
      this.sessions.set(e[0], e[1]);
      this.lastSeq.set(e[1], e[2] ?? seq);
      this.lastUsed.set(e[1], e[3] || nowMs);
    }
  }
}

/** Adds an allowed action's use to a spend (a session's, or a task's in
 *  usage.ts): a tool call when it counts one, and its cost. */
export function addUse(spend: { usd: number; tokens: number; tool_calls: number }, update: SessionUpdate): void {
  if (update.kind) spend.tool_calls++;
  if (update.cost) {
    spend.usd = round(spend.usd + (update.cost.usd ?? 0));
    spend.tokens += update.cost.tokens ?? 0;
  }
}

// cents-and-below arithmetic without binary float drift (0.1 + 0.2)
function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}
