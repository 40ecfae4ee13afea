// Extracts simple builtin calls from OPA's conformance cases (shared/opa-conformance):
// a rule whose body is one call of a builtin with literal or input/data arguments,
//   p contains x if { f(a, b, x) }      p := x if { x = f(a, b) }
//   p := f(a, b)                         p if { f(a, b) }
// together with what OPA answered. The full runner (compiler + Wasm) covers the
// rest; this lets the host builtins be checked on their own.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ExtractedCall {
  folder: string;
  note: string;
  builtin: string;
  args: Json[];
  /** "value": want is the call's value; "truthy": the case asserts the call succeeds */
  kind: "value" | "truthy";
  /** `call OP other`: the case asserts the comparison (kind "truthy") */
  compare?: { op: string; other: { builtin: string; args: Json[] } | { value: Json } };
  /** undefined = the case expects no result */
  want?: Json;
  wantError?: { code?: string; message?: string };
  strict: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));

export function conformanceDir(): string | undefined {
  const candidates = [
    process.env.WRIT_CONFORMANCE_DIR,
    join(here, "../../../shared/opa-conformance/v1"),
    join(here, "../../../../shared/opa-conformance/v1"),
    join(here, "../../../../../shared/opa-conformance/v1"),
  ];
  return candidates.find((d) => d && existsSync(d));
}

// ---- a small reader for Rego terms: scalars, arrays, objects, sets, refs ----

export class TermReader {
  i = 0;
  constructor(
    readonly src: string,
    readonly scope: { input: Json | undefined; data: Json | undefined; consts: Record<string, Json> },
  ) {}

  ws() {
    for (;;) {
      while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.i++;
      if (this.src[this.i] !== "#") return;
      while (this.i < this.src.length && this.src[this.i] !== "\n") this.i++;
    }
  }

  term(): Json {
    this.ws();
    const c = this.src[this.i];
    if (c === '"') return this.string();
    if (c === "`") {
      const end = this.src.indexOf("`", this.i + 1);
      const s = this.src.slice(this.i + 1, end);
      this.i = end + 1;
      return s;
    }
    if (c === "[") return this.list("]") as Json[];
    if (c === "{") return this.braces();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.i));
      if (!m) throw new Error("bad number");
      this.i += m[0].length;
      return Number(m[0]);
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.i));
    if (!m) throw new Error(`unexpected ${c}`);
    this.i += m[0].length;
    const word = m[0];
    if (word === "true") return true;
    if (word === "false") return false;
    if (word === "null") return null;
    if (word === "set" && this.src.startsWith("()", this.i)) {
      this.i += 2;
      return [];
    }
    let value: Json | undefined;
    if (word === "input") value = this.scope.input;
    else if (word === "data") value = this.scope.data;
    else if (word in this.scope.consts) value = this.scope.consts[word];
    else throw new Error(`unknown name ${word}`);
    // a reference: .key or ["key"] / [0]
    for (;;) {
      if (this.src[this.i] === "." && /[A-Za-z_]/.test(this.src[this.i + 1] ?? "")) {
        this.i++;
        const k = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.i))![0];
        this.i += k.length;
        value = value !== null && typeof value === "object" && !Array.isArray(value) ? value[k] : undefined;
      } else if (this.src[this.i] === "[") {
        this.i++;
        const k = this.term();
        this.ws();
        if (this.src[this.i] !== "]") throw new Error("bad ref");
        this.i++;
        if (Array.isArray(value) && typeof k === "number") value = value[k];
        else if (value !== null && typeof value === "object" && !Array.isArray(value) && typeof k === "string") value = value[k];
        else value = undefined;
      } else break;
    }
    if (value === undefined) throw new UndefinedRef();
    return value;
  }

  string(): string {
    let j = this.i + 1;
    while (this.src[j] !== '"') j += this.src[j] === "\\" ? 2 : 1;
    const s = JSON.parse(this.src.slice(this.i, j + 1)) as string;
    this.i = j + 1;
    return s;
  }

  list(close: string): Json[] {
    this.i++;
    const out: Json[] = [];
    this.ws();
    while (this.src[this.i] !== close) {
      out.push(this.term());
      this.ws();
      if (this.src[this.i] === ",") this.i++;
      this.ws();
    }
    this.i++;
    return out;
  }

  /** an object {k: v} or a set {a, b} (a set is read as a sorted array) */
  braces(): Json {
    this.i++;
    this.ws();
    if (this.src[this.i] === "}") {
      this.i++;
      return {};
    }
    const first = this.term();
    this.ws();
    if (this.src[this.i] === ":") {
      const obj: { [k: string]: Json } = {};
      this.i++;
      if (typeof first !== "string") throw new Error("non-string key");
      obj[first] = this.term();
      this.ws();
      while (this.src[this.i] === ",") {
        this.i++;
        this.ws();
        if (this.src[this.i] === "}") break;
        const k = this.term();
        this.ws();
        if (this.src[this.i] !== ":" || typeof k !== "string") throw new Error("bad object");
        this.i++;
        obj[k] = this.term();
        this.ws();
      }
      if (this.src[this.i] !== "}") throw new Error("bad object");
      this.i++;
      return obj;
    }
    const items: Json[] = [first];
    while (this.src[this.i] === ",") {
      this.i++;
      this.ws();
      if (this.src[this.i] === "}") break;
      items.push(this.term());
      this.ws();
    }
    if (this.src[this.i] !== "}") throw new Error("bad set");
    this.i++;
    return items;
  }
}

