// Claude Code's HTTP hooks, served by `writ serve` at
// POST /v1/hooks/claude-code. The same adapter as the command hook, with
// one difference that matters: Claude treats a non-2xx status, a timeout
// or a refused connection as a non-blocking error (the tool runs), so
// every answer here — denials, and every failure including a bad
// credential — is a 200 whose JSON body says deny. Only a verdict of allow
// (no objection) is an empty 200.
//
// Mounting (the service owns authentication and the decider):
//
//   app.post("/v1/hooks/claude-code", async (c) => {
//     const principal = authenticate(c.req.header("authorization"));
//     const payload = await c.req.json().catch(() => undefined);
//     const out = await claudeCodeHttpHook(payload, async (req) => {
//       if (!principal) throw new NoDecision("writ does not know this credential");
//       const o = await decider.decide(principal, req);
//       return parseDecideResponse(o.status, o.body);
//     }, { url: publicUrl, approvals });
//     return c.body(out.body, 200, { "content-type": out.contentType });
//   });
import type { DecideRequest, DecideResponse } from "../decide/types.js";
import { answerHook, safeBlock, type HookOptions } from "./adapter.js";
import { memoryApprovalMemory, type ApprovalMemory } from "./approval-memory.js";
import { claudeCode } from "./claude-code.js";

export { NoDecision, parseDecideResponse } from "./response.js";

export interface HttpHookAnswer {
  /** always 200: anything else would let the tool run */
  status: 200;
  /** "" (no objection) or the JSON answer */
  body: string;
  contentType: "application/json";
}

export interface HttpHookOptions extends HookOptions {
  /** approvals seen, so a retry carries the approval id (default: in memory) */
  approvals?: ApprovalMemory;
}

const defaultApprovals = memoryApprovalMemory();

/** Answers one Claude Code HTTP hook call. `decide` may throw or reject
 *  (no credential, audit unavailable, …): the answer then denies. */
export async function claudeCodeHttpHook(payload: unknown, decide: (req: DecideRequest) => Promise<DecideResponse>, options: HttpHookOptions = {}): Promise<HttpHookAnswer> {
  let body: string;
  try {
    const answer = await answerHook(claudeCode, payload, decide, options, options.approvals ?? defaultApprovals);
    body = answer.stdout.trim();
  } catch (err) {
    body = safeBlock(claudeCode, err instanceof Error ? err.message : String(err), claudeCode.eventOf(payload)).stdout.trim();
  }
  return { status: 200, body, contentType: "application/json" };
}

/** The blocking answer for a request that never reached the handler (a
 *  body that could not be read, a server error): still a 200 that denies. */
export function claudeCodeHttpBlock(why: string, payload?: unknown): HttpHookAnswer {
  return { status: 200, body: safeBlock(claudeCode, why, claudeCode.eventOf(payload)).stdout.trim(), contentType: "application/json" };
}
