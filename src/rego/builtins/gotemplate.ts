// A subset of Go's text/template, for strings.render_template: actions
// {{.a.b}}, {{$v}}, pipelines with functions (and or not len index print
// printf println eq ne lt le gt ge), {{if}}/{{else if}}/{{else}},
// {{range}} (with $i, $e :=), {{with}}, variables, comments and {{- -}}
// trimming. Values print as Go's fmt %v prints them; a missing map key
// prints "<undefined>", as in OPA.
import { goSprintf } from "./sprintf.js";
import { compareStrings, isObject, numberText, type Value } from "./values.js";

export class TemplateError extends Error {}

type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pipe: Pipe }
  | { kind: "if" | "with"; pipe: Pipe; then: Node[]; else: Node[] }
  | { kind: "range"; pipe: Pipe; vars: string[]; body: Node[]; else: Node[] };

interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Arg[][];
}

type Arg =
  | { kind: "field"; base: "dot" | string; path: string[] }
  | { kind: "lit"; value: unknown }
  | { kind: "ident"; name: string }
  | { kind: "pipe"; pipe: Pipe };

const MISSING = Symbol("missing");

// ---- lexing ----

function splitActions(src: string): ({ text: string } | { action: string })[] {
  const out: ({ text: string } | { action: string })[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    if (open < 0) {
      out.push({ text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith("- ", start) || src.startsWith("-\t", start) || src.startsWith("-\n", start)) {
      text = text.replace(/\s+$/, "");
      start += 1;
    }
    out.push({ text });
    const close = src.indexOf("}}", start);
    if (close < 0) throw new TemplateError("template: template:1: unclosed action");
    let action = src.slice(start, close);
    i = close + 2;
    if (/\s-$/.test(action)) {
      action = action.slice(0, -1);
      const m = /^\s*/.exec(src.slice(i))!;
      i += m[0].length;
    }
    out.push({ action: action.trim() });
  }
  return out;
}

function tokenize(s: string): string[] {
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|:=|=|\||\(|\)|,|[^\s|(),=:]+(?::(?!=))?[^\s|(),=]*)/gy;
  const out: string[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1]!);
  return out;
}

// ---- parsing ----

function parsePipe(tokens: string[]): Pipe {
  let decl: string[] = [];
  let assign = false;
  const eq = tokens.findIndex((t) => t === ":=" || t === "=");
  if (eq > 0 && tokens.slice(0, eq).every((t) => t.startsWith("$") || t === ",")) {
    decl = tokens.slice(0, eq).filter((t) => t !== ",");
    assign = tokens[eq] === "=";
    tokens = tokens.slice(eq + 1);
  }
  const cmds: Arg[][] = [];
  let cur: Arg[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === "|") {
      cmds.push(cur);
      cur = [];
    } else if (t === "(") {
      let depth = 1;
      let j = i + 1;
      for (; j < tokens.length && depth > 0; j++) {
        if (tokens[j] === "(") depth++;
        else if (tokens[j] === ")") depth--;
      }
      const inner = parsePipe(tokens.slice(i + 1, j - 1));
      const after = tokens[j];
      // (pipe).Field
      if (after && after.startsWith(".")) {
        cur.push({ kind: "field", base: "", path: after.slice(1).split("."), ...{ pipe: inner } } as unknown as Arg);
        j++;
      } else cur.push({ kind: "pipe", pipe: inner });
      i = j - 1;
    } else cur.push(parseArg(t));
  }
  cmds.push(cur);
  return { decl, assign, cmds };
}

function parseArg(t: string): Arg {
  if (t === ".") return { kind: "field", base: "dot", path: [] };
  if (t.startsWith(".")) return { kind: "field", base: "dot", path: t.slice(1).split(".") };
  if (t.startsWith("$")) {
    const [name, ...path] = t.split(".");
    return { kind: "field", base: name!, path };
  }
  if (t.startsWith('"')) return { kind: "lit", value: JSON.parse(t) };
  if (t.startsWith("`")) return { kind: "lit", value: t.slice(1, -1) };
  if (t.startsWith("'")) return { kind: "lit", value: JSON.parse(`"${t.slice(1, -1)}"`).codePointAt(0) };
  if (t === "true" || t === "false") return { kind: "lit", value: t === "true" };
  if (t === "nil") return { kind: "lit", value: null };
  if (/^[-+]?(\d|\.\d)/.test(t)) return { kind: "lit", value: Number(t) };
  return { kind: "ident", name: t };
}

