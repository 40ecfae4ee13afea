// OPA's structured hashing of `data.json` and `.manifest` (v1/bundle/hash.go):
// the file is parsed keeping each number's original text (Go's json.Number),
// then fed to the hash as a canonical stream — objects as `{` + keys in byte
// order, each `"key":value`, joined by `,` + `}`, arrays as `[` … `]`, scalars
// as Go's json.Encoder writes them with HTML escaping off. This is not JCS:
// numbers keep their text (`1.0` stays `1.0`) and strings use Go's escapes.

/** A JSON number kept as written. */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value for hashing: objects keep their last value per key,
 *  as Go's decoder does. */
export type HashValue = null | boolean | string | RawNumber | HashValue[] | Map<string, HashValue>;

export class JsonSyntaxError extends Error {}

/** Strict JSON (RFC 8259), numbers kept as text. Throws JsonSyntaxError. */
export function parseJsonForHash(text: string): HashValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const value = (depth: number): HashValue => {
    if (depth > 10_000) fail("nesting too deep");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj = new Map<string, HashValue>();
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a string key");
        const key = string();
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        obj.set(key, value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: HashValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail("unexpected character");
    i += m[0].length;
    return new RawNumber(m[0]);
  };
  const string = (): string => {
    i++; // opening quote
    let out = "";
    let start = i;
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (ch < 0x20) fail("control character in string");
      if (ch === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          fail("bad escape");
        }
        start = i;
        continue;
      }
      i++;
    }
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail("trailing data");
  return v;
}

/** A plain JS value (from JSON.parse, YAML, or code) as a HashValue; numbers
 *  are written as JSON.stringify writes them, which is what the JSON file
 *  writ emits contains. */
export function toHashValue(v: unknown): HashValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError("non-finite number in structured document");
    return new RawNumber(JSON.stringify(v));
  }
  if (typeof v === "bigint") return new RawNumber(v.toString());
  if (Array.isArray(v)) return v.map(toHashValue);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), toHashValue(x)]));
  if (typeof v === "object") {
    const m = new Map<string, HashValue>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) m.set(k, toHashValue(x));
    return m;
  }
  throw new TypeError(`cannot hash a ${typeof v}`);
}

const HEX = "0123456789abcdef";

/** A string as Go's json.Encoder writes it with SetEscapeHTML(false). */
export function goJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = "\\\\";
    else if (c < 0x20) {
      esc = c === 0x0a ? "\\n" : c === 0x0d ? "\\r" : c === 0x09 ? "\\t" : c === 0x08 ? "\\b" : c === 0x0c ? "\\f" : "\\u00" + HEX[c >> 4] + HEX[c & 15];
    } else if (c === 0x2028 || c === 0x2029) esc = c === 0x2028 ? "\\u2028" : "\\u2029";
    else if (c >= 0xd800 && c <= 0xdfff) {
      // a lone surrogate is invalid UTF-8 for Go: it writes U+FFFD
      const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      esc = "\ufffd";
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** Byte order of the UTF-8 encodings (Go's sort.Strings), which differs from
 *  JS's UTF-16 order for characters outside the BMP. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Appends the canonical stream of `v` to `out` (chunks of text). */
export function canonicalStream(v: HashValue, out: string[]): void {
  if (v === null) out.push("null");
  else if (v === true) out.push("true");
  else if (v === false) out.push("false");
  else if (typeof v === "string") out.push(goJsonString(v));
  else if (v instanceof RawNumber) out.push(v.text);
  else if (Array.isArray(v)) {
    out.push("[");
    v.forEach((e, idx) => {
      if (idx > 0) out.push(",");
      canonicalStream(e, out);
    });
    out.push("]");
  } else {
    out.push("{");
    const keys = [...v.keys()].sort(compareUtf8);
    keys.forEach((k, idx) => {
      if (idx > 0) out.push(",");
      out.push(goJsonString(k), ":");
      canonicalStream(v.get(k)!, out);
    });
    out.push("}");
  }
}

export function canonicalText(v: HashValue): string {
  const out: string[] = [];
  canonicalStream(v, out);
  return out.join("");
}
