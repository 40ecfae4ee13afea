// http.send: refused unless the operator enabled the "http" capability (a
// decision must not reach the network on its own). When enabled, the request
// runs synchronously through sync-io.ts and the response has OPA's shape.
import { parse as parseYAML } from "yaml";
import { builtinError } from "./errors.js";
import { validateRequest } from "./httprequest.js";
import { goJSON } from "./json.js";
import { parseDuration } from "./gotime.js";
import { runSync } from "./sync-io.js";
import { isObject, type ObjectValue, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const DEFAULT_TIMEOUT_MS = 5_000;

function timeoutMs(v: Value | undefined): number {
  if (v === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof v === "number") return v / 1e6;
  if (typeof v === "string") return Number(parseDuration(v)) / 1e6;
  return DEFAULT_TIMEOUT_MS;
}

interface RawResponse {
  status: string;
  status_code: number;
  headers: Record<string, string[]>;
  raw_body: string;
}

function send(req: ObjectValue): Value {
  const headers: Record<string, string> = {};
  if (isObject(req["headers"])) for (const [k, v] of Object.entries(req["headers"])) headers[k] = typeof v === "string" ? v : String(v);
  let body: string | undefined;
  if (typeof req["raw_body"] === "string") body = req["raw_body"];
  else if ("body" in req) {
    body = goJSON(req["body"]);
    headers["Content-Type"] ??= "application/json";
  }
  const wait = timeoutMs(req["timeout"]);
  const raiseError = req["raise_error"] !== false;
  const result = runSync<RawResponse>(
    "fetch",
    { url: req["url"], method: String(req["method"]).toUpperCase(), headers, body, timeoutMs: wait, redirect: req["enable_redirect"] === true },
    wait + 1_000,
  );
  if (!result.ok) {
    if (raiseError) throw builtinError(`${String(req["method"]).toUpperCase()} ${req["url"]}: ${result.error}`);
    return { status_code: 0, error: { code: "eval_http_send_network_error", message: result.error } };
  }
  const res = result.value;
  const contentType = (res.headers["content-type"] ?? []).join(";");
  let parsed: Value = null;
  try {
    if (req["force_json_decode"] === true || /application\/json/.test(contentType)) parsed = JSON.parse(res.raw_body) as Value;
    else if (req["force_yaml_decode"] === true || /application\/(x-)?yaml/.test(contentType)) parsed = (parseYAML(res.raw_body) ?? null) as Value;
  } catch {
    parsed = null;
  }
  return { status: res.status, status_code: res.status_code, body: parsed, raw_body: res.raw_body, headers: res.headers };
}

export function httpBuiltins(opts: { http: boolean }): Record<string, BuiltinImpl> {
  return {
    "http.send"(r) {
      const req = validateRequest(r, 1);
      if (!opts.http) throw builtinError(`network access is disabled: http.send to ${JSON.stringify(req["url"])} refused (enable the "http" capability to allow it)`);
      return send(req);
    },
  };
}

/** Blocking DNS resolution for net.lookup_ip_addr (only when enabled). */
export function lookupHost(host: string): string[] {
  const r = runSync<string[]>("lookup", { host }, 10_000);
  if (!r.ok) throw builtinError(`lookup ${host}: ${r.error}`);
  return r.value;
}
