// `writ init <harness>`: each harness's hook configuration for a project,
// with its fail-closed options where it has them, and the hook's timeout
// set longer than writ's own (3 s), so that writ answers "deny" before the
// harness gives up on the hook — a hook timeout is "go ahead" in Gemini and
// Codex.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { arrayAt, objectAt, readJson, shellWords, upsert, writeJson, writeText, type FileChange, type Json } from "./files.js";

export interface InitOptions {
  /** the project directory */
  dir: string;
  /** the command that runs writ, as words (default: this node and this writ) */
  writ: string[];
  /** the command that runs a hook, before the harness name (default: the
   *  fast entry, writ-hook) */
  hook: string[];
  /** writ's URL, written into the hook when given */
  url?: string;
  /** Claude Code: an HTTP hook served by writ instead of a command hook */
  http?: boolean;
  /** Claude Code: .claude/settings.local.json instead of settings.json */
  local?: boolean;
  /** the compiled OpenCode plugin module */
  opencodeModule: string;
}

export interface InitResult {
  changes: FileChange[];
  notes: string[];
}

const HOOK_TIMEOUT_S = 10;

function hookCommand(o: InitOptions, harness: string): string {
  return shellWords([...o.hook, harness, ...(o.url ? ["--url", o.url] : [])]);
}

/** Node reads and parses the whole NODE_EXTRA_CA_CERTS bundle as it
 *  starts, before any of writ runs: ≈70 ms of CPU for a 220 KB bundle,
 *  more than the rest of a hook process. The hook needs those CAs only to
 *  reach an https writ, so where the harness runs the command through a
 *  POSIX shell (Claude Code; not on Windows, where it may be PowerShell)
 *  Node starts without them and the hook gets the file as
 *  WRIT_EXTRA_CA_CERTS (client.ts trusts it for https). */
export const WITHOUT_EXTRA_CA = process.platform === "win32" ? "" : 'WRIT_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= ';

/** A hook handler entry is writ's if it runs `… hook <harness>` or posts to
 *  writ's hook endpoint. */
function isWritHandler(h: unknown, harness: string): boolean {
  if (!h || typeof h !== "object") return false;
  const cmd = (h as Json).command;
  const url = (h as Json).url;
  const ours = new RegExp(`(^|[\\s/'"])(writ(\\.js)?['"]? hook|writ-hook(\\.cjs)?['"]?) ${harness}(\\s|$)`);
  return (typeof cmd === "string" && ours.test(cmd)) || (typeof url === "string" && url.endsWith(`/v1/hooks/${harness}`));
}

/** A matcher group (`{matcher, hooks: [...]}`) holding a writ handler. */
function isWritGroup(g: unknown, harness: string): boolean {
  const hooks = g && typeof g === "object" ? (g as Json).hooks : undefined;
  return Array.isArray(hooks) && hooks.some((h) => isWritHandler(h, harness));
}

export function initClaudeCode(o: InitOptions): InitResult {
  const path = join(o.dir, ".claude", o.local ? "settings.local.json" : "settings.json");
  const settings = readJson(path);
  const hooks = objectAt(settings, "hooks");
  const base = o.url ?? "http://127.0.0.1:8787";
  const handler: Json = o.http
    ? {
        type: "http",
        url: `${base.replace(/\/$/, "")}/v1/hooks/claude-code`,
        headers: { Authorization: "Bearer $WRIT_TOKEN" },
        allowedEnvVars: ["WRIT_TOKEN"],
        timeout: HOOK_TIMEOUT_S,
        onFailure: "block",
      }
    : { type: "command", command: WITHOUT_EXTRA_CA + hookCommand(o, "claude-code"), timeout: HOOK_TIMEOUT_S, onFailure: "block" };
  for (const event of ["PreToolUse", "PermissionRequest", "PostToolUse", "UserPromptSubmit"]) {
    const group: Json = event === "UserPromptSubmit" ? { hooks: [handler] } : { matcher: "*", hooks: [handler] };
    upsert(arrayAt(hooks, event), (g) => isWritGroup(g, "claude-code"), group);
  }
  const notes = [
    'onFailure "block": a hook that crashes, times out or prints nonsense blocks the tool call.',
    o.http ? "Claude sends $WRIT_TOKEN as the bearer token: export WRIT_TOKEN before starting claude." : "The hook reads WRIT_URL and WRIT_TOKEN from the environment claude runs in.",
  ];
  return { changes: [writeJson(path, settings)], notes };
}

