// Safety: every variable must be bound before it is used, and expressions
// are reordered so that they are (OPA's reorderBodyForSafety). An expression
// can run once every variable it reads is bound; it then binds its outputs:
// the unbound variables of refs it iterates (`input.xs[i]`), of patterns it
// unifies with a known value (`[a, b] = input.pair`), and of a call's output
// argument (`count(xs, n)`). Expressions are taken in source order whenever
// possible. Variables that no order can bind are reported as
// rego_unsafe_var_error.
import type { Body, Expr, Location, Term } from "../ast.js";
import type { ProblemList } from "../errors.js";
import { builtinCatalog } from "../builtins/catalog.js";
import { ownerScope } from "./resolve.js";
import { functionRefName, termVars, walkTerm } from "./terms.js";

export interface SafetyContext {
  problems: ProblemList;
  /** arity of Rego functions by dotted data path (`data.a.f` → "a.f") */
  functionArity: Map<string, number>;
  /** from the resolver: closure → scope id, scope id → enclosing scope id */
  closureScope: WeakMap<object, number>;
  scopeParent: Map<number, number>;
}

const roots = new Set(["input", "data"]);

function callArity(t: Extract<Term, { type: "call" }>, ctx: SafetyContext): number | undefined {
  const head = t.op.terms[0];
  if (!head || head.type !== "var") return undefined;
  if (head.name === "data") {
    const path = t.op.terms.slice(1).map((s) => (s as { value: string }).value).join(".");
    return ctx.functionArity.get(path);
  }
  const b = builtinCatalog[head.name];
  if (!b) return undefined;
  return b.variadic ? Infinity : b.args.length;
}

/** Variables a term needs, including those captured by its closures. */
export function neededVars(t: Term, ctx: SafetyContext, out: Set<string> = new Set()): Set<string> {
  walkTerm(
    t,
    (x) => {
      if (x.type === "var") out.add(x.name);
      if (x.type === "call") {
        for (const a of x.args) neededVars(a, ctx, out);
        return false;
      }
      if (x.type === "arraycomp" || x.type === "setcomp" || x.type === "objectcomp") {
        for (const v of closureFreeVars(x, closureTerms(x), ctx)) out.add(v);
        return false;
      }
      return undefined;
    },
    false,
  );
  return out;
}

/** Variables a closure (comprehension, or an `every` expression's kind) uses
 *  that belong to a scope outside it: they must be bound before the closure
 *  runs. A resolved name ends in `$N`, N its scope (see resolve.ts). */
export function closureFreeVars(closure: object, terms: Term[], ctx: SafetyContext): Set<string> {
  const own = ctx.closureScope.get(closure);
  const free = new Set<string>();
  const visit = (y: Term): boolean | void => {
    if (y.type === "var" && !roots.has(y.name) && !isWithin(ownerScope(y.name), own, ctx)) free.add(y.name);
    if (y.type === "call") {
      // the operator names a function, not a variable
      for (const a of y.args) walkTerm(a, visit);
      return false;
    }
    return undefined;
  };
  for (const t of terms) walkTerm(t, visit);
  return free;
}

function isWithin(scope: number, ancestor: number | undefined, ctx: SafetyContext): boolean {
  if (ancestor === undefined) return false;
  for (let s: number | undefined = scope; s !== undefined; s = ctx.scopeParent.get(s)) if (s === ancestor) return true;
  return false;
}

function closureTerms(t: Term): Term[] {
  if (t.type === "arraycomp" || t.type === "setcomp") return [t.term, ...t.body.flatMap(exprTerms)];
  if (t.type === "objectcomp") return [t.key, t.value, ...t.body.flatMap(exprTerms)];
  return [];
}

export function exprTerms(e: Expr): Term[] {
  const k = e.kind;
  const out: Term[] = [];
  switch (k.type) {
    case "term":
      out.push(k.term);
      break;
    case "unify":
    case "assign":
      out.push(k.lhs, k.rhs);
      break;
    case "every":
      out.push(k.domain);
      if (k.key) out.push(k.key);
      out.push(k.value);
      for (const b of k.body) out.push(...exprTerms(b));
      break;
    case "somein":
      if (k.key) out.push(k.key);
      out.push(k.value, k.collection);
      break;
    case "some":
      out.push(...k.vars);
      break;
  }
  for (const w of e.with) out.push(w.value);
  return out;
}

