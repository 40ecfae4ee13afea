// OPA's rewriteDynamicTerms, in the part that matters for evaluation order:
// a ref with variable selectors passed to a call (`foo == input.foos[foo]`,
// `count(x[i]) > 1`) becomes its own expression before the call
// (`$d0 = input.foos[foo]; foo == $d0`), so that safety can order the
// iteration that binds its variables before the call reads them.
import type { Body, Expr, Term } from "../ast.js";
import { termVars } from "./terms.js";

export function extractDynamicRefs(body: Body, scope: number, closureScope: WeakMap<object, number>): Body {
  let n = 0;
  const out: Body = [];
  for (const e of body) {
    const extracted: Expr[] = [];
    const fresh = (t: Term): Term => {
      const v: Term = { type: "var", name: `$d${n++}$${scope}`, loc: t.loc };
      extracted.push({ kind: { type: "unify", lhs: v, rhs: t }, negated: false, with: [], loc: t.loc });
      return v;
    };
    // Inside `not` or under `with`, moving a term out would change its
    // meaning; leave those expressions alone.
    const canExtract = !e.negated && e.with.length === 0;
    const rewrite = (t: Term, inCall: boolean): Term => {
      switch (t.type) {
        case "ref": {
          const terms = t.terms.map((x, i) => (i === 0 ? rewrite(x, false) : rewrite(x, false)));
          const r: Term = { ...t, terms };
          if (inCall && canExtract && t.terms.slice(1).some((s) => termVars(s).size > 0)) return fresh(r);
          return r;
        }
        case "call":
          return { ...t, args: t.args.map((a) => rewrite(a, true)) };
        case "array":
          return { ...t, items: t.items.map((x) => rewrite(x, false)) };
        case "set":
          return { ...t, items: t.items.map((x) => rewrite(x, false)) };
        case "object":
          return { ...t, items: t.items.map(([k, v]) => [rewrite(k, false), rewrite(v, false)] as [Term, Term]) };
        case "arraycomp":
        case "setcomp":
        case "objectcomp": {
          const inner = closureScope.get(t);
          if (inner === undefined) return t;
          const r = { ...t, body: extractDynamicRefs(t.body, inner, closureScope) };
          closureScope.set(r, inner);
          return r;
        }
        default:
          return t;
      }
    };
    const k = e.kind;
    let kind = k;
    switch (k.type) {
      case "term":
        kind = { type: "term", term: rewrite(k.term, false) };
        break;
      case "unify":
      case "assign":
        kind = { type: k.type, lhs: rewrite(k.lhs, false), rhs: rewrite(k.rhs, false) };
        break;
      case "every": {
        const inner = closureScope.get(k);
        if (inner !== undefined) {
          const r = { ...k, domain: rewrite(k.domain, false), body: extractDynamicRefs(k.body, inner, closureScope) };
          closureScope.set(r, inner);
          kind = r;
        }
        break;
      }
      default:
        break;
    }
    out.push(...extracted, { ...e, kind });
  }
  return out;
}
