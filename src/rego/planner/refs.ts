// Planning references. Refs into `input` and local values become chains of
// Dot (bound selector) and Scan (unbound selector: iterate). Refs into `data`
// walk the rule tree at compile time: a node with rules is a function call,
// a node with only nodes below (a package) is built as an object of its
// children merged with the base document at the same path, and a selector
// that is not a literal enumerates both the rule tree's children and the
// base document's keys — OPA's virtual-document model.
import type { RefTerm, Term } from "../ast.js";
import type { Local } from "../ir.js";
import type { RuleNode } from "../compiler/types.js";
import { DATA, INPUT, type Iter, type PlannerState } from "./state.js";
import { planTerm } from "./terms.js";
import { planUnifyLocal } from "./unify.js";
import { planRulesFunc, isFunctionNode } from "./rules.js";
import { termVars } from "../compiler/terms.js";

export function planRef(p: PlannerState, ref: RefTerm, iter: Iter): void {
  const head = ref.terms[0]!;
  const selectors = ref.terms.slice(1);
  if (head.type === "var") {
    if (head.name === "data") {
      const dataLocal = p.lookupVar("data") ?? DATA;
      return planRefData(p, p.policy.root, { local: dataLocal, path: [] }, selectors, 0, iter);
    }
    if (head.name === "input") {
      const inputLocal = p.lookupVar("input") ?? INPUT;
      p.ltarget = { kind: "local", local: inputLocal };
      if (selectors.length === 0) p.emit({ type: "isdefined", source: inputLocal });
      return planRefRec(p, selectors, 0, iter);
    }
    const l = p.lookupVar(head.name);
    p.ltarget = { kind: "local", local: l ?? p.newLocal() };
    return planRefRec(p, selectors, 0, iter);
  }
  planTerm(p, head, () => planRefRec(p, selectors, 0, iter));
}

/** True when planning `t` as a selector needs iteration: it contains
 *  variables that are not bound yet, outside of nested refs and calls
 *  (those bind their own variables when planned as values). */
function needsScan(p: PlannerState, t: Term): boolean {
  if (t.type === "var") return p.lookupVar(t.name) === undefined;
  if (t.type === "array" || t.type === "object") {
    for (const v of termVars(t)) if (p.lookupVar(v) === undefined && !v.startsWith("data") && v !== "input") return true;
  }
  return false;
}

/** Applies selectors[index…] to the value in p.ltarget. */
export function planRefRec(p: PlannerState, selectors: Term[], index: number, iter: Iter): void {
  if (index === selectors.length) return iter();
  const sel = selectors[index]!;
  if (needsScan(p, sel)) return planScan(p, sel, () => planRefRec(p, selectors, index + 1, iter));
  planDot(p, sel, () => planRefRec(p, selectors, index + 1, iter));
}

/** planRefRec for the base document. OPA reads base data through storage
 *  paths of strings, so a number selector finds an array element or an
 *  object key spelled as that number (`data.nested[2]` → key "2"). */
function planBaseRefRec(p: PlannerState, selectors: Term[], index: number, iter: Iter): void {
  if (index === selectors.length) return iter();
  const sel = selectors[index]!;
  if (sel.type !== "number") {
    if (needsScan(p, sel)) return planScan(p, sel, () => planBaseRefRec(p, selectors, index + 1, iter));
    return planDot(p, sel, () => planBaseRefRec(p, selectors, index + 1, iter));
  }
  const source = p.ltarget;
  const target = p.newLocal();
  p.emit({ type: "resetlocal", target });
  const asNumber = p.inBlock(() => {
    planTerm(p, sel, () => p.emit({ type: "dot", source, key: p.ltarget, target }));
    p.emit({ type: "break", index: 1 });
  });
  const either = p.inBlock(() => {
    p.emit({ type: "block", blocks: [asNumber] });
    p.emit({ type: "dot", source, key: p.stringOperand(sel.raw), target });
  });
  p.emit({ type: "block", blocks: [either] });
  p.emit({ type: "isdefined", source: target });
  p.ltarget = { kind: "local", local: target };
  planBaseRefRec(p, selectors, index + 1, iter);
}

function planDot(p: PlannerState, key: Term, iter: Iter): void {
  const source = p.ltarget;
  planTerm(p, key, () => {
    const target = p.newLocal();
    p.emit({ type: "dot", source, key: p.ltarget, target });
    p.ltarget = { kind: "local", local: target };
    iter();
  });
}

/** Iterates the collection in p.ltarget, unifying each key with `key`; the
 *  element is the target inside. */
export function planScan(p: PlannerState, key: Term, iter: (lkey: Local) => void): void {
  const source = p.targetLocal();
  const lkey = p.newLocal();
  const lvalue = p.newLocal();
  const block = p.inBlock(() =>
    planUnifyLocal(p, { kind: "local", local: lkey }, key, () => {
      p.ltarget = { kind: "local", local: lvalue };
      iter(lkey);
    }),
  );
  p.emit({ type: "scan", source, key: lkey, value: lvalue, block });
}

/** Where the base document for the current rule-tree node lives: `local`
 *  (usually the data local) followed by `path`. */
interface BasePointer {
  local: Local;
  path: Term[];
}

function childNode(p: PlannerState, node: RuleNode | undefined, key: string): RuleNode | undefined {
  const child = node?.children.get(key);
  if (!child || p.isShadowed(child.path)) return undefined;
  return child;
}

