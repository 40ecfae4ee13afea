// Kill switches: halt an agent, a session, a contract, a tool, a model, or
// everything. Checked before anything else on every decision, so a switch set
// now stops the very next decision.
import { randomBytes } from "node:crypto";
import type { DecideRequest } from "./types.js";

export const KILL_SCOPES = ["all", "agent", "session", "contract", "tool", "model"] as const;
export type KillScope = (typeof KILL_SCOPES)[number];

export interface KillSwitch {
  id: string;
  scope: KillScope;
  /** what is halted (absent for `all`) */
  value?: string;
  reason: string;
  set_by: string;
  set_at: string;
}

export function newKillId(): string {
  return "kill_" + randomBytes(9).toString("base64url");
}

export class KillSwitches {
  private switches = new Map<string, KillSwitch>();

  set(k: KillSwitch): void {
    this.switches.set(k.id, k);
  }

  lift(id: string): KillSwitch | undefined {
    const k = this.switches.get(id);
    this.switches.delete(id);
    return k;
  }

  list(): KillSwitch[] {
    return [...this.switches.values()];
  }

  /** The first switch that halts this action, if any. */
  match(agent: string, req: DecideRequest): KillSwitch | undefined {
    if (this.switches.size === 0) return undefined;
    for (const k of this.switches.values()) {
      switch (k.scope) {
        case "all":
          return k;
        case "agent":
          if (k.value === agent) return k;
          break;
        case "session":
          if (k.value === req.session_id) return k;
          break;
        case "contract":
          if (k.value === req.contract_id) return k;
          break;
        case "tool":
          if (k.value === req.tool) return k;
          break;
        case "model":
          if (k.value === req.model) return k;
          break;
      }
    }
    return undefined;
  }

  toJSON(): KillSwitch[] {
    return this.list();
  }

  load(list: KillSwitch[]): void {
    this.switches = new Map(list.map((k) => [k.id, k]));
  }
}
