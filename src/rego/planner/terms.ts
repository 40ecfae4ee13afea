// Planning terms: scalars, composites, comprehensions, template strings.
// Each sets `p.ltarget` to the operand holding the term's value and calls
// `iter` (possibly inside loops opened by refs within the term).
import type { Body, Term, TemplateTerm } from "../ast.js";
import type { Local, Operand } from "../ir.js";
import type { Iter, PlannerState } from "./state.js";
import { planRef } from "./refs.js";
import { planCallValue } from "./calls.js";
import { planExpr, planQuery } from "./exprs.js";

export function planTerm(p: PlannerState, t: Term, iter: Iter): void {
  switch (t.type) {
    case "null": {
      const l = p.newLocal();
      p.emit({ type: "makenull", target: l });
      p.ltarget = { kind: "local", local: l };
      return iter();
    }
    case "boolean":
      p.ltarget = { kind: "bool", value: t.value };
      return iter();
    case "number":
      p.ltarget = { kind: "local", local: planNumber(p, t.raw) };
      return iter();
    case "string":
      p.ltarget = p.stringOperand(t.value);
      return iter();
    case "var": {
      if (t.name === "data") return planRef(p, { type: "ref", terms: [t], loc: t.loc }, iter);
      const l = p.lookupVar(t.name);
      // input may be absent: using it as a value is then undefined
      if (t.name === "input" && l !== undefined) p.emit({ type: "isdefined", source: l });
      p.ltarget = { kind: "local", local: l ?? p.newLocal() };
      return iter();
    }
    case "ref":
      return planRef(p, t, iter);
    case "call":
      return planCallValue(p, t, iter);
    case "array":
    case "object":
    case "set":
      return planComposite(p, t, iter);
    case "arraycomp": {
      const target = p.newLocal();
      p.emit({ type: "makearray", capacity: 0, target });
      return planComprehension(p, t.body, () => planTerm(p, t.term, () => p.emit({ type: "arrayappend", value: p.ltarget, array: target })), target, iter);
    }
    case "setcomp": {
      const target = p.newLocal();
      p.emit({ type: "makeset", target });
      return planComprehension(p, t.body, () => planTerm(p, t.term, () => p.emit({ type: "setadd", value: p.ltarget, set: target })), target, iter);
    }
    case "objectcomp": {
      const target = p.newLocal();
      p.emit({ type: "makeobject", target });
      return planComprehension(
        p,
        t.body,
        () =>
          planTerm(p, t.key, () => {
            const key = p.ltarget;
            planTerm(p, t.value, () => p.emit({ type: "objectinsertonce", key, value: p.ltarget, object: target }));
          }),
        target,
        iter,
      );
    }
    case "template":
      return planTemplate(p, t, iter);
  }
}

/** A number local: small integers directly, anything else from its literal
 *  text (so that big and precise literals survive). */
export function planNumber(p: PlannerState, raw: string): Local {
  const l = p.newLocal();
  if (/^-?\d{1,9}$/.test(raw)) p.emit({ type: "makenumberint", value: Number(raw), target: l });
  else p.emit({ type: "makenumberref", index: p.string(raw), target: l });
  return l;
}

/** JSON text of a ground term without sets (and with string keys only), or
 *  undefined when the term cannot be a JSON constant. */
