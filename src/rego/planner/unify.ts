// Planning unification (`=`, `:=`, function parameters, scan keys): binds
// unbound variables, compares bound values, and destructures arrays and
// objects. A unification that can never succeed plans nothing after it, so
// the rest of the body is never reached.
import type { Term } from "../ast.js";
import type { Local, Operand } from "../ir.js";
import { DATA, INPUT, type Iter, type PlannerState } from "./state.js";
import { planTerm } from "./terms.js";

/** Terms whose value is computed, never destructured. */
function isValueTerm(t: Term): boolean {
  switch (t.type) {
    case "var":
    case "array":
    case "object":
      return false;
    default:
      return true;
  }
}

export function planUnify(p: PlannerState, a: Term, b: Term, iter: Iter): void {
  if (isValueTerm(a)) return planTerm(p, a, () => planUnifyLocal(p, p.ltarget, b, iter));
  if (a.type === "var") return planUnifyVar(p, a.name, b, iter);
  if (b.type === "var") return planUnifyVar(p, b.name, a, iter);
  if (a.type === "array") {
    if (b.type === "array") {
      if (a.items.length !== b.items.length) return;
      const rec = (i: number): void => (i === a.items.length ? iter() : planUnify(p, a.items[i]!, b.items[i]!, () => rec(i + 1)));
      return rec(0);
    }
    if (isValueTerm(b) && b.type !== "set" && !isScalarTerm(b)) return planTerm(p, b, () => planUnifyLocal(p, p.ltarget, a, iter));
    return; // array = object / scalar / set: never
  }
  // a is an object
  if (b.type === "object") return planUnifyObjects(p, a as Term & { type: "object" }, b, iter);
  if (isValueTerm(b) && b.type !== "set" && !isScalarTerm(b)) return planTerm(p, b, () => planUnifyLocal(p, p.ltarget, a, iter));
}

function isScalarTerm(t: Term): boolean {
  return t.type === "null" || t.type === "boolean" || t.type === "number" || t.type === "string";
}

function planUnifyVar(p: PlannerState, name: string, b: Term, iter: Iter): void {
  const bound = p.lookupVar(name);
  if (bound !== undefined) return planUnifyLocal(p, { kind: "local", local: bound }, b, iter);
  planTerm(p, b, () => {
    bindTo(p, name, p.ltarget);
    iter();
  });
}

/** Binds a variable to the value in `source`. A local holding a computed
 *  value is shared rather than copied; input and data are copied, because
 *  `with` replaces them in place. */
function bindTo(p: PlannerState, name: string, source: Operand): void {
  if (source.kind === "local" && source.local !== INPUT && source.local !== DATA) {
    p.bindVar(name, source.local);
    return;
  }
  const target = p.newLocal();
  p.emit({ type: "assignvar", source, target });
  p.bindVar(name, target);
}

/** Unifies the value in operand `a` with term `b`. */
export function planUnifyLocal(p: PlannerState, a: Operand, b: Term, iter: Iter): void {
  if (b.type === "var") {
    const bound = p.lookupVar(b.name);
    if (bound !== undefined) {
      p.emit({ type: "equal", a, b: { kind: "local", local: bound } });
      return iter();
    }
    bindTo(p, b.name, a);
    return iter();
  }
  if (b.type === "array") return planUnifyLocalArray(p, a, b.items, iter);
  if (b.type === "object") return planUnifyLocalObject(p, a, b.items, iter);
  planTerm(p, b, () => {
    p.emit({ type: "equal", a, b: p.ltarget });
    iter();
  });
}

function planUnifyLocalArray(p: PlannerState, a: Operand, items: Term[], iter: Iter): void {
  if (a.kind !== "local") return; // a string or boolean is never an array
  p.emit({ type: "isarray", source: a });
  const alen = p.newLocal();
  const blen = p.newLocal();
  p.emit({ type: "len", source: a, target: alen });
  p.emit({ type: "makenumberint", value: items.length, target: blen });
  p.emit({ type: "equal", a: { kind: "local", local: alen }, b: { kind: "local", local: blen } });
  const rec = (i: number): void => {
    if (i === items.length) return iter();
    const key = p.newLocal();
    const val = p.newLocal();
    p.emit({ type: "makenumberint", value: i, target: key });
    p.emit({ type: "dot", source: a, key: { kind: "local", local: key }, target: val });
    planUnifyLocal(p, { kind: "local", local: val }, items[i]!, () => rec(i + 1));
  };
  rec(0);
}

function planUnifyLocalObject(p: PlannerState, a: Operand, items: [Term, Term][], iter: Iter): void {
  if (a.kind !== "local") return;
  p.emit({ type: "isobject", source: a });
  const alen = p.newLocal();
  const blen = p.newLocal();
  p.emit({ type: "len", source: a, target: alen });
  p.emit({ type: "makenumberint", value: items.length, target: blen });
  p.emit({ type: "equal", a: { kind: "local", local: alen }, b: { kind: "local", local: blen } });
  const rec = (i: number): void => {
    if (i === items.length) return iter();
    const [k, v] = items[i]!;
    planTerm(p, k, () => {
      const val = p.newLocal();
      p.emit({ type: "dot", source: a, key: p.ltarget, target: val });
      planUnifyLocal(p, { kind: "local", local: val }, v, () => rec(i + 1));
    });
  };
  rec(0);
}

function planUnifyObjects(p: PlannerState, a: Term & { type: "object" }, b: Term & { type: "object" }, iter: Iter): void {
  if (a.items.length !== b.items.length) return;
  // Pair values by literal keys; any key without a literal twin makes the
  // whole comparison a runtime one.
  const pairs: [Term, Term][] = [];
  for (const [ka, va] of a.items) {
    const match = b.items.find(([kb]) => sameLiteral(ka, kb));
    if (!match) {
      return planTerm(p, a, () => {
        const la = p.ltarget;
        planTerm(p, b, () => {
          p.emit({ type: "equal", a: la, b: p.ltarget });
          iter();
        });
      });
    }
    pairs.push([va, match[1]]);
  }
  const rec = (i: number): void => (i === pairs.length ? iter() : planUnify(p, pairs[i]![0], pairs[i]![1], () => rec(i + 1)));
  rec(0);
}

/** Keys that are the same term (OPA pairs object keys by term equality). */
function sameLiteral(a: Term, b: Term): boolean {
  if (a.type === "var" && b.type === "var") return a.name === b.name;
  if (a.type === "string" && b.type === "string") return a.value === b.value;
  if (a.type === "number" && b.type === "number") return Number(a.raw) === Number(b.raw);
  if (a.type === "boolean" && b.type === "boolean") return a.value === b.value;
  return a.type === "null" && b.type === "null";
}

/** Unifies function parameters (locals) with the rule's argument terms. */
export function planParams(p: PlannerState, params: Local[], args: Term[], iter: Iter): void {
  const rec = (i: number): void => (i === args.length ? iter() : planUnifyLocal(p, { kind: "local", local: params[i]! }, args[i]!, () => rec(i + 1)));
  rec(0);
}
