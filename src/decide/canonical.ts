// Canonical JSON: object keys sorted by UTF-16 code unit (as JS sort does),
// no whitespace, JSON.stringify's escaping for strings and numbers. Same
// value → same bytes, which is what the action digest and approval binding
// need. (For the JSON values a request can carry this agrees with RFC 8785
// except for number formatting corner cases such as 1e21, which JSON.stringify
// writes the same way on both sides anyway.)
import { createHash } from "node:crypto";

/** How deep a value may nest: deeper requests are refused (400), not
 *  recursed into. */
export const MAX_DEPTH = 64;

export class TooDeep extends Error {}

export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new TooDeep(`the request nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value !== "object") {
    // undefined inside arrays becomes null, like JSON.stringify
    return value === undefined ? "null" : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += canonicalJson(value[i], depth + 1);
    }
    return out + "]";
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += JSON.stringify(k) + ":" + canonicalJson(v, depth + 1);
  }
  return out + "}";
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
