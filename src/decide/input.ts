// The policy's input document, assembled as JSON text around the canonical
// action (already serialized for the digest), so the action is serialized
// once per decision and the SDK gets ready-made JSON. The session is written
// from a template and the agent's JSON kept per principal (credentials hand
// out one principal object per token): JSON.stringify of the two was ~1.3 µs
// of each decision. Key order is free here: the policy reads an object.
import { jsonString as q } from "../json-string.js";
import type { Principal } from "./pipeline.js";
import type { SessionState, TaskUsage } from "./types.js";

const agentJson = new WeakMap<Principal, string>();

/** `usage`: what the action's task contract has used so far, if it names one. */
export function policyInput(canon: string, principal: Principal, session: SessionState, now: string, nowMs: number, usage?: TaskUsage): string {
  let agent = agentJson.get(principal);
  if (agent === undefined) {
    agent = JSON.stringify(principal.owner !== undefined ? { id: principal.id, owner: principal.owner } : { id: principal.id });
    agentJson.set(principal, agent);
  }
  // now_ns in exact digits (a JS number cannot hold nanoseconds since 1970;
  // milliseconds times 10^6 are a string of digits with six zeros)
  const nowNs = nowMs === 0 ? "0" : `${nowMs}000000`;
  const task = usage ? `,"usage":{"contract":{"usd":${num(usage.usd)},"tokens":${num(usage.tokens)},"tool_calls":${num(usage.tool_calls)}}}` : "";
  return `{"action":${canon},"agent":${agent},"session":${sessionJson(session)},"now":"${now}","now_ns":${nowNs}${task}}`;
}

/** The session as JSON: what JSON.stringify writes, but from a template
 *  (for the shape writ builds; anything else, e.g. a hand-edited snapshot,
 *  through JSON.stringify). */
export function sessionJson(s: SessionState): string {
  if (typeof s.started_at !== "string" || !Array.isArray(s.labels) || typeof s.spend !== "object" || s.spend === null) return JSON.stringify(s);
  let counters = "";
  for (const k in s.counters) counters += (counters ? "," : "") + q(k) + ":" + num(s.counters[k]);
  const sp = s.spend;
  return `{"id":${q(s.id)},"labels":${s.labels.length === 0 ? "[]" : JSON.stringify(s.labels)},"counters":{${counters}},"spend":{"usd":${num(sp.usd)},"tokens":${num(sp.tokens)},"tool_calls":${num(sp.tool_calls)}},"started_at":${q(s.started_at)}}`;
}

// a number as JSON.stringify writes it (non-finite ones as null)
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}
