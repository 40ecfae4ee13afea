// The OpenCode plugin (opencode 1.18): every tool call is decided by writ
// in `tool.execute.before`, which runs before OpenCode's own permission
// check for built-in, MCP, task and code-mode tools. Throwing there blocks
// the call and shows the message to the model; that is the only blocking
// mechanism OpenCode honours (`permission.ask` is never triggered), so
// deny, approve (no prompt exists) and no decision all throw.
//
// Load it from .opencode/plugins/writ.js (`writ init opencode` writes it):
//   export { WritPlugin } from "writ/opencode";
// Configuration from the environment: WRIT_URL, WRIT_TOKEN, WRIT_TIMEOUT_MS,
// WRIT_CONTRACT.
import type { DecideRequest } from "../decide/types.js";
import { memoryApprovalMemory } from "./approval-memory.js";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL, httpDecider, type DecideFn } from "./client.js";
import { approvalDenyText, blockText, denyText } from "./messages.js";
import { normalizeToolCall } from "./normalize/action.js";
import { checkDecideResponse } from "./response.js";

export interface WritPluginOptions {
  url?: string;
  token?: string;
  timeoutMs?: number;
  contract?: string;
  /** answer with this decider instead of HTTP */
  decide?: DecideFn;
}

/** The parts of OpenCode's plugin input writ uses. */
export interface PluginInput {
  directory?: string;
  worktree?: string;
}

export interface ToolBeforeInput {
  tool: string;
  sessionID: string;
  callID: string;
}

export interface WritHooks {
  "tool.execute.before": (input: ToolBeforeInput, output: { args: unknown }) => Promise<void>;
}

export function createWritPlugin(o: WritPluginOptions = {}): (input: PluginInput) => Promise<WritHooks> {
  return async (ctx) => {
    const env = process.env;
    const url = o.url ?? env.WRIT_URL ?? DEFAULT_URL;
    const timeoutMs = o.timeoutMs ?? (Number(env.WRIT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS);
    const decide = o.decide ?? httpDecider({ url, token: o.token ?? env.WRIT_TOKEN, timeoutMs });
    const contract = o.contract ?? env.WRIT_CONTRACT;
    const cwd = ctx.directory ?? ctx.worktree;
    const approvals = memoryApprovalMemory();
    return {
      "tool.execute.before": async (input, output) => {
        let request: DecideRequest;
        let text: string | undefined;
        try {
          request = {
            harness: "opencode",
            session_id: input.sessionID || "opencode",
            event: "pre_tool_use",
            tool: input.tool,
            action: normalizeToolCall({ tool: input.tool, input: output.args, cwd }),
          };
          if (input.callID) request.request_id = `opencode/tool.execute.before/${input.callID}`.slice(0, 256);
          if (cwd) request.cwd = cwd;
          if (contract) request.contract_id = contract;
          const remembered = approvals.lookup(request);
          if (remembered) request.approval_id = remembered;
          const r = checkDecideResponse(await decide(request));
          if (r.decision === "approve" && r.approval) approvals.remember(request, r.approval.id, r.approval.expires_at);
          else if (remembered) approvals.forget(request);
          if (r.decision === "deny") text = denyText(r);
          else if (r.decision === "approve") text = approvalDenyText(r, url);
        } catch (err) {
          text = blockText(err instanceof Error ? err.message : String(err));
        }
        if (text !== undefined) throw new Error(text);
      },
    };
  };
}

/** The plugin, configured from the environment. */
export const WritPlugin = createWritPlugin();
