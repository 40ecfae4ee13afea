// What every harness adapter provides, and the one path all of them take:
// payload → normalized request → writ → the harness's answer. Every way
// that path can fail (a payload that cannot be read, writ unreachable,
// slow, or answering nonsense, a bug in rendering) ends in the harness's
// blocking answer — never in an exit code or output the harness would
// treat as "go ahead".
import type { DecideRequest, DecideResponse } from "../decide/types.js";
import type { ApprovalMemory } from "./approval-memory.js";
import type { DecideFn } from "./client.js";
import { blockText } from "./messages.js";
import { checkDecideResponse } from "./response.js";

/** What a hook process gives back: exit code, stdout, stderr. */
export interface HookAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface HookOptions {
  /** the task contract the session works under (WRIT_CONTRACT) */
  contract?: string;
  /** approve as the harness's own prompt ("native", the default where the
   *  harness has one) or as a denial naming the approval ("deny") */
  onApprove?: "native" | "deny";
  /** writ's URL, for the approval instructions */
  url?: string;
  /** for `~` in paths (default: $HOME) */
  home?: string;
}

export interface Translated {
  request: DecideRequest;
  /** the harness event, for rendering */
  event: string;
}

export interface Adapter {
  readonly harness: string;
  /** the harness's payload → a decide request; throws when the payload
   *  cannot be read (the hook then blocks) */
  toRequest(payload: unknown, options: HookOptions, hookEvent?: string): Translated;
  /** writ's verdict → the harness's answer */
  render(r: DecideResponse, event: string, options: HookOptions): HookAnswer;
  /** the answer that stops the action, for when there is no verdict */
  block(reason: string, event: string | undefined): HookAnswer;
  /** the event named in a payload, best effort (for blocking on payloads
   *  that cannot be translated) */
  eventOf(payload: unknown, hookEvent?: string): string | undefined;
}

export async function answerHook(adapter: Adapter, payload: unknown, decide: DecideFn, options: HookOptions = {}, approvals?: ApprovalMemory, hookEvent?: string): Promise<HookAnswer> {
  let t: Translated;
  try {
    t = adapter.toRequest(payload, options, hookEvent);
  } catch (err) {
    return safeBlock(adapter, `writ could not read the ${adapter.harness} hook payload: ${message(err)}`, adapter.eventOf(payload, hookEvent));
  }
  let response: DecideResponse;
  try {
    const remembered = approvals?.lookup(t.request);
    if (remembered !== undefined) t.request.approval_id = remembered;
    response = checkDecideResponse(await decide(t.request));
    if (response.decision === "approve" && response.approval) approvals?.remember(t.request, response.approval.id, response.approval.expires_at);
    else if (remembered !== undefined) approvals?.forget(t.request);
  } catch (err) {
    return safeBlock(adapter, message(err), t.event);
  }
  try {
    return adapter.render(response, t.event, options);
  } catch (err) {
    return safeBlock(adapter, `writ could not render its answer: ${message(err)}`, t.event);
  }
}

/** The adapter's blocking answer; if even that fails, exit 2 with the
 *  reason on stderr, which every command-hook harness treats as a block. */
export function safeBlock(adapter: Adapter, why: string, event: string | undefined): HookAnswer {
  const reason = blockText(why);
  try {
    return adapter.block(reason, event);
  } catch {
    return { exitCode: 2, stdout: "", stderr: reason + "\n" };
  }
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Fields of an object payload; throws on anything else. */
export function record(payload: unknown, what = "payload"): Record<string, unknown> {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw new Error(`the ${what} is not a JSON object`);
  return payload as Record<string, unknown>;
}

export function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

export function requireStr(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") throw new Error(`"${key}" is missing or not a string`);
  return v;
}

/** An id for the service's idempotent retries: the same hook event for the
 *  same tool call is the same request. */
function requestId(harness: string, event: string, callId: string | undefined): string | undefined {
  return callId ? `${harness}/${event}/${callId}`.slice(0, 256) : undefined;
}

/** The fields every adapter sets alike once it has the action, each when
 *  known: the retry id, the working directory, the model, the task contract. */
export function completeRequest(
  request: DecideRequest,
  event: string,
  known: { callId?: string | undefined; cwd?: string | undefined; model?: string | undefined; contract?: string | undefined },
): DecideRequest {
  const id = requestId(request.harness, event, known.callId);
  if (id) request.request_id = id;
  if (known.cwd) request.cwd = known.cwd;
  if (known.model) request.model = known.model;
  if (known.contract) request.contract_id = known.contract;
  return request;
}

/** A deny answer: exit 2 with the reason on stderr, and the harness's JSON
 *  denial on stdout — each alone blocks in the harness, so the action
 *  stays blocked whichever the harness reads. */
export function denyAnswer(json: unknown, reason: string): HookAnswer {
  return { exitCode: 2, stdout: JSON.stringify(json) + "\n", stderr: reason + "\n" };
}

export function jsonAnswer(json: unknown): HookAnswer {
  return { exitCode: 0, stdout: JSON.stringify(json) + "\n", stderr: "" };
}

export const NO_OBJECTION: HookAnswer = Object.freeze({ exitCode: 0, stdout: "", stderr: "" });
