// Gemini CLI hooks (0.61): BeforeTool. Gemini reads stdout as JSON whatever
// the exit code; a hook that times out leaves no output and the call goes
// ahead, so writ's own timeout must be shorter than the hook's (writ init
// sets the hook's).
//
// Answers:
//   allow   → {"decision":"allow"} (Gemini's policy engine still runs after
//             the hook, so this grants nothing Gemini would not).
//   deny    → exit 2 and {"decision":"deny","reason"}.
//   approve → {"decision":"ask"} (Gemini's confirmation prompt), or with
//             onApprove "deny" a denial naming the approval.
import type { DecideRequest, DecideResponse } from "../decide/types.js";
import { type Adapter, completeRequest, denyAnswer, type HookAnswer, type HookOptions, jsonAnswer, record, requireStr, str, type Translated } from "./adapter.js";
import { approvalDenyText, askText, denyText } from "./messages.js";
import { normalizeToolCall } from "./normalize/action.js";

export const gemini: Adapter = {
  harness: "gemini",

  eventOf(payload, hookEvent) {
    return (payload && typeof payload === "object" ? str(payload as Record<string, unknown>, "hook_event_name") : undefined) ?? hookEvent;
  },

  toRequest(payload, options): Translated {
    const p = record(payload);
    const event = requireStr(p, "hook_event_name");
    if (event !== "BeforeTool") throw new Error(`writ does not decide Gemini CLI ${event} events`);
    const session_id = requireStr(p, "session_id");
    const tool = requireStr(p, "tool_name");
    const cwd = str(p, "cwd") ?? process.env.GEMINI_CWD;
    const action = normalizeToolCall({ tool, input: p.tool_input, cwd, mcp: geminiMcp(p, tool), home: options.home });
    const request: DecideRequest = { harness: "gemini", session_id, event: "pre_tool_use", tool, action };
    completeRequest(request, event, { callId: str(p, "tool_call_id"), cwd, contract: options.contract });
    return { request, event };
  },

  render(r, _event, options) {
    return renderGemini(r, options);
  },

  block(reason) {
    return denyAnswer({ decision: "deny", reason }, reason);
  },
};

/** The server from `mcp_context` (Gemini fills it from its configuration).
 *  A tool named `mcp_…` without it names no server — `mcp_a_b_c` cannot be
 *  split reliably — so no manifest grants it. */
function geminiMcp(p: Record<string, unknown>, tool: string): { server: string; tool: string } | undefined {
  const ctx = p.mcp_context && typeof p.mcp_context === "object" ? (p.mcp_context as Record<string, unknown>) : undefined;
  if (ctx && typeof ctx.server_name === "string") return { server: ctx.server_name, tool: typeof ctx.tool_name === "string" ? ctx.tool_name : tool };
  if (tool.startsWith("mcp_")) return { server: "", tool };
  return undefined;
}

function renderGemini(r: DecideResponse, options: HookOptions): HookAnswer {
  if (r.decision === "allow") return jsonAnswer({ decision: "allow" });
  if (r.decision === "deny") return denyAnswer({ decision: "deny", reason: denyText(r) }, denyText(r));
  if (options.onApprove !== "deny") {
    const text = askText(r);
    return jsonAnswer({ decision: "ask", reason: text, systemMessage: text });
  }
  const text = approvalDenyText(r, options.url);
  return denyAnswer({ decision: "deny", reason: text }, text);
}