/** Variables an expression reads or binds: its own, and the free variables
 *  of the closures in it (which must be bound before it runs). */
function exprVars(e: Expr, ctx: SafetyContext): Set<string> {
  const out = new Set<string>();
  const k = e.kind;
  const add = (t: Term) => neededVars(t, ctx, out);
  switch (k.type) {
    case "term":
      add(k.term);
      break;
    case "unify":
    case "assign":
      add(k.lhs);
      add(k.rhs);
      break;
    case "every": {
      add(k.domain);
      const inner = [...(k.key ? [k.key] : []), k.value, ...k.body.flatMap(exprTerms)];
      for (const v of closureFreeVars(k, inner, ctx)) out.add(v);
      break;
    }
    default:
      break;
  }
  for (const w of e.with) {
    // `with f as g` where g is a function names it; it reads no variable
    const targetHead = w.target.terms[0];
    const onInput = targetHead?.type === "var" && targetHead.name === "input";
    if (!onInput && functionRefName(w.value, (n) => !!builtinCatalog[n], ctx.functionArity)) continue;
    add(w.value);
  }
  for (const v of [...out]) if (roots.has(v)) out.delete(v);
  return out;
}

/** Unbound variables an expression binds when run with `safe` bound. */
function outputs(e: Expr, safe: Set<string>, ctx: SafetyContext): Set<string> {
  const out = new Set<string>();
  if (e.negated) return out;
  const k = e.kind;
  switch (k.type) {
    case "term":
      refOutputs(k.term, safe, out, ctx);
      break;
    case "unify":
    case "assign":
      unifyOutputs(k.lhs, k.rhs, safe, out, ctx);
      break;
    case "every":
      refOutputs(k.domain, safe, out, ctx);
      break;
    default:
      break;
  }
  return out;
}

function allBound(t: Term, s: Set<string>, ctx: SafetyContext): boolean {
  for (const v of neededVars(t, ctx)) if (!s.has(v) && !roots.has(v)) return false;
  return true;
}

function isSafeHead(t: Term, safe: Set<string>, ctx: SafetyContext): boolean {
  if (t.type === "var") return safe.has(t.name) || roots.has(t.name);
  return allBound(t, safe, ctx);
}

/** Outputs of refs (iterated selectors) and of call output arguments. */
function refOutputs(t: Term, safe: Set<string>, out: Set<string>, ctx: SafetyContext): void {
  // Iterate to a fixpoint: a selector can become safe only after another
  // one bound its variables (`input.a[i][input.b[i]]`).
  for (;;) {
    const before = out.size;
    const s = union(safe, out);
    walkTerm(
      t,
      (x) => {
        if (x.type === "ref") {
          if (isSafeHead(x.terms[0]!, s, ctx)) {
            for (const sel of x.terms.slice(1)) for (const v of termVars(sel)) if (!s.has(v)) out.add(v);
          }
        } else if (x.type === "call") {
          const arity = callArity(x, ctx);
          if (arity !== undefined && x.args.length === arity + 1) {
            if (x.args.slice(0, arity).every((a) => allBound(a, s, ctx))) {
              for (const v of termVars(x.args[arity]!)) if (!s.has(v)) out.add(v);
            }
          }
        } else if (x.type === "arraycomp" || x.type === "setcomp" || x.type === "objectcomp") {
          return false;
        }
        return undefined;
      },
      false,
    );
    if (out.size === before) return;
  }
}

/** Variables a term can be bound to as a pattern (vars, arrays, objects). */
function patternVars(t: Term, out: Set<string>): void {
  if (t.type === "var") out.add(t.name);
  else if (t.type === "array") t.items.forEach((x) => patternVars(x, out));
  else if (t.type === "object") t.items.forEach(([, v]) => patternVars(v, out));
}

