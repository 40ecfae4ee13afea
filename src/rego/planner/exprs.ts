// Planning bodies and expressions: terms as conditions, unification, `not`,
// `every`, and `with`.
import type { Body, Expr, Term, With } from "../ast.js";
import type { Local, Operand } from "../ir.js";
import { builtinCatalog } from "../builtins/catalog.js";
import { lookupNode } from "../compiler/types.js";
import { staticPath } from "../compiler/terms.js";
import { DATA, INPUT, MOCK_ROOT, PlannerError, type FunctionMock, type Iter, type PlannerState } from "./state.js";
import { planTerm } from "./terms.js";
import { planUnify, planUnifyLocal } from "./unify.js";
import { planCallExpr } from "./calls.js";
import { isFunctionNode } from "./rules.js";

export function planQuery(p: PlannerState, body: Body, iter: Iter, index = 0): void {
  if (index >= body.length) return iter();
  const prevLoc = p.loc;
  const e = body[index]!;
  p.setLocation(e.loc);
  planExpr(p, e, () => {
    const here = p.loc;
    planQuery(p, body, iter, index + 1);
    p.loc = here;
  });
  p.loc = prevLoc;
}

export function planExpr(p: PlannerState, e: Expr, iter: Iter): void {
  if (e.negated) return planNot(p, e, iter);
  if (e.with.length > 0) return planWith(p, e, iter);
  const k = e.kind;
  switch (k.type) {
    case "term":
      if (k.term.type === "call") return planCallExpr(p, k.term, iter);
      return planTerm(p, k.term, () => {
        p.emit({ type: "notequal", a: p.ltarget, b: { kind: "bool", value: false } });
        iter();
      });
    case "unify":
    case "assign":
      return planUnify(p, k.lhs, k.rhs, iter);
    case "every":
      return planEvery(p, k, iter);
    case "some":
    case "somein":
      // resolved away by the compiler
      return iter();
  }
}

/** Plans a query-like piece so that its first solution sets a flag and
 *  leaves at once; returns the flag, defined exactly when a solution exists.
 *  (A Scan runs to its end whatever its body does, so "some iteration
 *  succeeded" has to be recorded, not inferred from reaching the end.) */
export function planFound(p: PlannerState, plan: (done: Iter) => void): Local {
  const found = p.newLocal();
  p.emit({ type: "resetlocal", target: found });
  let wrapperDepth = 0;
  const wrapper = p.inBlock(() => {
    wrapperDepth = p.depth;
    plan(() => {
      p.emit({ type: "assignvar", source: { kind: "bool", value: true }, target: found });
      p.emit({ type: "break", index: p.depth - wrapperDepth });
    });
  });
  p.emit({ type: "block", blocks: [wrapper] });
  return found;
}

/** not expr: defined when expr has no solution. */
function planNot(p: PlannerState, e: Expr, iter: Iter): void {
  const found = p.scoped(() => planFound(p, (done) => planExpr(p, { ...e, negated: false }, done)));
  p.emit({ type: "isundefined", source: found });
  iter();
}

/** every k, v in domain { body }: defined when the domain is a collection
 *  and no element leaves the body without a solution. A failing element
 *  sets a flag and leaves the scan early. */
function planEvery(p: PlannerState, k: Extract<Expr["kind"], { type: "every" }>, iter: Iter): void {
  planTerm(p, k.domain, () => {
    const domain = p.targetLocal();
    // only collections can be iterated: anything else is undefined
    const iterable = p.newLocal();
    p.emit({ type: "resetlocal", target: iterable });
    p.emit({
      type: "block",
      blocks: (["isarray", "isobject", "isset"] as const).map((type) =>
        p.inBlock(() => {
          p.emit({ type, source: { kind: "local", local: domain } });
          p.emit({ type: "assignvar", source: { kind: "bool", value: true }, target: iterable });
        }),
      ),
    });
    p.emit({ type: "isdefined", source: iterable });
    const failed = p.newLocal();
    p.emit({ type: "resetlocal", target: failed });
    const lkey = p.newLocal();
    const lvalue = p.newLocal();
    const wrapper = p.inBlock(() => {
      const scanBody = p.inBlock(() =>
        p.scoped(() => {
          const afterKey = () =>
            planUnifyLocal(p, { kind: "local", local: lvalue }, k.value, () => {
              const ok = p.scoped(() => planFound(p, (done) => planQuery(p, k.body, done)));
              p.emit({ type: "isundefined", source: ok });
              p.emit({ type: "assignvar", source: { kind: "bool", value: true }, target: failed });
              p.emit({ type: "break", index: 1 });
            });
          if (k.key) planUnifyLocal(p, { kind: "local", local: lkey }, k.key, afterKey);
          else afterKey();
        }),
      );
      p.emit({ type: "scan", source: domain, key: lkey, value: lvalue, block: scanBody });
    });
    p.emit({ type: "block", blocks: [wrapper] });
    p.emit({ type: "isundefined", source: failed });
    iter();
  });
}

interface PreparedWith {
  /** input or data target: local to replace and path below it */
  local?: Local;
  path?: number[];
  /** data path (for shadowing rules) */
  dataPath?: string[];
  mock?: FunctionMock;
  value: Operand;
}

