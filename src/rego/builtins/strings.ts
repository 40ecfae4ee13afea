// String builtins with Go's semantics: indexes count runes (code points),
// trimming and splitting work on runes, and Go's whitespace set applies.
import { int, num, obj, str, strings as stringList, typeError } from "./args.js";
import { builtinError, operandError } from "./errors.js";
import { compareStrings, typeName, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const runes = (s: string): string[] => Array.from(s);
/** s starts with p; V8's startsWith is several times slower (it first checks p for a RegExp) */
const hasPrefix = (s: string, p: string): boolean => s.lastIndexOf(p, 0) === 0;
const isASCII = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** Go's unicode.IsSpace set (JS's \s differs: it has U+FEFF, lacks U+0085). */
const GO_SPACE = "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
const leadingSpace = new RegExp(`^[${GO_SPACE}]+`, "u");
const trailingSpace = new RegExp(`[${GO_SPACE}]+$`, "u");

function trimLeftSet(s: string, cutset: string): string {
  const cut = new Set(runes(cutset));
  const r = runes(s);
  let i = 0;
  while (i < r.length && cut.has(r[i]!)) i++;
  return r.slice(i).join("");
}

function trimRightSet(s: string, cutset: string): string {
  const cut = new Set(runes(cutset));
  const r = runes(s);
  let j = r.length;
  while (j > 0 && cut.has(r[j - 1]!)) j--;
  return r.slice(0, j).join("");
}

/** Go's strings.Count: non-overlapping; an empty needle counts rune boundaries. */
function countSubstrings(s: string, sub: string): number {
  if (sub === "") return runes(s).length + 1;
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/** Go's strings.Split: "" splits into runes. */
function goSplit(s: string, sep: string, limit = -1): string[] {
  if (limit === 0) return [];
  if (sep === "") {
    const r = runes(s);
    if (limit > 0 && r.length > limit) return [...r.slice(0, limit - 1), r.slice(limit - 1).join("")];
    return r;
  }
  const parts = s.split(sep);
  if (limit > 0 && parts.length > limit) return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep)];
  return parts;
}

/**
 * Go's strings.NewReplacer(old1, new1, …): one left-to-right pass, no
 * overlapping matches, and at one position the earliest pair wins.
 */
export function replaceAll(s: string, pairs: [string, string][]): string {
  if (pairs.length === 1) {
    const [old, rep] = pairs[0]!;
    if (old === "") return runes(s).map((r) => rep + r).join("") + rep;
    return s.split(old).join(rep);
  }
  let out = "";
  let i = 0;
  while (i <= s.length) {
    let matched = false;
    for (const [old, rep] of pairs) {
      if (old !== "" && s.startsWith(old, i)) {
        out += rep;
        i += old.length;
        matched = true;
        break;
      }
      if (old === "") {
        out += rep;
        if (i < s.length) {
          const cp = s.codePointAt(i)!;
          const ch = String.fromCodePoint(cp);
          out += ch;
          i += ch.length;
        } else i++;
        matched = true;
        break;
      }
    }
    if (!matched) {
      if (i < s.length) out += s[i];
      i++;
    }
  }
  return out;
}

function anyMatch(a: Value, b: Value, suffix: boolean): boolean {
  const list = (v: Value, pos: number): string[] => {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return stringList(v, pos);
    throw typeError(pos, v, "string", "set", "array");
  };
  const strs = list(a, 1);
  const affixes = list(b, 2);
  return strs.some((s) => affixes.some((p) => (suffix ? s.endsWith(p) : hasPrefix(s, p))));
}

function runeIndexes(base: string, search: string, all: boolean): number[] {
  if (search === "") throw builtinError("empty search character");
  const out: number[] = [];
  if (isASCII(base) && isASCII(search)) {
    for (let i = base.indexOf(search); i >= 0; i = base.indexOf(search, i + 1)) {
      out.push(i);
      if (!all) break;
    }
    return out;
  }
  const b = runes(base);
  const s = runes(search);
  for (let i = 0; i + s.length <= b.length; i++) {
    let eq = true;
    for (let j = 0; j < s.length; j++) {
      if (b[i + j] !== s[j]) {
        eq = false;
        break;
      }
    }
    if (eq) {
      out.push(i);
      if (!all) break;
    }
  }
  return out;
}

