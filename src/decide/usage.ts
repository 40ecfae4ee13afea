// What each task contract has used, over every session and agent working
// under it: the denominator of a contract's `total_budget`. A session's own
// spend (sessions.ts) cannot cap a task, since a new session id starts at
// zero. Counted from allowed pre_tool_use actions that name a contract (the
// base policy denies those whose contract is not in the bundle, so the ids
// held are the bundle's), in the same synchronous step as the evaluation
// that allowed them, like a session's budget; rebuilt by replaying the log.
import { round, type SessionUpdate } from "./sessions.js";
import type { TaskUsage } from "./types.js";

export class UsageStore {
  private contracts = new Map<string, TaskUsage>();

  /** A contract's use so far (zero for one not used yet). */
  get(contract: string): TaskUsage {
    return this.contracts.get(contract) ?? { usd: 0, tokens: 0, tool_calls: 0 };
  }

  /** Adds an allowed pre_tool_use action's use (its session update). */
  apply(contract: string, update: SessionUpdate): void {
    let u = this.contracts.get(contract);
    if (!u) this.contracts.set(contract, (u = { usd: 0, tokens: 0, tool_calls: 0 }));
    if (update.kind) u.tool_calls++;
    if (update.cost) {
      u.usd = round(u.usd + (update.cost.usd ?? 0));
      u.tokens += update.cost.tokens ?? 0;
    }
  }

  toJSON(): Record<string, TaskUsage> {
    return Object.fromEntries(this.contracts);
  }

  load(contracts: Record<string, TaskUsage> | undefined): void {
    this.contracts = new Map(Object.entries(contracts ?? {}));
  }
}