export function initCodex(o: InitOptions): InitResult {
  const path = join(o.dir, ".codex", "hooks.json");
  const config = readJson(path);
  const hooks = objectAt(config, "hooks");
  const handler = { type: "command", command: hookCommand(o, "codex"), timeout: HOOK_TIMEOUT_S };
  for (const event of ["PreToolUse", "PermissionRequest"]) {
    upsert(arrayAt(hooks, event), (g) => isWritGroup(g, "codex"), { matcher: "*", hooks: [handler] });
  }
  return {
    changes: [writeJson(path, config)],
    notes: [
      "Codex has no fail-closed switch: writ answers deny itself when it cannot decide, but if the hook cannot start at all Codex runs the tool. Keep the writ command path valid.",
      "Codex runs project hooks only after you trust them: open /hooks in Codex and trust writ's.",
    ],
  };
}

export function initCursor(o: InitOptions): InitResult {
  const path = join(o.dir, ".cursor", "hooks.json");
  const config = readJson(path);
  if (config.version === undefined) config.version = 1;
  const hooks = objectAt(config, "hooks");
  const handler = { command: hookCommand(o, "cursor"), timeout: HOOK_TIMEOUT_S };
  for (const event of ["preToolUse", "beforeShellExecution", "beforeMCPExecution", "beforeReadFile"]) {
    upsert(arrayAt(hooks, event), (h) => isWritHandler(h, "cursor"), handler);
  }
  return {
    changes: [writeJson(path, config)],
    notes: ["Cursor runs project hooks only in trusted workspaces; it blocks MCP calls and file reads on a hook failure, other events only on writ's own deny."],
  };
}

export function initGemini(o: InitOptions): InitResult {
  const path = join(o.dir, ".gemini", "settings.json");
  const settings = readJson(path);
  const notes: string[] = [];
  const hc = settings.hooksConfig;
  if (hc && typeof hc === "object") {
    const c = hc as Json;
    if (c.enabled === false) {
      c.enabled = true;
      notes.push("hooksConfig.enabled was false; writ set it to true (without hooks nothing is checked).");
    }
    if (Array.isArray(c.disabled) && c.disabled.includes("writ")) {
      c.disabled = c.disabled.filter((n) => n !== "writ");
      notes.push('"writ" was in hooksConfig.disabled; writ removed it.');
    }
  }
  const hooks = objectAt(settings, "hooks");
  const handler = { type: "command", name: "writ", command: hookCommand(o, "gemini"), timeout: HOOK_TIMEOUT_S * 1000 };
  upsert(arrayAt(hooks, "BeforeTool"), (g) => isWritGroup(g, "gemini"), { matcher: "*", hooks: [handler] });
  notes.push("Gemini runs a changed project hook only after you trust it again.", "A Gemini hook that times out lets the tool run; writ's own timeout (3 s) is well inside the hook's (10 s).");
  return { changes: [writeJson(path, settings)], notes };
}

export function initOpenCode(o: InitOptions): InitResult {
  const path = join(o.dir, ".opencode", "plugins", "writ.js");
  const text = `// writ decides every tool call before it runs (written by writ init opencode).\n// Configuration: WRIT_URL, WRIT_TOKEN, WRIT_TIMEOUT_MS, WRIT_CONTRACT.\nexport { WritPlugin } from ${JSON.stringify(pathToFileURL(o.opencodeModule).href)};\n`;
  return { changes: [writeText(path, text)], notes: ["OpenCode loads .opencode/plugins/*.js at start; restart it."] };
}

/** Puts every stdio server in the project's .mcp.json behind writ
 *  mcp-proxy; servers already behind it are left alone. */
export function initMcp(o: InitOptions): InitResult {
  const path = join(o.dir, ".mcp.json");
  const config = readJson(path);
  const servers = objectAt(config, "mcpServers");
  const notes: string[] = [];
  for (const [name, value] of Object.entries(servers)) {
    if (!value || typeof value !== "object") continue;
    const s = value as Json;
    if (typeof s.command !== "string") {
      notes.push(`${name}: not a stdio server (${String(s.type ?? s.url ?? "?")}); writ mcp-proxy cannot sit in front of it.`);
      continue;
    }
    const args = Array.isArray(s.args) ? (s.args as unknown[]).map(String) : [];
    const wrapped = args.includes("mcp-proxy") && args.includes("--");
    if (wrapped) continue;
    const [cmd, ...pre] = o.writ;
    const original = s.command;
    s.command = cmd;
    s.args = [...pre, "mcp-proxy", "--server-name", name, ...(o.url ? ["--url", o.url] : []), "--", original, ...args];
  }
  return { changes: [writeJson(path, config)], notes };
}

export const INIT: Record<string, (o: InitOptions) => InitResult> = {
  "claude-code": initClaudeCode,
  codex: initCodex,
  cursor: initCursor,
  gemini: initGemini,
  opencode: initOpenCode,
  mcp: initMcp,
};
