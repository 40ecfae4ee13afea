// The entry point bundled into dist/hook/writ-hook.cjs (the `writ-hook`
// command): the hook, and a warm-up that runs every adapter over sample
// payloads at build time so that the V8 code cache written beside the
// bundle holds compiled code for them (a hook process then starts without
// compiling the shell parser and adapters).
import type { DecideResponse } from "../decide/types.js";
import { ADAPTERS } from "./registry.js";
export { runHookCommand as main } from "./hook-cli.js";

const samples: Record<string, unknown[]> = {
  "claude-code": [
    { session_id: "s", cwd: "/nonexistent/w", hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "cd src && git diff | grep -n 'x' > /tmp/out; bash -c \"$(echo ls)\" && sudo env A=1 npm i left-pad" }, tool_use_id: "t" },
    { session_id: "s", cwd: "/nonexistent/w", hook_event_name: "PreToolUse", tool_name: "Edit", tool_input: { file_path: "src/a.ts", old_string: "a", new_string: "b" }, tool_use_id: "t" },
    { session_id: "s", cwd: "/nonexistent/w", hook_event_name: "PermissionRequest", tool_name: "mcp__gh__get", tool_input: {}, mcp_server: { name: "gh", source: "user" } },
    { session_id: "s", cwd: "/nonexistent/w", hook_event_name: "UserPromptSubmit", prompt: "hi" },
  ],
  codex: [{ session_id: "s", cwd: "/nonexistent/w", hook_event_name: "PreToolUse", model: "m", tool_name: "apply_patch", tool_input: { command: "*** Begin Patch\n*** Update File: a.ts\n*** End Patch" }, tool_use_id: "t" }],
  cursor: [{ conversation_id: "c", hook_event_name: "beforeShellExecution", workspace_roots: ["/nonexistent/w"], command: "git push --force origin main" }],
  gemini: [{ session_id: "s", cwd: "/nonexistent/w", hook_event_name: "BeforeTool", tool_name: "run_shell_command", tool_input: { command: "ls -la" } }],
};

/** Translates and renders every sample (no I/O beyond path lookups). */
export async function warm(): Promise<void> {
  const verdict = (decision: DecideResponse["decision"]): DecideResponse => ({
    decision,
    reasons: ["r"],
    rule_ids: ["x"],
    decision_id: "d",
    ...(decision === "approve" ? { approval: { id: "a", expires_at: "2099-01-01T00:00:00Z" } } : {}),
    bundle: { revision: "r", digest: "d" },
    audit: { seq: 1, hash: "h" },
    jws: "j",
  });
  for (const [name, payloads] of Object.entries(samples)) {
    const adapter = await ADAPTERS[name]();
    for (const p of payloads) {
      const t = adapter.toRequest(p, {});
      JSON.stringify(t.request);
      for (const v of ["allow", "deny", "approve"] as const) adapter.render(verdict(v), t.event, {});
      adapter.block("b", t.event);
    }
  }
}
