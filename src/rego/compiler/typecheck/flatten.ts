// The expressions the checker sees, as OPA's checker sees them after its
// rewrites: a call nested in a term is its own expression before the one
// that uses it, its result in a fresh variable (RewriteExprTerms); `a == b`
// is the unification `a = b` (RewriteEquals); an `every` domain is unified
// with a fresh variable first; `print` is left alone (OPA erases it or moves
// its arguments into closures of their own).
import type { CallTerm, EveryExpr, Expr, Location, Term, VarTerm, With } from "../../ast.js";

export type Step =
  | { k: "call"; call: CallTerm; args: Term[]; loc: Location; with: With[] }
  | { k: "eq"; a: Term; b: Term; loc: Location; with: With[] }
  | { k: "term"; t: Term; loc: Location; with: With[] }
  | { k: "every"; every: EveryExpr; loc: Location; with: With[] };

const voidCalls = new Set(["print", "internal.print", "internal.test_case"]);

export function callName(call: CallTerm): string {
  return call.op.terms.map((t) => (t.type === "var" ? t.name : t.type === "string" ? t.value : "?")).join(".");
}

/** Splits one expression into the steps OPA checks, in order. `fresh`
 *  names a variable that holds the value of a term taken out (a call's
 *  result, an `every` domain); messages show the term instead. */
export function flattenExpr(e: Expr, fresh: (shownAs: Term) => VarTerm): Step[] {
  const steps: Step[] = [];
  const extract = (t: Term): Term => {
    switch (t.type) {
      case "call": {
        const args = t.args.map(extract);
        const out = fresh(t);
        steps.push({ k: "call", call: t, args: [...args, out], loc: t.loc, with: [] });
        return out;
      }
      case "ref": {
        const terms = t.terms.map(extract);
        return terms.every((x, i) => x === t.terms[i]) ? t : { ...t, terms };
      }
      case "array":
      case "set": {
        const items = t.items.map(extract);
        return items.every((x, i) => x === t.items[i]) ? t : { ...t, items };
      }
      case "object": {
        const items = t.items.map(([k, v]) => [extract(k), extract(v)] as [Term, Term]);
        return items.every(([k, v], i) => k === t.items[i]![0] && v === t.items[i]![1]) ? t : { ...t, items };
      }
      default:
        return t;
    }
  };
  const k = e.kind;
  const main = ((): Step | undefined => {
    switch (k.type) {
      case "term": {
        const t = k.term;
        if (t.type !== "call") return { k: "term", t: extract(t), loc: e.loc, with: e.with };
        if (voidCalls.has(callName(t))) return undefined;
        const args = t.args.map(extract);
        if (callName(t) === "equal" && args.length === 2) return { k: "eq", a: args[0]!, b: args[1]!, loc: e.loc, with: e.with };
        return { k: "call", call: t, args, loc: e.loc, with: e.with };
      }
      case "unify":
      case "assign": {
        const a = extract(k.lhs);
        const b = extract(k.rhs);
        return { k: "eq", a, b, loc: e.loc, with: e.with };
      }
      case "every": {
        const domain = extract(k.domain);
        const v = fresh(domain);
        steps.push({ k: "eq", a: v, b: domain, loc: k.domain.loc, with: [] });
        return { k: "every", every: k, loc: e.loc, with: e.with };
      }
      default:
        return undefined;
    }
  })();
  if (main) steps.push(main);
  return steps;
}
