// base64, base64url, hex and urlquery with Go's strictness and error texts.
import { obj, str } from "./args.js";
import { builtinError, operandError } from "./errors.js";
import { compareStrings, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Go's base64.Encoding.DecodeString with padding: CR and LF are skipped,
 * anything else outside the alphabet, or misplaced padding, fails with
 * "illegal base64 data at input byte N".
 */
export function decodeBase64Strict(s: string, alphabet: string): Buffer {
  const bad = (i: number) => builtinError(`illegal base64 data at input byte ${i}`);
  const chars: number[] = [];
  const positions: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\r" || c === "\n") continue;
    chars.push(c === "=" ? -1 : alphabet.indexOf(c));
    positions.push(i);
    if (chars[chars.length - 1] === -1 && c !== "=") throw bad(i);
  }
  // validate quantum by quantum
  const out: number[] = [];
  for (let q = 0; q < chars.length; q += 4) {
    const quad = chars.slice(q, q + 4);
    const pad = quad.indexOf(-1);
    if (pad === -1) {
      if (quad.length < 4) throw bad(positions[q + quad.length - 1]! + 1 > s.length ? s.length : s.length);
      const n = (quad[0]! << 18) | (quad[1]! << 12) | (quad[2]! << 6) | quad[3]!;
      out.push((n >> 16) & 255, (n >> 8) & 255, n & 255);
      continue;
    }
    // padding: "xx==" or "xxx=" and nothing after
    if (pad < 2) throw bad(positions[q + pad]!);
    if (quad.length < 4) throw bad(s.length);
    if (pad === 2 && quad[3] !== -1) throw bad(positions[q + 3]!);
    if (pad === 3 && quad[3] !== -1) throw bad(positions[q + 3]!);
    if (q + 4 < chars.length) throw bad(positions[q + 4]!);
    const n = (quad[0]! << 18) | (quad[1]! << 12) | ((pad === 3 ? quad[2]! : 0) << 6);
    out.push((n >> 16) & 255);
    if (pad === 3) out.push((n >> 8) & 255);
  }
  return Buffer.from(out);
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Go's url.QueryUnescape. */
export function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        const bad = s.slice(i, Math.min(i + 3, s.length));
        throw builtinError(`invalid URL escape ${JSON.stringify(bad)}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else if (c === "+") {
      bytes.push(0x20);
      i++;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, "utf8"));
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Go's url.ParseQuery: pairs split on "&" (";" is an error), keys in first-seen order. */
function parseQuery(q: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let firstErr: Error | undefined;
  for (const part of q.split("&")) {
    if (part === "") continue;
    if (part.includes(";")) {
      firstErr ??= builtinError("invalid semicolon separator in query");
      continue;
    }
    const eq = part.indexOf("=");
    const [k, v] = eq >= 0 ? [part.slice(0, eq), part.slice(eq + 1)] : [part, ""];
    try {
      const key = queryUnescape(k);
      const value = queryUnescape(v);
      (out[key] ??= []).push(value);
    } catch (e) {
      firstErr ??= e as Error;
    }
  }
  if (firstErr) throw firstErr;
  return out;
}

function encodeObject(o: Record<string, Value>): string {
  const valueErr = () => operandError(1, "values must be string, array[string], or set[string]");
  const parts: string[] = [];
  for (const k of Object.keys(o).sort(compareStrings)) {
    const v = o[k];
    const values = typeof v === "string" ? [v] : Array.isArray(v) ? v : null;
    if (!values) throw valueErr();
    for (const x of values) {
      if (typeof x !== "string") throw valueErr();
      parts.push(`${queryEscape(k)}=${queryEscape(x)}`);
    }
  }
  return parts.join("&");
}

const HEX = /^[0-9a-fA-F]*$/;

function hexDecode(s: string): string {
  if (!HEX.test(s)) {
    const i = [...s].findIndex((c) => !/[0-9a-fA-F]/.test(c));
    const bad = [...s][i]!;
    const cp = bad.codePointAt(0)!;
    // Go reports the offending byte; for ASCII that is the character itself
    const quoted = cp < 0x80 ? `'${bad}'` : `'\\u00${Buffer.from(bad)[0]!.toString(16)}'`;
    throw builtinError(`encoding/hex: invalid byte: U+${(cp < 0x80 ? cp : Buffer.from(bad)[0]!).toString(16).toUpperCase().padStart(4, "0")} ${quoted}`);
  }
  if (s.length % 2 === 1) throw builtinError("encoding/hex: odd length hex string");
  return Buffer.from(s, "hex").toString("utf8");
}

export const encodingBuiltins: Record<string, BuiltinImpl> = {
  "base64.encode": (s) => Buffer.from(str(s, 1), "utf8").toString("base64"),
  "base64.decode": (s) => decodeBase64Strict(str(s, 1), STD).toString("utf8"),
  "base64.is_valid"(s) {
    if (typeof s !== "string") return false;
    try {
      decodeBase64Strict(s, STD);
      return true;
    } catch {
      return false;
    }
  },
  "base64url.encode": (s) => Buffer.from(str(s, 1), "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_"),
  "base64url.encode_no_pad": (s) => Buffer.from(str(s, 1), "utf8").toString("base64url"),
  "base64url.decode"(s) {
    let x = str(s, 1);
    if (!x.endsWith("=")) {
      const rem = x.length % 4;
      if (rem === 2) x += "==";
      else if (rem === 3) x += "=";
      else if (rem !== 0) throw builtinError(`illegal base64url string: ${x}`);
    }
    return decodeBase64Strict(x, URL).toString("utf8");
  },
  "hex.encode": (s) => Buffer.from(str(s, 1), "utf8").toString("hex"),
  "hex.decode": (s) => hexDecode(str(s, 1)),
  "urlquery.encode": (s) => queryEscape(str(s, 1)),
  "urlquery.decode": (s) => queryUnescape(str(s, 1)),
  "urlquery.encode_object": (o) => encodeObject(obj(o, 1)),
  "urlquery.decode_object": (s) => parseQuery(str(s, 1)),
};
