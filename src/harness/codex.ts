// Codex CLI hooks (0.169): PreToolUse and PermissionRequest. Codex honours
// only a denial: a bare "allow" is rejected as unsupported (and a rejected
// output is ignored, i.e. fails open), and there is no "ask".
//
// Answers:
//   allow   → no objection: exit 0, empty stdout (Codex's own approval flow
//             decides, as it would without writ).
//   deny    → exit 2 with the reason on stderr (Codex blocks on exit 2 only
//             when stderr is not empty) plus the JSON denial on stdout.
//   approve → PreToolUse: a denial naming the approval and how to grant it;
//             the retry after the grant carries the approval id.
//             PermissionRequest: no decision, so Codex shows its prompt
//             (unless onApprove is "deny").
import type { DecideRequest, DecideResponse, EventKind } from "../decide/types.js";
import { type Adapter, completeRequest, denyAnswer, type HookAnswer, type HookOptions, NO_OBJECTION, record, requireStr, str, type Translated } from "./adapter.js";
import { approvalDenyText, denyText } from "./messages.js";
import { splitDoubleUnderscore } from "./mcp-names.js";
import { normalizeToolCall } from "./normalize/action.js";

const EVENTS: Record<string, EventKind> = {
  PreToolUse: "pre_tool_use",
  PermissionRequest: "pre_tool_use",
};

export const codex: Adapter = {
  harness: "codex",

  eventOf(payload) {
    return payload && typeof payload === "object" ? str(payload as Record<string, unknown>, "hook_event_name") : undefined;
  },

  toRequest(payload, options): Translated {
    const p = record(payload);
    const event = requireStr(p, "hook_event_name");
    const kind = EVENTS[event];
    if (!kind) throw new Error(`writ does not decide Codex ${event} events`);
    const session_id = requireStr(p, "session_id");
    const tool = requireStr(p, "tool_name");
    const cwd = str(p, "cwd");
    // Codex sends no server field: the name is all there is
    const action = normalizeToolCall({ tool, input: p.tool_input, cwd, mcp: splitDoubleUnderscore(tool), home: options.home });
    const request: DecideRequest = { harness: "codex", session_id, event: kind, tool, action };
    completeRequest(request, event, { callId: str(p, "tool_use_id"), cwd, model: str(p, "model"), contract: options.contract });
    return { request, event };
  },

  render(r, event, options) {
    return renderCodex(r, event, options);
  },

  block(reason, event) {
    return denyAnswer(denial(event, reason), reason);
  },
};

function renderCodex(r: DecideResponse, event: string, options: HookOptions): HookAnswer {
  if (r.decision === "allow") return NO_OBJECTION;
  if (r.decision === "deny") return denyAnswer(denial(event, denyText(r)), denyText(r));
  if (event === "PermissionRequest" && options.onApprove !== "deny") return NO_OBJECTION;
  const text = approvalDenyText(r, options.url);
  return denyAnswer(denial(event, text), text);
}

function denial(event: string | undefined, reason: string): unknown {
  if (event === "PermissionRequest") return { hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message: reason } } };
  return { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: reason } };
}