export function groundJSON(t: Term): string | undefined {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(t.raw) ? t.raw : undefined;
    case "string":
      return JSON.stringify(t.value);
    case "array": {
      const parts: string[] = [];
      for (const x of t.items) {
        const j = groundJSON(x);
        if (j === undefined) return undefined;
        parts.push(j);
      }
      return `[${parts.join(",")}]`;
    }
    case "object": {
      const parts: string[] = [];
      const seen = new Set<string>();
      for (const [k, v] of t.items) {
        if (k.type !== "string" || seen.has(k.value)) return undefined;
        seen.add(k.value);
        const j = groundJSON(v);
        if (j === undefined) return undefined;
        parts.push(`${JSON.stringify(k.value)}:${j}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      return undefined;
  }
}

function planComposite(p: PlannerState, t: Term & { type: "array" | "object" | "set" }, iter: Iter): void {
  if (t.type !== "set" && t.items.length > 0) {
    const json = groundJSON(t);
    if (json !== undefined) {
      const l = p.newLocal();
      p.emit({ type: "makeconst", index: p.constant(json), target: l });
      p.ltarget = { kind: "local", local: l };
      return iter();
    }
  }
  const target = p.newLocal();
  if (t.type === "array") {
    p.emit({ type: "makearray", capacity: t.items.length, target });
    const rec = (i: number): void => {
      if (i === t.items.length) {
        p.ltarget = { kind: "local", local: target };
        return iter();
      }
      planTerm(p, t.items[i]!, () => {
        p.emit({ type: "arrayappend", value: p.ltarget, array: target });
        rec(i + 1);
      });
    };
    return rec(0);
  }
  if (t.type === "set") {
    p.emit({ type: "makeset", target });
    const rec = (i: number): void => {
      if (i === t.items.length) {
        p.ltarget = { kind: "local", local: target };
        return iter();
      }
      planTerm(p, t.items[i]!, () => {
        p.emit({ type: "setadd", value: p.ltarget, set: target });
        rec(i + 1);
      });
    };
    return rec(0);
  }
  p.emit({ type: "makeobject", target });
  const rec = (i: number): void => {
    if (i === t.items.length) {
      p.ltarget = { kind: "local", local: target };
      return iter();
    }
    const [k, v] = t.items[i]!;
    planTerm(p, k, () => {
      const key = p.ltarget;
      planTerm(p, v, () => {
        p.emit({ type: "objectinsert", key, value: p.ltarget, object: target });
        rec(i + 1);
      });
    });
  };
  return rec(0);
}

/** The body runs in its own block and variable frame; the collection local
 *  is the comprehension's value whatever the body does. */
export function planComprehension(p: PlannerState, body: Body, closureIter: Iter, target: Local, iter: Iter): void {
  const block = p.inBlock(() => p.scoped(() => planQuery(p, body, closureIter)));
  p.emit({ type: "block", blocks: [block] });
  p.ltarget = { kind: "local", local: target };
  iter();
}

/** `$"a {x} b"`: each embedded term is collected as the set of its values
 *  (empty when undefined), and `internal.template_string` renders the parts
 *  as OPA does (`<undefined>` for an empty set). */
function planTemplate(p: PlannerState, t: TemplateTerm, iter: Iter): void {
  const parts = p.newLocal();
  p.emit({ type: "makearray", capacity: t.parts.length, target: parts });
  const rec = (i: number): void => {
    if (i === t.parts.length) {
      const decl = p.builtin("internal.template_string", 1);
      const result = p.newLocal();
      p.emit({ type: "call", func: decl.name, args: [{ kind: "local", local: parts }], result });
      p.ltarget = { kind: "local", local: result };
      return iter();
    }
    const part = t.parts[i]!;
    if (typeof part === "string") {
      p.emit({ type: "arrayappend", value: p.stringOperand(part), array: parts });
      return rec(i + 1);
    }
    const set = p.newLocal();
    p.emit({ type: "makeset", target: set });
    const withs = t.withs?.[i];
    const block = p.inBlock(() =>
      p.scoped(() => {
        if (!withs) return planTerm(p, part, () => p.emit({ type: "setadd", value: p.ltarget, set }));
        // `{a with input as x}`: the embedded expression with its modifiers
        const v: Term = { type: "var", name: `$tpl${set}`, loc: part.loc };
        planExpr(p, { kind: { type: "unify", lhs: v, rhs: part }, negated: false, with: withs, loc: part.loc }, () =>
          p.emit({ type: "setadd", value: { kind: "local", local: p.lookupVar(v.name)! }, set }),
        );
      }),
    );
    p.emit({ type: "block", blocks: [block] });
    p.emit({ type: "arrayappend", value: { kind: "local", local: set }, array: parts });
    rec(i + 1);
  };
  rec(0);
}

export function operandIsLocal(o: Operand): o is { kind: "local"; local: Local } {
  return o.kind === "local";
}
