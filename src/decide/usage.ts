// What each task contract has used, over every session and agent working
// under it: the denominator of a contract's `total_budget`. A session's own
// spend (sessions.ts) cannot cap a task, since a new session id starts at
// zero. Counted from allowed actions that name a contract, in the same
// synchronous step as the evaluation that allowed them, like a session's
// budget, and rebuilt by replaying the log: every allowed pre_tool_use (the
// base policy denies one whose contract is not in the bundle, so the ids held
// are the bundle's), and the cost other events report for a contract already
// counted (an id made up for a post_tool_use event adds no entry).
import { addUse, type SessionUpdate } from "./sessions.js";
import type { TaskUsage } from "./types.js";

/** No use at all. */
function noUse(): TaskUsage {
  return { usd: 0, tokens: 0, tool_calls: 0 };
}

export class UsageStore {
  private contracts = new Map<string, TaskUsage>();

  /** A contract's use so far (zero for one not used yet). */
  get(contract: string): TaskUsage {
    return this.contracts.get(contract) ?? noUse();
  }

  /** Adds an allowed action's use (its session update). */
  apply(contract: string, event: string, update: SessionUpdate): void {
    let u = this.contracts.get(contract);
    if (!u) {
      if (event !== "pre_tool_use") return;
      this.contracts.set(contract, (u = noUse()));
    }
    addUse(u, update);
  }

  /** Sets a contract's use outright (a field left out is 0), outside the
   *  audit log: only for fixture runs that preset state (as they preset a
   *  session's). */
  preset(contract: string, usage: Partial<TaskUsage>): void {
    this.contracts.set(contract, { ...noUse(), ...usage });
  }

  /** Whether a contract has any use counted. */
  has(contract: string): boolean {
    return this.contracts.has(contract);
  }

  /** Sets a contract's use back to zero, or to `to` (an operator's audited
   *  decision); it stays counted, so the costs later events report still
   *  add up. */
  reset(contract: string, to?: TaskUsage): void {
    if (this.contracts.has(contract)) this.contracts.set(contract, to ? { usd: to.usd, tokens: to.tokens, tool_calls: to.tool_calls } : noUse());
  }

  toJSON(): Record<string, TaskUsage> {
    return Object.fromEntries(this.contracts);
  }

  load(contracts: Record<string, TaskUsage> | undefined): void {
    this.contracts = new Map(Object.entries(contracts ?? {}));
  }
}

/** A use given by an operator ({usd, tokens, tool_calls}; a field left out
 *  is 0), or what is wrong with it. */
export function parseTaskUsage(v: unknown): TaskUsage | string {
  if (!v || typeof v !== "object" || Array.isArray(v)) return "wants an object {usd, tokens, tool_calls}";
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== "usd" && k !== "tokens" && k !== "tool_calls") return `unknown field "${k}" (usd, tokens, tool_calls)`;
  const out = noUse();
  for (const k of ["usd", "tokens", "tool_calls"] as const) {
    const x = o[k];
    if (x === undefined) continue;
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) return `${k} must be a number ≥ 0`;
    if (k !== "usd" && !Number.isInteger(x)) return `${k} must be a whole number`;
    out[k] = x;
  }
  return out;
}
