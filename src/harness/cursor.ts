// Cursor hooks: preToolUse, beforeShellExecution, beforeMCPExecution,
// beforeReadFile. Cursor treats any exit code other than 0 and 2 as
// "proceed" (except for beforeMCPExecution and beforeReadFile, which fail
// closed on their own), so every denial is exit 2 plus the JSON denial.
//
// Answers:
//   allow   → {"permission":"allow"} / {"decision":"allow"} (Cursor needs an
//             explicit answer: an empty one blocks MCP calls and reads).
//   deny    → exit 2 and the JSON denial.
//   approve → beforeShellExecution, beforeMCPExecution: "ask" (Cursor's own
//             prompt); preToolUse, beforeReadFile (no ask): a denial naming
//             the approval and how to grant it.
import type { DecideRequest, DecideResponse } from "../decide/types.js";
import { type Adapter, completeRequest, denyAnswer, type HookAnswer, type HookOptions, jsonAnswer, record, requireStr, str, type Translated } from "./adapter.js";
import { approvalDenyText, askText, denyText } from "./messages.js";
import { normalizeToolCall, shellAction, type NormalizedAction } from "./normalize/action.js";
import { resolvePath } from "./normalize/paths.js";
import { boundedRaw } from "./normalize/raw.js";

const EVENTS = new Set(["preToolUse", "beforeShellExecution", "beforeMCPExecution", "beforeReadFile"]);

export const cursor: Adapter = {
  harness: "cursor",

  eventOf(payload) {
    return payload && typeof payload === "object" ? str(payload as Record<string, unknown>, "hook_event_name") : undefined;
  },

  toRequest(payload, options): Translated {
    const p = record(payload);
    const event = requireStr(p, "hook_event_name");
    if (!EVENTS.has(event)) throw new Error(`writ does not decide Cursor ${event} events`);
    const session_id = requireStr(p, "conversation_id");
    const roots = Array.isArray(p.workspace_roots) ? p.workspace_roots.filter((r): r is string => typeof r === "string") : [];
    const cwd = str(p, "cwd") || roots[0] || process.env.CURSOR_PROJECT_DIR;
    const home = options.home ?? process.env.HOME;
    let tool: string;
    let action: NormalizedAction;
    switch (event) {
      case "beforeShellExecution":
        tool = "Shell";
        action = { ...shellAction(requireStr(p, "command"), cwd, home), raw: { command: p.command } };
        break;
      case "beforeMCPExecution": {
        tool = requireStr(p, "tool_name");
        // the server is known by how Cursor starts or reaches it
        const server = str(p, "url") ?? str(p, "command") ?? "";
        action = { kind: "mcp", mcp_server: server, mcp_tool: tool, raw: boundedRaw(p.tool_input) };
        break;
      }
      case "beforeReadFile": {
        tool = "Read";
        const file = requireStr(p, "file_path");
        action = { kind: "file_read", paths: [...new Set(resolvePath(file, cwd ?? "/", home))] };
        break;
      }
      default: {
        tool = requireStr(p, "tool_name");
        action = normalizeToolCall({ tool, input: p.tool_input, cwd, mcp: cursorMcp(tool), home });
      }
    }
    const request: DecideRequest = { harness: "cursor", session_id, event: "pre_tool_use", tool, action };
    completeRequest(request, event, { callId: str(p, "tool_use_id") ?? str(p, "generation_id"), cwd, model: str(p, "model"), contract: options.contract });
    return { request, event };
  },

  render(r, event, options) {
    return renderCursor(r, event, options);
  },

  block(reason, event) {
    return denyAnswer(denial(event, reason), reason);
  },
};

/** preToolUse names MCP tools `MCP:<server>:<tool>`; a bare `MCP` names no
 *  server, which no manifest grants. */
function cursorMcp(tool: string): { server: string; tool: string } | undefined {
  if (tool === "MCP") return { server: "", tool: "" };
  const m = /^MCP:([^:]*):(.*)$/.exec(tool);
  return m ? { server: m[1], tool: m[2] } : undefined;
}

function renderCursor(r: DecideResponse, event: string, options: HookOptions): HookAnswer {
  const permissionStyle = event !== "preToolUse";
  if (r.decision === "allow") return jsonAnswer(permissionStyle ? { permission: "allow" } : { decision: "allow" });
  if (r.decision === "deny") return denyAnswer(denial(event, denyText(r)), denyText(r));
  if (options.onApprove !== "deny" && (event === "beforeShellExecution" || event === "beforeMCPExecution")) {
    const text = askText(r);
    return jsonAnswer({ permission: "ask", user_message: text, agent_message: text });
  }
  const text = approvalDenyText(r, options.url);
  return denyAnswer(denial(event, text), text);
}

function denial(event: string | undefined, reason: string): unknown {
  if (event === "preToolUse") return { decision: "deny", reason };
  if (event === "beforeReadFile") return { permission: "deny", user_message: reason };
  return { permission: "deny", user_message: reason, agent_message: reason };
}
