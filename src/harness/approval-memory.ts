// Approvals a hook saw, remembered across hook processes so that the retry
// of an action that needed approval carries the approval id (the service
// only redeems an approval when the request names it). The file is in the
// user's state directory; forging an entry gains nothing, since the service
// checks the approval is granted, unexpired, unused, and bound to exactly
// this action, agent and session.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DecideRequest } from "../decide/types.js";

export interface ApprovalMemory {
  lookup(req: DecideRequest): string | undefined;
  remember(req: DecideRequest, id: string, expiresAt: string): void;
  forget(req: DecideRequest): void;
}

type Entries = Record<string, { id: string; expires_at: string }>;

/** What makes two requests "the same action" for a retry. */
export function actionKey(req: DecideRequest): string {
  const { request_id: _r, approval_id: _a, agent_id: _g, ...rest } = req;
  return stableJson(rest);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** A short digest of the key (cyrb53, twice): node:crypto would cost a
 *  hook process more to load than it saves. A collision only attaches an
 *  approval id that the service then refuses for this action. */
function digest(s: string): string {
  return cyrb53(s, 0).toString(16) + cyrb53(s, 0x9e3779b9).toString(16);
}

function cyrb53(s: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function stateDir(): string {
  const env = process.env;
  if (env.WRIT_STATE_DIR) return env.WRIT_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(env.HOME || "/tmp", ".local", "state");
  return join(base, "writ");
}

export function fileApprovalMemory(dir = stateDir()): ApprovalMemory {
  const file = join(dir, "approvals.json");
  const load = (): Entries => {
    // usually there is no file: existsSync answers without an exception
    if (!existsSync(file)) return {};
    try {
      const v = JSON.parse(readFileSync(file, "utf8")) as unknown;
      return v && typeof v === "object" ? (v as Entries) : {};
    } catch {
      return {};
    }
  };
  const save = (e: Entries) => {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(e), { mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      // remembering is a convenience; the decision stands without it
    }
  };
  const prune = (e: Entries) => {
    const now = Date.now();
    for (const [k, v] of Object.entries(e)) if (!(Date.parse(v.expires_at) > now)) delete e[k];
    return e;
  };
  return {
    lookup(req) {
      const hit = load()[digest(actionKey(req))];
      return hit && Date.parse(hit.expires_at) > Date.now() ? hit.id : undefined;
    },
    remember(req, id, expiresAt) {
      const e = prune(load());
      e[digest(actionKey(req))] = { id, expires_at: expiresAt };
      save(e);
    },
    forget(req) {
      const e = load();
      const k = digest(actionKey(req));
      if (!(k in e)) return;
      delete e[k];
      save(prune(e));
    },
  };
}

/** For long-lived processes (the HTTP hook, the MCP proxy, plugins). */
export function memoryApprovalMemory(): ApprovalMemory {
  const m = new Map<string, { id: string; expires_at: string }>();
  return {
    lookup: (req) => {
      const hit = m.get(actionKey(req));
      return hit && Date.parse(hit.expires_at) > Date.now() ? hit.id : undefined;
    },
    remember: (req, id, expires_at) => void m.set(actionKey(req), { id, expires_at }),
    forget: (req) => void m.delete(actionKey(req)),
  };
}
