// glob.match with gobwas/glob semantics, as OPA uses it:
//   *  any run of characters that are not delimiters
//   ** any run of characters
//   ?  one character that is not a delimiter
//   [abc] [a-z] [!abc] [!a-z]  one character in (or not in) the class
//   {a,b*,c}  any of the alternatives (nested patterns allowed)
//   \x  a literal x
// Delimiters: an empty array means ["."]; null means none.
// A pattern compiles to an anchored JS RegExp; the translation only ever
// emits classes and `[^…]*` runs, so matching stays polynomial.
import { str, typeError } from "./args.js";
import { builtinError, operandError } from "./errors.js";
import { typeName } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const reEscape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const classEscape = (s: string): string => s.replace(/[\\\]\[^\-]/g, "\\$&");

/** Translate a glob to a RegExp source; throws gobwas's error texts. */
export function globToRegexSource(pattern: string, delimiters: string[]): string {
  const runes = Array.from(pattern);
  const notDelim = delimiters.length ? `[^${classEscape(delimiters.join(""))}]` : "[^]";
  let i = 0;
  let depth = 0;
  let out = "";
  const textBreak = (c: string) => c === "*" || c === "?" || c === "[" || c === "{" || (depth > 0 && (c === "}" || c === ","));
  while (i < runes.length) {
    const c = runes[i]!;
    if (c === "{") {
      depth++;
      out += "(?:";
      i++;
    } else if (c === "," && depth > 0) {
      out += "|";
      i++;
    } else if (c === "}" && depth > 0) {
      depth--;
      out += ")";
      i++;
    } else if (c === "*") {
      if (runes[i + 1] === "*") {
        out += "[^]*";
        i += 2;
      } else {
        out += `${notDelim}*`;
        i++;
      }
    } else if (c === "?") {
      out += notDelim;
      i++;
    } else if (c === "[") {
      i++;
      let not = false;
      if (runes[i] === "!") {
        not = true;
        i++;
      }
      if (i >= runes.length) throw builtinError("unexpected end of input");
      if (runes[i + 1] === "-") {
        const lo = runes[i]!;
        const hi = runes[i + 2];
        if (hi === undefined || runes[i + 3] === undefined) throw builtinError("unexpected end of input");
        if (runes[i + 3] !== "]") throw builtinError("expected close range character");
        if (hi.codePointAt(0)! < lo.codePointAt(0)!) throw builtinError(`hi character '${hi}' should be greater than lo '${lo}'`);
        out += `[${not ? "^" : ""}${classEscape(lo)}-${classEscape(hi)}]`;
        i += 4;
      } else {
        let chars = "";
        let escaped = false;
        while (i < runes.length) {
          const r = runes[i]!;
          if (!escaped && r === "\\") {
            escaped = true;
            i++;
            continue;
          }
          if (!escaped && r === "]") break;
          escaped = false;
          chars += r;
          i++;
        }
        if (i >= runes.length) throw builtinError("unexpected end of input");
        if (chars === "") throw builtinError("could not parse range");
        out += `[${not ? "^" : ""}${classEscape(chars)}]`;
        i++;
      }
    } else {
      let text = "";
      while (i < runes.length) {
        const r = runes[i]!;
        if (r === "\\") {
          if (i + 1 >= runes.length) throw builtinError("unexpected end of input");
          text += runes[i + 1];
          i += 2;
          continue;
        }
        if (textBreak(r)) break;
        text += r;
        i++;
      }
      out += reEscape(text);
    }
  }
  if (depth > 0) throw builtinError("unexpected end of input");
  return `^(?:${out})$`;
}

const CACHE_LIMIT = 1000;
/** compiled globs by delimiter set, then by pattern (no key strings built per call) */
const caches = new Map<string, Map<string, RegExp>>();
/** patterns with the default "." delimiter, the common case */
const dotCache = new Map<string, RegExp>();

export function compileGlob(pattern: string, delimiters: string[]): RegExp {
  let map = dotCache;
  if (delimiters !== DOT) {
    const delimKey = delimiters.length === 1 ? delimiters[0]! : delimiters.join("\u0000");
    let m = caches.get(delimKey);
    if (!m) {
      if (caches.size >= 100) caches.clear();
      caches.set(delimKey, (m = new Map()));
    }
    map = m;
  }
  let re = map.get(pattern);
  if (!re) {
    re = new RegExp(globToRegexSource(pattern, delimiters), "u");
    if (map.size >= CACHE_LIMIT) map.delete(map.keys().next().value!);
    map.set(pattern, re);
  }
  return re;
}

const DOT = ["."];

function delimitersOperand(v: unknown): string[] {
  if (v === null) return [];
  // the common forms, checked without allocating
  if (Array.isArray(v) && (v.length === 0 || (v.length === 1 && v[0] === "."))) return DOT;
  if (!Array.isArray(v)) throw typeError(2, v, "array", "null");
  for (const d of v) {
    if (typeof d !== "string") throw operandError(2, `must be array of strings but got array containing ${typeName(d)}`);
    // one code point: one UTF-16 unit, or a surrogate pair
    const single = d.length === 1 || (d.length === 2 && d.charCodeAt(0) >= 0xd800 && d.charCodeAt(0) <= 0xdbff);
    if (!single) throw operandError(2, "must be array of runes but got array containing string");
  }
  return v as string[];
}

/** gobwas QuoteMeta: escape the glob meta characters. */
const quoteMeta = (s: string): string => s.replace(/[*?\\[\]{}]/g, "\\$&");

export const globBuiltins: Record<string, BuiltinImpl> = {
  "glob.match"(pattern, delimiters, match) {
    const p = str(pattern, 1);
    const d = delimitersOperand(delimiters);
    return compileGlob(p, d).test(str(match, 3));
  },
  "glob.quote_meta": (s) => quoteMeta(str(s, 1)),
};
