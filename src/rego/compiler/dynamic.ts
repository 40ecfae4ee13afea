// OPA's rewriteDynamicTerms: every ref passed to a call — directly, inside
// an array/object/set argument, or in the selectors of such a ref — becomes
// its own expression before the call: `foo == input.foos[foo]` turns into
// `$d0 = input.foos[foo]; foo == $d0`. Two things depend on it:
//  - evaluation order: safety can place the iteration that binds `foo`
//    before the call that reads it;
//  - meaning under `not`: `not f(params.ranges)` becomes
//    `$d0 = params.ranges; not f($d0)`, so an undefined argument makes the
//    body fail rather than the negation succeed, exactly as in OPA.
// The generated expressions carry the `with` modifiers of the original.
import type { Body, Expr, Term } from "../ast.js";

export function extractDynamicRefs(body: Body, scope: number, closureScope: WeakMap<object, number>): Body {
  let n = 0;
  const out: Body = [];
  for (const e of body) {
    const extracted: Expr[] = [];
    const fresh = (t: Term): Term => {
      const v: Term = { type: "var", name: `$d${n++}$${scope}`, loc: t.loc };
      extracted.push({ kind: { type: "unify", lhs: v, rhs: t }, negated: false, with: e.with, loc: t.loc });
      return v;
    };
    /** `hoist`: the term is a call argument (or inside one), so a ref there
     *  becomes its own expression. */
    const rewrite = (t: Term, hoist: boolean): Term => {
      switch (t.type) {
        case "ref": {
          let changed = false;
          const terms = t.terms.map((x, i) => {
            const y = i === 0 ? rewrite(x, false) : rewrite(x, hoist);
            if (y !== x) changed = true;
            return y;
          });
          const r: Term = changed ? { ...t, terms } : t;
          return hoist ? fresh(r) : r;
        }
        case "call":
          return { ...t, args: t.args.map((a) => rewrite(a, true)) };
        case "array":
          return { ...t, items: t.items.map((x) => rewrite(x, hoist)) };
        case "set":
          return { ...t, items: t.items.map((x) => rewrite(x, hoist)) };
        case "object":
          return { ...t, items: t.items.map(([k, v]) => [rewrite(k, hoist), rewrite(v, hoist)] as [Term, Term]) };
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