class UndefinedRef extends Error {}

/** Split call arguments at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (s.trim()) out.push(s.slice(start).trim());
  return out;
}

/** Split at the first top-level occurrence of one of the operators. */
function splitTop(s: string, ops: string[]): [string, string, string] | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0) {
      for (const op of ops) if (s.startsWith(op, i)) return [s.slice(0, i).trim(), op.trim(), s.slice(i + op.length).trim()];
    }
  }
  return undefined;
}

const CALL = /^([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\((.*)\)$/s;

interface Case {
  note: string;
  query: string;
  modules?: string[];
  data?: Json;
  input?: Json;
  input_term?: string;
  want_result?: { x?: Json }[];
  want_error?: string;
  want_error_code?: string;
  strict_error?: boolean;
}

function extract(folder: string, c: Case, known: (name: string) => boolean, arity: (name: string) => number): ExtractedCall | undefined {
  if (!c.modules || c.modules.length !== 1) return undefined;
  const q = /^data\.([a-z_.]+)\.p = x$/.exec(c.query);
  if (!q) return undefined;
  const text = c.modules[0]!;
  const consts: Record<string, Json> = {};
  let input: Json | undefined = c.input;
  const scope = { input, data: c.data, consts };
  try {
    if (c.input_term !== undefined) scope.input = input = new TermReader(c.input_term, scope).term();
  } catch {
    return undefined;
  }
  // top-level statements start at column 0; a constant's value may span lines
  let rule: { head: string; body: string[] } | undefined;
  let pos = 0;
  let sawPackage = false;
  while (pos < text.length) {
    const eol = text.indexOf("\n", pos);
    const lineEnd = eol < 0 ? text.length : eol;
    const line = text.slice(pos, lineEnd).trim();
    if (line === "" || line.startsWith("#")) {
      pos = lineEnd + 1;
      continue;
    }
    if (!sawPackage) {
      if (line !== `package ${q[1]}`) return undefined;
      sawPackage = true;
      pos = lineEnd + 1;
      continue;
    }
    if (/^p( |$)/.test(line)) {
      if (rule) return undefined;
      if (line.endsWith("{")) {
        const close = text.indexOf("\n}", lineEnd);
        if (close < 0) return undefined;
        const body = text
          .slice(lineEnd + 1, close)
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith("#"));
        rule = { head: line.slice(0, -1).trim(), body };
        pos = close + 2;
      } else {
        rule = { head: line, body: [] };
        pos = lineEnd + 1;
      }
      continue;
    }
    const k = /^([a-z_][a-z0-9_]*) :?= /.exec(line);
    if (!k) return undefined;
    try {
      const r = new TermReader(text, scope);
      r.i = text.indexOf(k[0], pos) + k[0].length;
      consts[k[1]!] = r.term();
      pos = r.i;
    } catch {
      return undefined;
    }
  }
  if (!rule) return undefined;
  let call: string | undefined;
  let outVar: string | undefined;
  let kind: ExtractedCall["kind"] = "value";
  let collect = false;
  let assigned = false;
  const head = rule.head;
  let m: RegExpExecArray | null;
  if ((m = /^p := ([^ ].*)$/.exec(head)) && rule.body.length === 0) call = m[1];
  else if ((m = /^p (?:contains|:=|=) ([a-z_0-9]+|\[[a-z_0-9, ]+\]) if$/.exec(head))) {
    outVar = m[1];
    collect = head.includes("contains");
  } else if (head === "p if") kind = "truthy";
  else return undefined;
  if (!call) {
    const body = [...rule.body];
    // "f(a, __local1__)" then "__local0__ = __local1__"
    if (body.length === 2) {
      const alias = /^([a-z_0-9]+) = ([a-z_0-9]+)$/.exec(body[1]!);
      if (!alias || alias[1] !== outVar) return undefined;
      outVar = alias[2];
      body.pop();
    }
    if (body.length !== 1) return undefined;
    const expr = body[0]!;
    if (kind === "truthy") call = expr;
    else if (/^[a-z_0-9]+$/.test(outVar!) && (m = new RegExp(`^${outVar} :?= (.*)$`).exec(expr))) {
      call = m[1];
      assigned = true;
    } else call = expr;
  }
  let compare: { op: string; rhs: string } | undefined;
  if (kind === "truthy") {
    const parts = splitTop(call!, [" == ", " != ", " <= ", " >= ", " < ", " > "]);
    if (parts) {
      call = parts[0];
      compare = { op: parts[1], rhs: parts[2] };
    }
  }
  const cm = CALL.exec(call!.trim());
  if (!cm) return undefined;
  const builtin = cm[1]!;
  if (!known(builtin)) return undefined;
  let argTexts = splitArgs(cm[2]!);
  if (kind === "value" && outVar && !assigned) {
    // output as the last argument
    if (argTexts[argTexts.length - 1] !== outVar) return undefined;
    argTexts = argTexts.slice(0, -1);
  }
  const args: Json[] = [];
  try {
    for (const t of argTexts) {
      const r = new TermReader(t, scope);
      args.push(r.term());
      r.ws();
      if (r.i !== t.length) return undefined;
    }
  } catch {
    return undefined;
  }
  if (args.length !== arity(builtin)) return undefined;
  const strict = c.strict_error === true;
  const out: ExtractedCall = { folder, note: c.note, builtin, args, kind, strict };
  if (compare) {
    const rm = CALL.exec(compare.rhs.trim());
    try {
      if (rm && known(rm[1]!)) {
        const rargs = splitArgs(rm[2]!).map((t) => new TermReader(t, scope).term());
        if (rargs.length !== arity(rm[1]!)) return undefined;
        out.compare = { op: compare.op, other: { builtin: rm[1]!, args: rargs } };
      } else {
        const r = new TermReader(compare.rhs, scope);
        const value = r.term();
        r.ws();
        if (r.i !== compare.rhs.length) return undefined;
        out.compare = { op: compare.op, other: { value } };
      }
    } catch {
      return undefined;
    }
  }
  if (c.want_error_code || c.want_error) {
    out.wantError = { code: c.want_error_code, message: c.want_error };
    return out;
  }
  const want = c.want_result ?? [];
  if (want.length === 0) return out;
  if (want.length !== 1 || !("x" in want[0]!)) return undefined;
  const x = want[0]!.x!;
  if (collect) {
    if (!Array.isArray(x) || x.length > 1) return undefined;
    if (x.length === 1) out.want = x[0];
  } else if (kind === "truthy") out.want = true;
  else out.want = x;
  return out;
}

/** All extractable calls to builtins for which `known` is true, folder by folder. */
export function extractCalls(dir: string, known: (name: string) => boolean, arity: (name: string) => number): ExtractedCall[] {
  const calls: ExtractedCall[] = [];
  for (const folder of readdirSync(dir).sort()) {
    const path = join(dir, folder);
    let files: string[];
    try {
      files = readdirSync(path).filter((f) => f.endsWith(".json")).sort();
    } catch {
      continue;
    }
    for (const f of files) {
      const { cases } = JSON.parse(readFileSync(join(path, f), "utf8")) as { cases: Case[] };
      for (const c of cases) {
        const call = extract(folder, c, known, arity);
        if (call) calls.push(call);
      }
    }
  }
  return calls;
}
