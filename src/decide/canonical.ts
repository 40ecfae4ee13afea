// Canonical JSON: object keys sorted by UTF-16 code unit (as JS sort does),
// no whitespace, JSON.stringify's escaping for strings and numbers. Same
// value → same bytes, which is what the action digest and approval binding
// need. (For the JSON values a request can carry this agrees with RFC 8785
// except for number formatting corner cases such as 1e21, which JSON.stringify
// writes the same way on both sides anyway.)
import { jsonString as quote } from "../json-string.js";
export { sha256Hex } from "../sha256.js";

/** How deep a value may nest: deeper requests are refused (400), not
 *  recursed into. */
export const MAX_DEPTH = 64;

export class TooDeep extends Error {}

export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new TooDeep(`the request nests deeper than ${MAX_DEPTH} levels`);
  switch (typeof value) {
    case "string":
      return quote(value);
    case "object":
      break;
    case "undefined":
      // undefined inside arrays becomes null, like JSON.stringify
      return "null";
    default:
      return JSON.stringify(value);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    let out = "[" + canonicalJson(value[0], depth + 1);
    for (let i = 1; i < value.length; i++) out += "," + canonicalJson(value[i], depth + 1);
    return out + "]";
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length > 1) keys.sort();
  let out = "{";
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ",";
    out += quote(k) + ":" + canonicalJson(v, depth + 1);
  }
  return out + "}";
}