function concatStrings(sep: string, list: Value): string {
  if (!Array.isArray(list)) throw typeError(2, list, "set", "array");
  for (const x of list) {
    if (typeof x !== "string") throw operandError(2, `must be array of strings but got array containing ${typeName(x)}`);
  }
  return (list as string[]).join(sep);
}

export const stringBuiltins: Record<string, BuiltinImpl> = {
  concat: (sep, list) => concatStrings(str(sep, 1), list),
  startswith: (s, p) => hasPrefix(str(s, 1), str(p, 2)),
  endswith: (s, p) => str(s, 1).endsWith(str(p, 2)),
  contains: (s, p) => str(s, 1).includes(str(p, 2)),
  lower: (s) => str(s, 1).toLowerCase(),
  upper: (s) => str(s, 1).toUpperCase(),
  indexof: (s, p) => runeIndexes(str(s, 1), str(p, 2), false)[0] ?? -1,
  indexof_n: (s, p) => runeIndexes(str(s, 1), str(p, 2), true),
  "strings.count": (s, p) => countSubstrings(str(s, 1), str(p, 2)),
  "strings.any_prefix_match": (a, b) => anyMatch(a, b, false),
  "strings.any_suffix_match": (a, b) => anyMatch(a, b, true),
  "strings.reverse": (s) => runes(str(s, 1)).reverse().join(""),
  substring(s, start, length) {
    const base = str(s, 1);
    const from = int(start, 2);
    const len = int(length, 3);
    if (from < 0) throw builtinError("negative offset");
    const r = isASCII(base) ? null : runes(base);
    const total = r ? r.length : base.length;
    if (from >= total) return "";
    const to = len < 0 ? total : Math.min(total, from + len);
    return r ? r.slice(from, to).join("") : base.slice(from, to);
  },
  split: (s, d) => goSplit(str(s, 1), str(d, 2)),
  "strings.split_n": (s, d, n) => goSplit(str(s, 1), str(d, 2), int(n, 3)),
  replace: (s, old, rep) => replaceAll(str(s, 1), [[str(old, 2), str(rep, 3)]]),
  "strings.replace_n"(patterns, s) {
    const p = obj(patterns, 1);
    const keys = Object.keys(p).sort(compareStrings);
    const pairs: [string, string][] = keys.map((k) => {
      const v = p[k];
      if (typeof v !== "string") throw operandError(1, "non-string value found in pattern object");
      return [k, v];
    });
    const input = str(s, 2);
    return pairs.length === 0 ? input : replaceAll(input, pairs);
  },
  trim: (s, c) => trimRightSet(trimLeftSet(str(s, 1), str(c, 2)), c as string),
  trim_left: (s, c) => trimLeftSet(str(s, 1), str(c, 2)),
  trim_right: (s, c) => trimRightSet(str(s, 1), str(c, 2)),
  trim_prefix(s, p) {
    const x = str(s, 1);
    const pre = str(p, 2);
    return hasPrefix(x, pre) ? x.slice(pre.length) : x;
  },
  trim_suffix(s, p) {
    const x = str(s, 1);
    const suf = str(p, 2);
    return suf !== "" && x.endsWith(suf) ? x.slice(0, x.length - suf.length) : x;
  },
  trim_space: (s) => str(s, 1).replace(leadingSpace, "").replace(trailingSpace, ""),
  format_int(n, base) {
    const x = num(n, 1);
    const b = num(base, 2);
    if (b !== 2 && b !== 8 && b !== 10 && b !== 16) throw operandError(2, "must be one of {2, 8, 10, 16}");
    const i = typeof n === "bigint" ? n : BigInt(Math.trunc(x));
    return i.toString(b);
  },
};
