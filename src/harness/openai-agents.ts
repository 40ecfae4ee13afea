// writ for the OpenAI Agents SDK (JS, @openai/agents 0.20): one gate per
// agent run gives
//   needsApproval(toolName)  for tool({ needsApproval }): true when writ
//                            says approve — and also for deny and for no
//                            decision, so a tool gated only by this never
//                            runs unasked;
//   inputGuardrail           for tool({ inputGuardrails: [...] }): rejects
//                            the call when writ denies or cannot decide, and
//                            when writ wanted approval that no human gave.
// Use both: the guardrail holds denials even where a human would approve.
// One decision per call: the guardrail reuses what needsApproval asked.
//
//   const gate = writGate({ session: threadId });
//   const sh = tool({ name: "run_shell", …, needsApproval: gate.needsApproval("run_shell"),
//                     inputGuardrails: [gate.inputGuardrail] });
//
// Shapes follow @openai/agents-core's tool.d.ts and toolGuardrail.d.ts;
// writ does not depend on the package.
import type { DecideRequest, DecideResponse } from "../decide/types.js";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL, httpDecider, type DecideFn } from "./client.js";
import { approvalDenyText, blockText, denyText } from "./messages.js";
import { asObject, normalizeToolCall } from "./normalize/action.js";
import { checkDecideResponse } from "./response.js";

export interface WritGateOptions {
  /** the session decisions belong to (a thread or run id) */
  session: string;
  url?: string;
  token?: string;
  timeoutMs?: number;
  contract?: string;
  cwd?: string;
  /** your tool names → the kinds writ knows (e.g. { run_shell: "bash",
   *  save_file: "write" }) so shell lines are parsed and paths resolved */
  aliases?: Record<string, string>;
  decide?: DecideFn;
}

/** The guardrail result shapes of toolGuardrail.d.ts. */
export type GuardrailBehavior = { type: "allow" } | { type: "rejectContent"; message: string } | { type: "throwException" };

export interface FunctionCallLike {
  name: string;
  /** JSON text */
  arguments: string;
  callId?: string;
}

type Outcome = { ok: true; r: DecideResponse } | { ok: false; why: string };

export function writGate(o: WritGateOptions) {
  const url = o.url ?? process.env.WRIT_URL ?? DEFAULT_URL;
  const decide = o.decide ?? httpDecider({ url, token: o.token ?? process.env.WRIT_TOKEN, timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const byCall = new Map<string, Promise<Outcome>>();
  const askedHuman = new Set<string>();

  const ask = (name: string, input: unknown, callId: string | undefined): Promise<Outcome> => {
    const cached = callId ? byCall.get(callId) : undefined;
    if (cached) return cached;
    const p = (async (): Promise<Outcome> => {
      try {
        const known = o.aliases?.[name] ?? name;
        const request: DecideRequest = {
          harness: "openai-agents",
          session_id: o.session,
          event: "pre_tool_use",
          tool: name,
          action: normalizeToolCall({ tool: known, input, cwd: o.cwd }),
        };
        if (callId) request.request_id = `openai-agents/${callId}`.slice(0, 256);
        if (o.cwd) request.cwd = o.cwd;
        if (o.contract) request.contract_id = o.contract;
        return { ok: true, r: checkDecideResponse(await decide(request)) };
      } catch (err) {
        return { ok: false, why: err instanceof Error ? err.message : String(err) };
      }
    })();
    if (callId) byCall.set(callId, p);
    return p;
  };

  return {
    /** for tool({ needsApproval }) */
    needsApproval(toolName: string) {
      return async (_runContext: unknown, input: unknown, callId?: string): Promise<boolean> => {
        const out = await ask(toolName, input, callId);
        const needs = !out.ok || out.r.decision !== "allow";
        if (needs && callId) askedHuman.add(callId);
        return needs;
      };
    },

    /** for tool({ inputGuardrails: [...] }) */
    inputGuardrail: {
      type: "tool_input" as const,
      name: "writ",
      run: async (args: { toolCall: FunctionCallLike }): Promise<{ behavior: GuardrailBehavior; outputInfo?: unknown }> => {
        const call = args.toolCall;
        const out = await ask(call.name, asObject(call.arguments), call.callId);
        if (!out.ok) return { behavior: { type: "rejectContent", message: blockText(out.why) } };
        const r = out.r;
        if (r.decision === "allow") return { behavior: { type: "allow" }, outputInfo: { decision_id: r.decision_id } };
        if (r.decision === "deny") return { behavior: { type: "rejectContent", message: denyText(r) }, outputInfo: { decision_id: r.decision_id } };
        // approve: the run only gets here for this call if a human approved
        // it through needsApproval
        if (call.callId && askedHuman.has(call.callId)) return { behavior: { type: "allow" }, outputInfo: { decision_id: r.decision_id, approved_in_sdk: true } };
        return { behavior: { type: "rejectContent", message: approvalDenyText(r, url) }, outputInfo: { decision_id: r.decision_id } };
      },
    },
  };
}
