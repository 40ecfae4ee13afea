// The policy's input document, assembled as JSON text around the canonical
// action (already serialized for the digest), so the action is serialized
// once per decision and the SDK gets ready-made JSON.
import type { Principal } from "./pipeline.js";
import type { SessionState, TaskUsage } from "./types.js";

/** `usage`: what the action's task contract has used so far, if it names one. */
export function policyInput(canon: string, principal: Principal, session: SessionState, now: string, nowMs: number, usage?: TaskUsage): string {
  const agent = principal.owner !== undefined ? { id: principal.id, owner: principal.owner } : { id: principal.id };
  // now_ns in exact digits (a JS number cannot hold nanoseconds since 1970;
  // milliseconds times 10^6 are a string of digits with six zeros)
  const nowNs = nowMs === 0 ? "0" : `${nowMs}000000`;
  const task = usage ? `,"usage":{"contract":{"usd":${usage.usd},"tokens":${usage.tokens},"tool_calls":${usage.tool_calls}}}` : "";
  return `{"action":${canon},"agent":${JSON.stringify(agent)},"session":${JSON.stringify(session)},"now":"${now}","now_ns":${nowNs}${task}}`;
}