function unifyOutputs(a: Term, b: Term, safe: Set<string>, out: Set<string>, ctx: SafetyContext): void {
  const found = new Set<string>();
  refOutputs(a, safe, found, ctx);
  refOutputs(b, safe, found, ctx);
  for (;;) {
    const before = found.size;
    const s = union(safe, found);
    if (a.type === "array" && b.type === "array" && a.items.length === b.items.length) {
      a.items.forEach((x, i) => unifyOutputs(x, b.items[i]!, s, found, ctx));
    } else if (a.type === "object" && b.type === "object") {
      for (const [ka, va] of a.items) {
        const match = b.items.find(([kb]) => sameScalar(ka, kb));
        if (match) unifyOutputs(va, match[1], s, found, ctx);
      }
    }
    const s2 = union(safe, found);
    if (allBound(b, s2, ctx)) patternVars(a, found);
    if (allBound(a, s2, ctx)) patternVars(b, found);
    if (found.size === before) break;
  }
  for (const v of found) if (!safe.has(v) && !roots.has(v)) out.add(v);
}

function sameScalar(a: Term, b: Term): boolean {
  if (a.type === "string" && b.type === "string") return a.value === b.value;
  if (a.type === "number" && b.type === "number") return Number(a.raw) === Number(b.raw);
  if (a.type === "boolean" && b.type === "boolean") return a.value === b.value;
  return a.type === "null" && b.type === "null";
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

/**
 * Reorders `body` so that each expression runs with its inputs bound, given
 * the variables `bound` before the body. Nested bodies (comprehensions,
 * `every`) are reordered recursively. Returns the new body and the variables
 * bound after it. Problems go to ctx.problems.
 */
export function reorderBody(body: Body, bound: Set<string>, ctx: SafetyContext): { body: Body; safe: Set<string> } {
  const safe = new Set(bound);
  const remaining = [...body];
  const out: Body = [];
  // A variable that occurs in only one expression, a negated one, is local
  // to that negation (`not input.xs[_] == 1`).
  const occurrences = new Map<string, number>();
  const varsOf = new Map<Expr, Set<string>>();
  for (const e of body) {
    const vs = exprVars(e, ctx);
    varsOf.set(e, vs);
    for (const v of vs) occurrences.set(v, (occurrences.get(v) ?? 0) + 1);
  }

  while (remaining.length > 0) {
    let picked = -1;
    for (let i = 0; i < remaining.length; i++) {
      const e = remaining[i]!;
      const outs = outputs(e, safe, ctx);
      const ok = [...varsOf.get(e)!].every(
        (v) => safe.has(v) || outs.has(v) || (e.negated && occurrences.get(v) === 1 && !withValueVar(e, v, ctx)),
      );
      if (ok) {
        picked = i;
        for (const v of outs) safe.add(v);
        break;
      }
    }
    if (picked < 0) {
      reportUnsafe(remaining, safe, varsOf, ctx);
      return { body: [...out, ...remaining], safe };
    }
    const e = remaining.splice(picked, 1)[0]!;
    out.push(reorderNested(e, safe, ctx));
  }
  return { body: out, safe };
}

function withValueVar(e: Expr, v: string, ctx: SafetyContext): boolean {
  return e.with.some((w) => neededVars(w.value, ctx).has(v));
}

function reorderNested(e: Expr, safe: Set<string>, ctx: SafetyContext): Expr {
  const fix = (t: Term): Term => reorderClosures(t, safe, ctx);
  const k = e.kind;
  const withs = e.with.map((w) => ({ ...w, value: fix(w.value) }));
  switch (k.type) {
    case "term":
      return { ...e, with: withs, kind: { type: "term", term: fix(k.term) } };
    case "unify":
    case "assign":
      return { ...e, with: withs, kind: { ...k, lhs: fix(k.lhs), rhs: fix(k.rhs) } };
    case "every": {
      // A negated expression's own variables are not bound after it, but the
      // every body sees the bindings made so far plus its key and value.
      const inner = new Set(safe);
      if (k.key) for (const v of termVars(k.key)) inner.add(v);
      for (const v of termVars(k.value)) inner.add(v);
      const r = reorderBody(k.body, inner, ctx);
      const kind = { ...k, domain: fix(k.domain), body: r.body };
      const scope = ctx.closureScope.get(k);
      if (scope !== undefined) ctx.closureScope.set(kind, scope);
      return { ...e, with: withs, kind };
    }
    default:
      return e;
  }
}

/** Reorders the bodies of comprehensions inside `t`, whose enclosing
 *  variables `safe` are bound by the time they run. */
function reorderClosures(t: Term, safe: Set<string>, ctx: SafetyContext): Term {
  const keep = <T extends object>(from: object, to: T): T => {
    const scope = ctx.closureScope.get(from);
    if (scope !== undefined) ctx.closureScope.set(to, scope);
    return to;
  };
  switch (t.type) {
    case "arraycomp":
    case "setcomp": {
      const r = reorderBody(t.body, safe, ctx);
      checkHead([t.term], r.safe, t.loc, ctx);
      return keep(t, { ...t, term: reorderClosures(t.term, r.safe, ctx), body: r.body });
    }
    case "objectcomp": {
      const r = reorderBody(t.body, safe, ctx);
      checkHead([t.key, t.value], r.safe, t.loc, ctx);
      return keep(t, { ...t, key: reorderClosures(t.key, r.safe, ctx), value: reorderClosures(t.value, r.safe, ctx), body: r.body });
    }
    case "ref":
      return { ...t, terms: t.terms.map((x) => reorderClosures(x, safe, ctx)) };
    case "call":
      return { ...t, args: t.args.map((x) => reorderClosures(x, safe, ctx)) };
    case "array":
      return { ...t, items: t.items.map((x) => reorderClosures(x, safe, ctx)) };
    case "set":
      return { ...t, items: t.items.map((x) => reorderClosures(x, safe, ctx)) };
    case "object":
      return { ...t, items: t.items.map(([k, v]) => [reorderClosures(k, safe, ctx), reorderClosures(v, safe, ctx)] as [Term, Term]) };
    case "template":
      return { ...t, parts: t.parts.map((p) => (typeof p === "string" ? p : reorderClosures(p, safe, ctx))) };
    default:
      return t;
  }
}

/** Head terms (rule key/value, comprehension terms) must use bound vars. */
export function checkHead(terms: Term[], safe: Set<string>, loc: Location, ctx: SafetyContext): void {
  const unsafe = new Set<string>();
  for (const t of terms) for (const v of neededVars(t, ctx)) if (!safe.has(v) && !roots.has(v)) unsafe.add(v);
  for (const v of userVisible(unsafe)) ctx.problems.add("rego_unsafe_var_error", `var ${displayName(v)} is unsafe`, loc);
}

function reportUnsafe(exprs: Body, safe: Set<string>, varsOf: Map<Expr, Set<string>>, ctx: SafetyContext): void {
  const found: { v: string; loc: Location }[] = [];
  const seen = new Set<string>();
  for (const e of exprs) {
    for (const v of varsOf.get(e)!) {
      if (safe.has(v) || seen.has(v)) continue;
      seen.add(v);
      found.push({ v, loc: e.loc });
    }
  }
  const shown = userVisible(found.map((f) => f.v));
  for (const f of found) if (shown.has(f.v)) ctx.problems.add("rego_unsafe_var_error", `var ${displayName(f.v)} is unsafe`, f.loc);
}

/** Variables the compiler made (`$d0$0` for an extracted call) are unsafe
 *  only because a user's variable is, and that one is reported: as OPA does
 *  with its generated vars, they are left out — unless nothing else is left. */
function userVisible(vars: Iterable<string>): Set<string> {
  const all = new Set(vars);
  const user = new Set([...all].filter((v) => !v.startsWith("$") || v.startsWith("$_")));
  return user.size > 0 ? user : all;
}

/** The user's spelling of a (possibly renamed) variable. */
export function displayName(v: string): string {
  if (v.startsWith("$_")) return "_";
  const i = v.indexOf("$");
  return i > 0 ? v.slice(0, i) : v;
}

