// The command-hook adapters by harness name, loaded on demand so a hook
// process loads only its own.
import type { Adapter } from "./adapter.js";

export const ADAPTERS: Record<string, () => Promise<Adapter>> = {
  "claude-code": async () => (await import("./claude-code.js")).claudeCode,
  codex: async () => (await import("./codex.js")).codex,
  cursor: async () => (await import("./cursor.js")).cursor,
  gemini: async () => (await import("./gemini.js")).gemini,
};

/** Other spellings people use. */
export const ALIASES: Record<string, string> = { claude: "claude-code", claudecode: "claude-code", "gemini-cli": "gemini", "codex-cli": "codex" };

export function adapterName(name: string): string | undefined {
  const n = ALIASES[name] ?? name;
  return n in ADAPTERS ? n : undefined;
}
