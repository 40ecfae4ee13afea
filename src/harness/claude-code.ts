// Claude Code hooks (CLI 2.1.x): PreToolUse, PermissionRequest, PostToolUse
// (and PostToolUseFailure), UserPromptSubmit — over stdin/stdout for
// command hooks, or as a POST body for HTTP hooks.
//
// Answers:
//   allow   → no objection: exit 0, empty stdout. An explicit "allow" would
//             skip Claude's own permission prompts (a peer shipped exactly
//             that as a bypass), so writ only ever tightens.
//   deny    → exit 2 (blocks; stderr goes to Claude) plus the JSON denial.
//   approve → PreToolUse: permissionDecision "ask" (Claude's own prompt);
//             PermissionRequest: no decision, so Claude's dialog shows;
//             elsewhere, or with onApprove "deny": a denial naming the
//             approval and how to grant it.
import type { DecideRequest, DecideResponse, EventKind } from "../decide/types.js";
import { type Adapter, completeRequest, denyAnswer, type HookAnswer, type HookOptions, jsonAnswer, NO_OBJECTION, record, requireStr, str, type Translated } from "./adapter.js";
import { approvalDenyText, askText, denyText } from "./messages.js";
import { splitDoubleUnderscore } from "./mcp-names.js";
import { normalizeToolCall, type NormalizedAction } from "./normalize/action.js";

const EVENTS: Record<string, EventKind> = {
  PreToolUse: "pre_tool_use",
  PermissionRequest: "pre_tool_use",
  PostToolUse: "post_tool_use",
  PostToolUseFailure: "post_tool_use",
  UserPromptSubmit: "prompt",
};

export const claudeCode: Adapter = {
  harness: "claude-code",

  eventOf(payload) {
    return payload && typeof payload === "object" ? str(payload as Record<string, unknown>, "hook_event_name") : undefined;
  },

  toRequest(payload, options): Translated {
    const p = record(payload);
    const event = requireStr(p, "hook_event_name");
    const kind = EVENTS[event];
    if (!kind) throw new Error(`writ does not decide Claude Code ${event} events`);
    const session_id = requireStr(p, "session_id");
    const cwd = str(p, "cwd");
    let tool: string;
    let action: NormalizedAction;
    if (kind === "prompt") {
      tool = "UserPromptSubmit";
      action = { kind: "other", prompt: str(p, "prompt") ?? "" };
    } else {
      tool = requireStr(p, "tool_name");
      action = normalizeToolCall({ tool, input: p.tool_input, cwd, mcp: mcpOf(p, tool), home: options.home });
    }
    const request: DecideRequest = { harness: "claude-code", session_id, event: kind, tool, action };
    completeRequest(request, event, { callId: str(p, "tool_use_id"), cwd, contract: options.contract });
    return { request, event };
  },

  render(r, event, options) {
    return renderClaude(r, event, options);
  },

  block(reason, event) {
    return denyAnswer(denial(event, reason), reason);
  },
};

/** The MCP server from Claude's `mcp_server` field (trusted: Claude fills
 *  it from its configuration); the tool name only when that field is
 *  absent (older versions). */
function mcpOf(p: Record<string, unknown>, tool: string): { server: string; tool: string; source?: string } | undefined {
  const field = p.mcp_server && typeof p.mcp_server === "object" ? (p.mcp_server as Record<string, unknown>) : undefined;
  const fromName = splitDoubleUnderscore(tool);
  if (field && typeof field.name === "string") {
    const server = field.name;
    const prefix = `mcp__${server}__`;
    const t = tool.startsWith(prefix) ? tool.slice(prefix.length) : (fromName?.tool ?? tool);
    return { server, tool: t, ...(typeof field.source === "string" ? { source: field.source } : {}) };
  }
  return fromName;
}

export function renderClaude(r: DecideResponse, event: string, options: HookOptions): HookAnswer {
  if (r.decision === "allow") return NO_OBJECTION;
  if (r.decision === "deny") return denyAnswer(denial(event, denyText(r)), denyText(r));
  // approve
  if (options.onApprove !== "deny") {
    if (event === "PreToolUse") {
      return jsonAnswer({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "ask", permissionDecisionReason: askText(r) } });
    }
    if (event === "PermissionRequest") return NO_OBJECTION;
  }
  const text = approvalDenyText(r, options.url);
  return denyAnswer(denial(event, text), text);
}

/** Claude's JSON denial for an event. */
export function denial(event: string | undefined, reason: string): unknown {
  switch (event) {
    case "PreToolUse":
      return { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: reason } };
    case "PermissionRequest":
      return { hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message: reason } } };
    default:
      return { decision: "block", reason };
  }
}