function parse(src: string): Node[] {
  const parts = splitActions(src);
  let pos = 0;
  const block = (stops: string[]): { nodes: Node[]; stop: string } => {
    const nodes: Node[] = [];
    while (pos < parts.length) {
      const p = parts[pos++]!;
      if ("text" in p) {
        if (p.text) nodes.push({ kind: "text", text: p.text });
        continue;
      }
      const a = p.action;
      if (a.startsWith("/*")) continue;
      const tokens = tokenize(a);
      const word = tokens[0] ?? "";
      if (stops.includes(word)) return { nodes, stop: a };
      if (word === "if" || word === "with") {
        nodes.push(conditional(word, tokens.slice(1)));
      } else if (word === "range") {
        const pipe = parsePipe(tokens.slice(1));
        const vars = pipe.decl;
        pipe.decl = [];
        const body = block(["else", "end"]);
        const elseNodes = body.stop.startsWith("else") ? block(["end"]).nodes : [];
        nodes.push({ kind: "range", pipe, vars, body: body.nodes, else: elseNodes });
      } else nodes.push({ kind: "action", pipe: parsePipe(tokens) });
    }
    if (stops.length) throw new TemplateError(`template: template:1: unexpected EOF`);
    return { nodes, stop: "" };
  };
  const conditional = (kind: "if" | "with", tokens: string[]): Node => {
    const pipe = parsePipe(tokens);
    const body = block(["else", "end"]);
    let elseNodes: Node[] = [];
    if (body.stop.startsWith("else")) {
      const rest = tokenize(body.stop).slice(1);
      if (rest[0] === "if" || rest[0] === "with") elseNodes = [conditional(rest[0] as "if" | "with", rest.slice(1))];
      else elseNodes = block(["end"]).nodes;
    }
    return { kind, pipe, then: body.nodes, else: elseNodes };
  };
  return block([]).nodes;
}

// ---- evaluation ----

function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === MISSING || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Go's fmt %v of a template value. */
export function printValue(v: unknown): string {
  if (v === MISSING) return "<undefined>";
  if (v === null || v === undefined) return "<no value>";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return numberText(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "[" + v.map((x) => printInner(x)).join(" ") + "]";
  if (isObject(v)) return "map[" + Object.keys(v).sort(compareStrings).map((k) => `${k}:${printInner(v[k])}`).join(" ") + "]";
  return String(v);
}

const printInner = (v: unknown) => (v === null ? "<nil>" : printValue(v));

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (typeof a === "boolean" && typeof b === "boolean" && a === b) return 0;
  throw new TemplateError("incompatible types for comparison");
}

const functions: Record<string, (...args: unknown[]) => unknown> = {
  not: (x) => !truthy(x),
  len: (x) => (Array.isArray(x) ? x.length : isObject(x) ? Object.keys(x).length : typeof x === "string" ? Buffer.byteLength(x) : 0),
  index(x, ...keys) {
    let cur = x;
    for (const k of keys) cur = Array.isArray(cur) ? cur[Number(k)] : isObject(cur) ? cur[String(k)] : undefined;
    return cur ?? null;
  },
  print: (...xs) => xs.map(printValue).join(""),
  println: (...xs) => xs.map(printValue).join(" ") + "\n",
  printf: (f, ...xs) => goSprintf(String(f), xs.map((x) => (typeof x === "number" && Number.isInteger(x) ? { kind: "int" as const, v: BigInt(x), big: false } : typeof x === "number" ? { kind: "float" as const, v: x } : { kind: "string" as const, v: printValue(x) }))),
  eq: (a, ...bs) => bs.some((b) => compare(a, b) === 0),
  ne: (a, b) => compare(a, b) !== 0,
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  urlquery: (...xs) => encodeURIComponent(xs.map(printValue).join("")),
  html: (...xs) => xs.map(printValue).join("").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c]!),
  js: (...xs) => JSON.stringify(xs.map(printValue).join("")).slice(1, -1),
};

type Scope = { dot: unknown; vars: Map<string, unknown>[] };

function lookupVar(scope: Scope, name: string): unknown {
  for (let i = scope.vars.length - 1; i >= 0; i--) if (scope.vars[i]!.has(name)) return scope.vars[i]!.get(name);
  throw new TemplateError(`template: template:1: undefined variable "${name}"`);
}

