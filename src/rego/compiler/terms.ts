// Small, pure helpers over AST terms used by every compiler stage.
import type { Body, Expr, Location, RefTerm, StringTerm, Term, VarTerm } from "../ast.js";

export function varTerm(name: string, loc: Location): VarTerm {
  return { type: "var", name, loc };
}
export function stringTerm(value: string, loc: Location): StringTerm {
  return { type: "string", value, loc };
}
export function refTerm(terms: Term[], loc: Location): RefTerm {
  return { type: "ref", terms, loc };
}

/** True for terms with no variables anywhere (refs and calls are never ground:
 *  they need evaluation). */
export function isGround(t: Term): boolean {
  switch (t.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return true;
    case "array":
    case "set":
      return t.items.every(isGround);
    case "object":
      return t.items.every(([k, v]) => isGround(k) && isGround(v));
    default:
      return false;
  }
}

export function isScalar(t: Term): boolean {
  return t.type === "null" || t.type === "boolean" || t.type === "number" || t.type === "string";
}

/** Visits every term below `t` (t included). `enterClosures` controls whether
 *  comprehension bodies are entered. The visitor returns false to skip a
 *  term's children. */
export function walkTerm(t: Term, visit: (t: Term) => boolean | void, enterClosures = true): void {
  if (visit(t) === false) return;
  switch (t.type) {
    case "ref":
      for (const x of t.terms) walkTerm(x, visit, enterClosures);
      break;
    case "call":
      walkTerm(t.op, visit, enterClosures);
      for (const x of t.args) walkTerm(x, visit, enterClosures);
      break;
    case "array":
    case "set":
      for (const x of t.items) walkTerm(x, visit, enterClosures);
      break;
    case "object":
      for (const [k, v] of t.items) {
        walkTerm(k, visit, enterClosures);
        walkTerm(v, visit, enterClosures);
      }
      break;
    case "template":
      for (const p of t.parts) if (typeof p !== "string") walkTerm(p, visit, enterClosures);
      for (const ws of Object.values(t.withs ?? {})) for (const w of ws) walkTerm(w.value, visit, enterClosures);
      break;
    case "arraycomp":
    case "setcomp":
      if (enterClosures) {
        walkTerm(t.term, visit, enterClosures);
        walkBody(t.body, visit, enterClosures);
      }
      break;
    case "objectcomp":
      if (enterClosures) {
        walkTerm(t.key, visit, enterClosures);
        walkTerm(t.value, visit, enterClosures);
        walkBody(t.body, visit, enterClosures);
      }
      break;
    default:
      break;
  }
}

export function walkExpr(e: Expr, visit: (t: Term) => boolean | void, enterClosures = true): void {
  const k = e.kind;
  switch (k.type) {
    case "term":
      walkTerm(k.term, visit, enterClosures);
      break;
    case "unify":
    case "assign":
      walkTerm(k.lhs, visit, enterClosures);
      walkTerm(k.rhs, visit, enterClosures);
      break;
    case "some":
      for (const v of k.vars) walkTerm(v, visit, enterClosures);
      break;
    case "somein":
      if (k.key) walkTerm(k.key, visit, enterClosures);
      walkTerm(k.value, visit, enterClosures);
      walkTerm(k.collection, visit, enterClosures);
      break;
    case "every":
      if (k.key) walkTerm(k.key, visit, enterClosures);
      walkTerm(k.value, visit, enterClosures);
      walkTerm(k.domain, visit, enterClosures);
      if (enterClosures) walkBody(k.body, visit, enterClosures);
      break;
  }
  for (const w of e.with) {
    walkTerm(w.target, visit, enterClosures);
    walkTerm(w.value, visit, enterClosures);
  }
}

export function walkBody(b: Body, visit: (t: Term) => boolean | void, enterClosures = true): void {
  for (const e of b) walkExpr(e, visit, enterClosures);
}

/** Names of the variables in a term, not entering closures, and not counting
 *  the heads of call operators (`f` in `f(x)`). */
export function termVars(t: Term, out: Set<string> = new Set()): Set<string> {
  walkTerm(
    t,
    (x) => {
      if (x.type === "var") out.add(x.name);
      if (x.type === "call") {
        for (const a of x.args) termVars(a, out);
        return false;
      }
      return undefined;
    },
    false,
  );
  return out;
}

/** A ref's selectors as a static string path, or undefined when some
 *  selector is not a string literal. */
export function staticPath(terms: Term[]): string[] | undefined {
  const out: string[] = [];
  for (const t of terms) {
    if (t.type !== "string") return undefined;
    out.push(t.value);
  }
  return out;
}

/** The dotted name of a call operator (`count`, `array.concat`,
 *  `data.lib.f`), or undefined when it is not a static name. */
export function operatorName(op: RefTerm): string | undefined {
  const head = op.terms[0];
  if (!head || head.type !== "var") return undefined;
  const rest = staticPath(op.terms.slice(1));
  if (!rest) return undefined;
  return [head.name, ...rest].join(".");
}

/** When `t` names a function — a builtin (`count`, `object.union_n`) or a
 *  Rego function (`data.lib.f`) — its dotted name; otherwise undefined. Used
 *  for `with f as g`, where g may be a function rather than a value. */
export function functionRefName(
  t: Term,
  isBuiltin: (name: string) => boolean,
  functionArity: Map<string, number>,
): string | undefined {
  const terms = t.type === "ref" ? t.terms : t.type === "var" ? [t] : undefined;
  if (!terms) return undefined;
  const head = terms[0]!;
  if (head.type !== "var") return undefined;
  const rest = staticPath(terms.slice(1));
  if (!rest) return undefined;
  if (head.name === "data") return functionArity.has(rest.join(".")) ? ["data", ...rest].join(".") : undefined;
  const name = [head.name, ...rest].join(".");
  return isBuiltin(name) ? name : undefined;
}
