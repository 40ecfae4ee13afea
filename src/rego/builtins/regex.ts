// regex.* with RE2 syntax and semantics (re2js, a port of Go's regexp): the
// same accepted syntax, the same leftmost-first matching and the same error
// texts ("error parsing regexp: …") as OPA, and linear-time matching, which
// JS RegExp cannot promise for patterns that policy inputs may reach.
import { RE2JS } from "re2js";
import { int, str } from "./args.js";
import { builtinError } from "./errors.js";
import { globsIntersect } from "./globs-intersect.js";
import type { BuiltinImpl } from "./types.js";

type RE2 = RE2JS["re2Input"];

const CACHE_LIMIT = 1000;
const cache = new Map<string, RE2JS>();

/** Compile (cached); a syntax error becomes OPA's builtin error text. */
function compilePattern(pattern: string): RE2JS {
  let p = cache.get(pattern);
  if (p) return p;
  try {
    p = RE2JS.compile(pattern);
  } catch (e) {
    throw builtinError(e instanceof Error ? e.message : String(e));
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, p);
  return p;
}

export const compileRegex = (pattern: string): RE2 => compilePattern(pattern).re2Input;

/** Does the pattern match anywhere in s (RE2JS.test is the fastest search re2js offers). */
const matches = (pattern: string, s: string): boolean => compilePattern(pattern).test(s);

export function regexValid(pattern: unknown): boolean {
  if (typeof pattern !== "string") return false;
  try {
    compileRegex(pattern);
    return true;
  } catch {
    return false;
  }
}

/** [start, end, g1start, g1end, …] in UTF-16 indexes, -1 for unmatched groups. */
type MatchIndex = number[];

function findAll(re: RE2, s: string, n: number): MatchIndex[] {
  return (re.findAllSubmatchIndex(s, n < 0 ? -1 : n) as MatchIndex[] | null) ?? [];
}

/** Go's Regexp.Split(s, -1). */
function split(pattern: string, re: RE2, s: string): string[] {
  if (pattern.length > 0 && s.length === 0) return [""];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(re, s, -1)) {
    end = m[0]!;
    if (m[1] !== 0) out.push(s.slice(beg, end));
    beg = m[1]!;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$ in the replacement. */
function expand(template: string, re: RE2, src: string, m: MatchIndex): string {
  const named = (re as unknown as { namedGroups?: Record<string, number> }).namedGroups ?? {};
  const group = (name: string): string => {
    let idx: number | undefined;
    if (/^[0-9]+$/.test(name)) idx = Number(name);
    else idx = named[name];
    if (idx === undefined || 2 * idx + 1 >= m.length || m[2 * idx]! < 0) return "";
    return src.slice(m[2 * idx], m[2 * idx + 1]);
  };
  let out = "";
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf("$", i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string | undefined;
    if (template[i] === "{") {
      const close = template.indexOf("}", i);
      const inner = close > 0 ? template.slice(i + 1, close) : "";
      if (close > 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        i = close + 1;
      }
    } else {
      const m2 = /^[A-Za-z0-9_]+/.exec(template.slice(i));
      if (m2) {
        name = m2[0];
        i += name.length;
      }
    }
    // a malformed reference is copied as is
    if (name === undefined) out += "$";
    else out += group(name);
  }
  return out;
}

/** Go's Regexp.ReplaceAllString: every match replaced by the expanded template. */
function replace(base: string, re: RE2, template: string): string {
  let out = "";
  let last = 0;
  for (const m of findAll(re, base, -1)) {
    out += base.slice(last, m[0]) + expand(template, re, base, m);
    last = m[1]!;
  }
  return out + base.slice(last);
}

/** gorilla/mux-style template: literal text with delimited regex parts. */
function templateRegex(tpl: string, open: string, close: string): RE2 {
  const idxs: number[] = [];
  let level = 0;
  let idx = 0;
  for (let i = 0; i < tpl.length; i++) {
    if (tpl[i] === open) {
      if (++level === 1) idx = i;
    } else if (tpl[i] === close) {
      if (--level === 0) idxs.push(idx, i + 1);
      else if (level < 0) throw builtinError(`unbalanced braces in ${JSON.stringify(tpl)}`);
    }
  }
  if (level !== 0) throw builtinError(`unbalanced braces in ${JSON.stringify(tpl)}`);
  let pattern = "^";
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = tpl.slice(end, idxs[i]);
    end = idxs[i + 1]!;
    const part = tpl.slice(idxs[i]! + 1, end - 1);
    pattern += `${RE2JS.quote(raw)}(${part})`;
    compileRegex(`^${part}$`);
  }
  pattern += RE2JS.quote(tpl.slice(end)) + "$";
  return compileRegex(pattern);
}

export const regexBuiltins: Record<string, BuiltinImpl> = {
  "regex.is_valid": (p) => regexValid(p),
  "regex.match": (p, s) => matches(str(p, 1), str(s, 2)),
  re_match: (p, s) => matches(str(p, 1), str(s, 2)),
  "regex.split": (p, s) => {
    const pattern = str(p, 1);
    return split(pattern, compileRegex(pattern), str(s, 2));
  },
  "regex.find_n"(p, s, n) {
    const re = compileRegex(str(p, 1));
    const input = str(s, 2);
    return findAll(re, input, int(n, 3)).map((m) => input.slice(m[0], m[1]));
  },
  "regex.find_all_string_submatch_n"(p, s, n) {
    const re = compileRegex(str(p, 1));
    const input = str(s, 2);
    return findAll(re, input, int(n, 3)).map((m) => {
      const groups: string[] = [];
      for (let g = 0; g < m.length; g += 2) groups.push(m[g]! < 0 ? "" : input.slice(m[g], m[g + 1]));
      return groups;
    });
  },
  "regex.replace"(s, p, v) {
    const base = str(s, 1);
    const re = compileRegex(str(p, 2));
    return replace(base, re, str(v, 3));
  },
  "regex.template_match"(p, s, open, close) {
    const pattern = str(p, 1);
    const input = str(s, 2);
    const start = str(open, 3);
    const end = str(close, 4);
    const startLen = Buffer.byteLength(start);
    if (startLen !== 1) throw builtinError(`start delimiter has to be exactly one character long but is ${startLen} long`);
    if (Buffer.byteLength(end) !== 1) throw builtinError(`end delimiter has to be exactly one character long but is ${startLen} long`);
    return templateRegex(pattern, start, end).match(input);
  },
  "regex.globs_match": (a, b) => globsIntersect(str(a, 1), str(b, 2)),
};