function field(base: unknown, path: string[]): unknown {
  let cur = base;
  for (const k of path) {
    if (cur === MISSING) return MISSING;
    if (isObject(cur)) cur = k in cur ? cur[k] : MISSING;
    else throw new TemplateError(`template: template:1: can't evaluate field ${k} in type ${Array.isArray(cur) ? "[]interface {}" : typeof cur}`);
  }
  return cur;
}

function evalArg(a: Arg, scope: Scope, final?: unknown): unknown {
  switch (a.kind) {
    case "lit":
      return a.value;
    case "pipe":
      return evalPipe(a.pipe, scope);
    case "ident":
      throw new TemplateError(`template: template:1: function "${a.name}" not defined`);
    default: {
      const p = (a as unknown as { pipe?: Pipe }).pipe;
      const base = p ? evalPipe(p, scope) : a.base === "dot" ? scope.dot : lookupVar(scope, a.base);
      void final;
      return field(base, a.path);
    }
  }
}

function evalCmd(cmd: Arg[], scope: Scope, prev: unknown, hasPrev: boolean): unknown {
  const head = cmd[0];
  if (!head) throw new TemplateError("template: template:1: missing value for command");
  if (head.kind === "ident") {
    const fn = functions[head.name];
    if (head.name === "and" || head.name === "or") {
      const args = cmd.slice(1).map((x) => evalArg(x, scope));
      if (hasPrev) args.push(prev);
      let last: unknown = true;
      for (const x of args) {
        last = x;
        if (head.name === "and" ? !truthy(x) : truthy(x)) return x;
      }
      return last;
    }
    if (!fn) throw new TemplateError(`template: template:1: function "${head.name}" not defined`);
    const args = cmd.slice(1).map((x) => evalArg(x, scope));
    if (hasPrev) args.push(prev);
    return fn(...args);
  }
  if (cmd.length > 1) throw new TemplateError("template: template:1: can't give argument to non-function");
  return evalArg(head, scope);
}

function evalPipe(p: Pipe, scope: Scope): unknown {
  let v: unknown;
  p.cmds.forEach((cmd, i) => {
    v = evalCmd(cmd, scope, v, i > 0);
  });
  if (p.decl.length) {
    const name = p.decl[0]!;
    if (p.assign) {
      for (let i = scope.vars.length - 1; i >= 0; i--) {
        if (scope.vars[i]!.has(name)) {
          scope.vars[i]!.set(name, v);
          return v;
        }
      }
    }
    scope.vars[scope.vars.length - 1]!.set(name, v);
  }
  return v;
}

function run(nodes: Node[], scope: Scope): string {
  let out = "";
  for (const n of nodes) {
    switch (n.kind) {
      case "text":
        out += n.text;
        break;
      case "action": {
        const v = evalPipe(n.pipe, scope);
        if (n.pipe.decl.length === 0) out += printValue(v);
        break;
      }
      case "if":
      case "with": {
        const v = evalPipe(n.pipe, scope);
        if (truthy(v)) out += run(n.then, { dot: n.kind === "with" ? v : scope.dot, vars: [...scope.vars, new Map()] });
        else out += run(n.else, { dot: scope.dot, vars: [...scope.vars, new Map()] });
        break;
      }
      case "range": {
        const v = evalPipe(n.pipe, scope);
        const entries: [unknown, unknown][] = Array.isArray(v)
          ? v.map((x, i) => [i, x])
          : isObject(v)
            ? Object.keys(v).sort(compareStrings).map((k) => [k, v[k]])
            : typeof v === "number"
              ? Array.from({ length: v }, (_, i) => [i, i])
              : [];
        if (entries.length === 0) {
          out += run(n.else, { dot: scope.dot, vars: [...scope.vars, new Map()] });
          break;
        }
        for (const [k, x] of entries) {
          const vars = new Map<string, unknown>();
          if (n.vars.length === 1) vars.set(n.vars[0]!, x);
          else if (n.vars.length === 2) {
            vars.set(n.vars[0]!, k);
            vars.set(n.vars[1]!, x);
          }
          out += run(n.body, { dot: x, vars: [...scope.vars, vars] });
        }
        break;
      }
    }
  }
  return out;
}

export function renderTemplate(src: string, data: Value): string {
  const nodes = parse(src);
  return run(nodes, { dot: data, vars: [new Map([["$", data]])] });
}
