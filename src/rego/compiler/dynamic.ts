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
// `==` is the exception under `not`: OPA has made it `=` by then
// (RewriteEquals), and refs of a unification stay where they are, so
// `not x.missing == 2` succeeds. A ref's selectors are extracted wherever the
// ref is: `not allowed[input.name]` becomes `$d0 = input.name; not
// allowed[$d0]`, which fails when input.name is undefined. So is a call
// inside a call (OPA's RewriteExprTerms): `not "k" in object.keys(f(x))`
// evaluates f(x) and object.keys before the negation.
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
          // a selector that is a ref is its own expression wherever the
          // ref is (OPA's rewriteDynamicsOne on every operand after the head)
          const terms = t.terms.map((x, i) => {
            const y = i === 0 ? rewrite(x, false) : rewrite(x, true);
            if (y !== x) changed = true;
            return y;
          });
          const r: Term = changed ? { ...t, terms } : t;
          return hoist ? fresh(r) : r;
        }
        case "call": {
          // a call inside another call's arguments (or a selector) is its
          // own expression before it, as OPA's RewriteExprTerms makes it
          const call: Term = { ...t, args: t.args.map((a) => rewrite(a, true)) };
          return hoist ? fresh(call) : call;
        }
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
    /** OPA's rewriteDynamicsInTerm, for the operands of a unification and
     *  a term standing alone: a ref and a comprehension stay in place (their
     *  insides are rewritten), refs inside anything else are extracted. */
    const rewriteInPlace = (t: Term): Term => (t.type === "ref" || t.type === "arraycomp" || t.type === "setcomp" || t.type === "objectcomp" ? rewrite(t, false) : rewrite(t, true));
    const k = e.kind;
    let kind = k;
    switch (k.type) {
      case "term":
        if (e.negated && isDoubleEquals(k.term) && k.term.type === "call") kind = { type: "term", term: { ...k.term, args: k.term.args.map(rewriteInPlace) } };
        else kind = { type: "term", term: k.term.type === "call" ? rewrite(k.term, false) : rewriteInPlace(k.term) };
        break;
      case "unify":
      case "assign":
        kind = { type: k.type, lhs: rewriteInPlace(k.lhs), rhs: rewriteInPlace(k.rhs) };
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

/** `a == b` written as such (not `equal(a, b, out)`). */
function isDoubleEquals(t: Term): boolean {
  if (t.type !== "call" || t.args.length !== 2) return false;
  const op = t.op.terms;
  return op.length === 1 && op[0]!.type === "var" && op[0]!.name === "equal";
}