/** `expr with target as value …`: values are computed first; input/data
 *  targets replace part of the local for the expression (rules below a
 *  replaced data path are not evaluated, and functions planned inside are
 *  planned again for this context); function and builtin targets are
 *  replaced at compile time. The rest of the body runs after the original
 *  input and data are put back. */
function planWith(p: PlannerState, e: Expr, iter: Iter): void {
  const values: Operand[] = [];
  const rec = (i: number): void => {
    if (i < e.with.length) {
      const w = e.with[i]!;
      if (isFunctionTarget(p, w) && mockFor(p, w).func) {
        values.push({ kind: "bool", value: true }); // unused: function mocks are static
        return rec(i + 1);
      }
      return planTerm(p, w.value, () => {
        values.push(p.ltarget);
        rec(i + 1);
      });
    }
    planWithTargets(p, e, values, iter);
  };
  rec(0);
}

function isFunctionTarget(p: PlannerState, w: With): boolean {
  const head = w.target.terms[0]!;
  if (head.type !== "var") return false;
  if (head.name === "input") return false;
  if (head.name === "data") {
    const path = staticPath(w.target.terms.slice(1));
    if (!path) return false;
    const node = lookupNode(p.policy.root, path);
    return !!node && isFunctionNode(node);
  }
  return true; // a builtin name
}

function mockFor(p: PlannerState, w: With): FunctionMock {
  const head = w.target.terms[0] as { name: string };
  const target = head.name === "data" ? "data." + staticPath(w.target.terms.slice(1))!.join(".") : head.name;
  const v = w.value;
  // A function or builtin reference replaces the function…
  if (v.type === "ref" || v.type === "var") {
    const terms: Term[] = v.type === "ref" ? v.terms : [v];
    const vh = terms[0]!;
    if (vh.type === "var") {
      const rest = staticPath(terms.slice(1));
      if (rest && vh.name === "data") {
        const node = lookupNode(p.policy.root, rest);
        if (node && isFunctionNode(node)) return { target, func: { kind: "rule", path: rest } };
      } else if (rest) {
        const name = [vh.name, ...rest].join(".");
        if (builtinCatalog[name] && p.lookupVar(vh.name) === undefined) return { target, func: { kind: "builtin", name } };
      }
    }
  }
  // …anything else is the value every call returns.
  return { target };
}

function planWithTargets(p: PlannerState, e: Expr, values: Operand[], iter: Iter): void {
  const prepared: PreparedWith[] = [];
  for (let i = 0; i < e.with.length; i++) {
    const w = e.with[i]!;
    if (isFunctionTarget(p, w)) {
      const mock = mockFor(p, w);
      if (mock.func) {
        prepared.push({ mock, value: values[i]! });
        continue;
      }
      // A value replacing a function travels in the data document, so that
      // functions planned for this context can read it wherever they are.
      const key = String(p.mockCounter++);
      const dataLocal = p.lookupVar("data") ?? DATA;
      prepared.push({
        local: dataLocal,
        path: [p.string(MOCK_ROOT), p.string(key)],
        mock: { target: mock.target, valuePath: [MOCK_ROOT, key] },
        value: values[i]!,
      });
      continue;
    }
    const head = w.target.terms[0] as { name: string };
    const path = staticPath(w.target.terms.slice(1));
    if (!path) throw new PlannerError("with target must be a static path", w.loc);
    const local = head.name === "input" ? (p.lookupVar("input") ?? INPUT) : (p.lookupVar("data") ?? DATA);
    prepared.push({
      local,
      path: path.map((s) => p.string(s)),
      dataPath: head.name === "data" ? path : undefined,
      value: values[i]!,
    });
  }

  // Save the original input/data so the rest of the body sees them again.
  const saved = new Map<Local, Local>();
  for (const w of prepared) {
    if (w.local === undefined || saved.has(w.local)) continue;
    const l = p.newLocal();
    p.emit({ type: "assignvar", source: { kind: "local", local: w.local }, target: l });
    saved.set(w.local, l);
  }

  const shadows = prepared.flatMap((w) => (w.dataPath ? [w.dataPath] : []));
  const mocks = prepared.flatMap((w) => (w.mock ? [w.mock] : []));
  const enter = () => {
    p.shadows = [...p.shadows, ...shadows];
    p.mocks = [...p.mocks, ...mocks];
  };
  const prevShadows = p.shadows;
  const prevMocks = p.mocks;
  const leave = () => {
    p.shadows = prevShadows;
    p.mocks = prevMocks;
  };

  const targets = prepared.filter((w) => w.local !== undefined);
  const nest = (i: number): void => {
    if (i < targets.length) {
      const w = targets[i]!;
      const block = p.inBlock(() => nest(i + 1));
      p.emit({ type: "with", local: w.local!, path: w.path!, value: w.value, block });
      return;
    }
    enter();
    planExpr(p, { ...e, with: [] }, () => {
      leave();
      restore([...saved.entries()], 0);
      enter();
    });
    leave();
  };
  const restore = (entries: [Local, Local][], j: number): void => {
    if (j === entries.length) return iter();
    const [orig, copy] = entries[j]!;
    const block = p.inBlock(() => restore(entries, j + 1));
    p.emit({ type: "with", local: orig, path: [], value: { kind: "local", local: copy }, block });
  };
  nest(0);
}