/** The children of a node that contribute values (not functions, not
 *  replaced by `with`). */
function valueChildren(p: PlannerState, node: RuleNode): [string, RuleNode][] {
  return [...node.children.entries()].filter(([, c]) => !isFunctionNode(c) && !p.isShadowed(c.path));
}

function callNode(p: PlannerState, node: RuleNode): Local {
  const name = planRulesFunc(p, node);
  const target = p.newLocal();
  p.emit({
    type: "call",
    func: name,
    args: [
      { kind: "local", local: p.lookupVar("input") ?? INPUT },
      { kind: "local", local: p.lookupVar("data") ?? DATA },
    ],
    result: target,
  });
  return target;
}

export function planRefData(
  p: PlannerState,
  node: RuleNode | undefined,
  base: BasePointer,
  selectors: Term[],
  index: number,
  iter: Iter,
): void {
  if (index >= selectors.length) return planExtent(p, node, base, iter);
  const sel = selectors[index]!;

  if (node === undefined) {
    p.ltarget = { kind: "local", local: base.local };
    return planBaseRefRec(p, [...base.path, ...selectors.slice(index)], 0, iter);
  }

  if (sel.type === "string" || sel.type === "number" || sel.type === "boolean" || sel.type === "null") {
    const child = sel.type === "string" ? childNode(p, node, sel.value) : undefined;
    if (child && child.rules.length > 0 && !isFunctionNode(child)) {
      p.ltarget = { kind: "local", local: callNode(p, child) };
      return planRefRec(p, selectors, index + 1, iter);
    }
    // The base document's keys are strings: OPA's storage reads `data[2]`
    // as the path segment "2".
    const key: Term = sel.type === "number" ? { type: "string", value: sel.raw, loc: sel.loc } : sel;
    return planRefData(p, child, { local: base.local, path: [...base.path, key] }, selectors, index + 1, iter);
  }

  // A selector that is not a literal: enumerate the rule tree's children,
  // then the base document's keys that no child covers.
  const children = valueChildren(p, node);
  if (children.length > 0) {
    const blocks = children.map(([key]) =>
      p.inBlock(() =>
        p.scoped(() =>
          planUnifyLocal(p, p.stringOperand(key), sel, () => {
            const plugged = [...selectors];
            plugged[index] = { type: "string", value: key, loc: sel.loc };
            planRefData(p, node, base, plugged, index, iter);
          }),
        ),
      ),
    );
    p.emit({ type: "block", blocks });
  }
  let exclude: Local | undefined;
  if (children.length > 0) {
    exclude = p.newLocal();
    p.emit({ type: "makeset", target: exclude });
    for (const [key] of children) p.emit({ type: "setadd", value: p.stringOperand(key), set: exclude });
  }
  p.ltarget = { kind: "local", local: base.local };
  planRefRec(p, base.path, 0, () =>
    planScan(p, sel, (lkey) => {
      if (exclude !== undefined) {
        const ignored = p.newLocal();
        const probe = p.inBlock(() => p.emit({ type: "dot", source: { kind: "local", local: exclude! }, key: { kind: "local", local: lkey }, target: ignored }));
        p.emit({ type: "not", block: probe });
      }
      const value = p.targetLocal();
      planRefData(p, undefined, { local: value, path: [] }, selectors, index + 1, iter);
    }),
  );
}

/** The whole document at a node: rule values and nested packages, merged
 *  with the base document at the same path. */
function planExtent(p: PlannerState, node: RuleNode | undefined, base: BasePointer | undefined, iter: Iter): void {
  if (node === undefined) {
    if (!base) return;
    p.ltarget = { kind: "local", local: base.local };
    return planBaseRefRec(p, base.path, 0, iter);
  }
  if (node.rules.length > 0 && !isFunctionNode(node) && !p.isShadowed(node.path)) {
    p.ltarget = { kind: "local", local: callNode(p, node) };
    return iter();
  }
  const vtarget = p.newLocal();
  p.emit({ type: "makeobject", target: vtarget });
  for (const [key, child] of valueChildren(p, node)) {
    if (child.rules.length > 0) {
      const block = p.inBlock(() => {
        const value = callNode(p, child);
        p.emit({ type: "objectinsert", key: p.stringOperand(key), value: { kind: "local", local: value }, object: vtarget });
      });
      p.emit({ type: "block", blocks: [block] });
    } else {
      planExtent(p, child, undefined, () =>
        p.emit({ type: "objectinsert", key: p.stringOperand(key), value: p.ltarget, object: vtarget }),
      );
    }
  }
  if (!base) {
    p.ltarget = { kind: "local", local: vtarget };
    return iter();
  }
  // Merge with the base document when it exists; otherwise the virtual
  // document alone.
  const target = p.newLocal();
  const inner = p.inBlock(() => {
    p.ltarget = { kind: "local", local: base.local };
    planRefRec(p, base.path, 0, () => {
      const b = p.targetLocal();
      p.emit({ type: "objectmerge", a: b, b: vtarget, target });
      p.emit({ type: "break", index: 1 });
    });
  });
  const outer = p.inBlock(() => {
    p.emit({ type: "block", blocks: [inner] });
    p.emit({ type: "assignvar", source: { kind: "local", local: vtarget }, target });
  });
  p.emit({ type: "block", blocks: [outer] });
  p.ltarget = { kind: "local", local: target };
  iter();
}
