// providers.aws.sign_req: AWS Signature Version 4 over a request object,
// byte for byte as OPA's signer builds the canonical request.
import { createHash, createHmac } from "node:crypto";
import { obj } from "./args.js";
import { operandError } from "./errors.js";
import { goJSON } from "./json.js";
import { formatTime, UTC } from "./gotime.js";
import { nameSet, validateRequest } from "./httprequest.js";
import { compareStrings, isObject, type ObjectValue } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const REQUIRED = ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"];
const IGNORED_HEADERS = new Set(["authorization", "user-agent", "x-amzn-trace-id"]);

/** Go's url.Parse, as far as signing needs it: Host, EscapedPath, RawQuery. */
function goURL(raw: string): { host: string; path: string; query: string } {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/.exec(raw)!;
  const path = m[3] ?? "";
  // EscapedPath: keep valid escapes, escape what a path may not hold
  const escaped = path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/g, (c) => encodeURIComponent(c));
  return { host: m[2] ?? "", path: escaped, query: m[4] ?? "" };
}

const sha256Hex = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const hmac = (key: Buffer | string, msg: string) => createHmac("sha256", key).update(msg).digest();

function signRequest(req: ObjectValue, config: ObjectValue, timeNs: bigint): ObjectValue {
  const url = goURL(req["url"] as string);
  const method = req["method"] as string;
  const headersIn = isObject(req["headers"]) ? req["headers"] : {};
  // raw_body wins whenever present (a non-string one signs as ""), as in OPA's getReqBodyBytes
  const body = "raw_body" in req ? (typeof req["raw_body"] === "string" ? req["raw_body"] : "") : "body" in req ? goJSON(req["body"]) : "";
  const service = config["aws_service"] as string;
  const region = config["aws_region"] as string;
  let unsigned = false;
  if ("disable_payload_signing" in config) {
    if (typeof config["disable_payload_signing"] !== "boolean") throw operandError(2, "invalid value for 'disable_payload_signing' in AWS config");
    unsigned = config["disable_payload_signing"];
  }
  const bodyHash = unsigned ? "UNSIGNED-PAYLOAD" : sha256Hex(Buffer.from(body, "utf8"));
  const date = formatTime(timeNs, UTC, "20060102");
  const stamp = formatTime(timeNs, UTC, "20060102T150405Z");
  const awsHeaders: Record<string, string> = { host: url.host, "x-amz-date": stamp };
  if (service === "s3" || service === "glacier" || unsigned) awsHeaders["x-amz-content-sha256"] = bodyHash;
  // ephemeral credentials carry their session token
  if (typeof config["aws_session_token"] === "string" && config["aws_session_token"] !== "") awsHeaders["x-amz-security-token"] = config["aws_session_token"];
  const toSign: Record<string, string> = { ...awsHeaders };
  const original: Record<string, string> = {};
  for (const [k, v] of Object.entries(headersIn)) {
    const value = typeof v === "string" ? v : "";
    original[k] = value;
    if (!IGNORED_HEADERS.has(k.toLowerCase())) toSign[k.toLowerCase()] = value;
  }
  const keys = Object.keys(toSign).sort(compareStrings);
  const canonical = [method, url.path, url.query, ...keys.map((k) => `${k}:${toSign[k]}`), "", keys.join(";"), bodyHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, sha256Hex(canonical)].join("\n");
  let key = hmac(`AWS4${config["aws_secret_access_key"]}`, date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  const signature = hmac(key, stringToSign).toString("hex");
  const auth = `AWS4-HMAC-SHA256 Credential=${config["aws_access_key"]}/${scope},SignedHeaders=${keys.join(";")},Signature=${signature}`;
  return { ...req, headers: { ...original, Authorization: auth, ...awsHeaders } };
}

export const awsBuiltins: Record<string, BuiltinImpl> = {
  "providers.aws.sign_req"(r, c, t) {
    const req = obj(r, 1);
    const config = obj(c, 1);
    const missing = REQUIRED.filter((k) => !(k in config));
    if (missing.length) throw operandError(2, `missing required AWS config parameters(s): ${nameSet(missing)}`);
    const invalid = REQUIRED.filter((k) => typeof config[k] !== "string");
    if (invalid.length) throw operandError(2, `invalid values for required AWS config parameters(s): ${nameSet(invalid)}`);
    if (typeof t !== "number" && typeof t !== "bigint") throw operandError(1, `must be number but got ${typeof t}`);
    if (typeof t === "number" && !Number.isInteger(t)) throw operandError(3, "could not convert time_ns value into a unix timestamp");
    validateRequest(req, 1);
    const invalidReq = ["method", "url"].filter((k) => typeof req[k] !== "string");
    if (invalidReq.length) throw operandError(1, `invalid values for required request parameters(s): ${nameSet(invalidReq)}`);
    if ("headers" in req && !isObject(req["headers"])) throw operandError(0, "must be object");
    return signRequest(req, config, BigInt(t as number));
  },
};

