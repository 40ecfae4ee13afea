// Planning calls of builtins and Rego functions, including `with`
// replacements of either, output arguments (`count(xs, n)`), and relation
// builtins that yield several results (`walk`).
import type { CallTerm, Term } from "../ast.js";
import type { Local, Operand } from "../ir.js";
import { builtinCatalog } from "../builtins/catalog.js";
import { lookupNode } from "../compiler/types.js";
import { DATA, INPUT, PlannerError, type FunctionMock, type Iter, type PlannerState } from "./state.js";
import { planTerm } from "./terms.js";
import { planUnifyLocal } from "./unify.js";
import { planRulesFunc } from "./rules.js";
import { planScan } from "./refs.js";
import { metadataChain, metadataRule } from "./metadata.js";

type Callee =
  | { kind: "rule"; name: string; arity: number }
  | { kind: "builtin"; name: string; arity: number; relation: boolean }
  | { kind: "value"; path: string[]; arity: number };

/** The dotted name of a resolved call operator: `count`, `data.a.f`. */
const calleeNames = new WeakMap<CallTerm["op"], string>();

export function calleeName(op: CallTerm["op"]): string {
  let name = calleeNames.get(op);
  if (name === undefined) {
    const head = op.terms[0]!;
    name = head.type === "var" ? head.name : "?";
    for (let i = 1; i < op.terms.length; i++) {
      const t = op.terms[i]!;
      name += "." + (t.type === "string" ? t.value : "?");
    }
    calleeNames.set(op, name);
  }
  return name;
}

function findMock(p: PlannerState, name: string): FunctionMock | undefined {
  for (let i = p.mocks.length - 1; i >= 0; i--) if (p.mocks[i]!.target === name) return p.mocks[i];
  return undefined;
}

function resolveCallee(p: PlannerState, t: CallTerm, nameOverride?: string): Callee {
  const name = nameOverride ?? calleeName(t.op);
  const mock = nameOverride === undefined ? findMock(p, name) : undefined;
  const arity = originalArity(p, name, t);
  if (mock) {
    if (mock.valuePath) return { kind: "value", path: mock.valuePath, arity };
    if (mock.func!.kind === "builtin") return resolveCallee(p, t, mock.func!.name);
    // The replacement runs without the function replacements around it:
    // a mock may call the original, and never calls another mock (OPA).
    const saved = p.mocks;
    p.mocks = [];
    try {
      return resolveCallee(p, t, "data." + mock.func!.path.join("."));
    } finally {
      p.mocks = saved;
    }
  }
  if (name.startsWith("data.")) {
    const path = name.slice(5).split(".");
    const node = lookupNode(p.policy.root, path);
    if (!node || node.rules.length === 0) throw new PlannerError(`undefined function ${name}`, t.loc);
    return { kind: "rule", name: planRulesFunc(p, node), arity: node.rules[0]!.args.length };
  }
  const decl = builtinCatalog[name];
  if (!decl) throw new PlannerError(`undefined function ${name}`, t.loc);
  return { kind: "builtin", name, arity: decl.variadic ? t.args.length : decl.args.length, relation: !!decl.relation };
}

function originalArity(p: PlannerState, name: string, t: CallTerm): number {
  if (name.startsWith("data.")) return p.policy.functionArity.get(name.slice(5)) ?? t.args.length;
  const decl = builtinCatalog[name];
  if (!decl) return t.args.length;
  return decl.variadic ? t.args.length : decl.args.length;
}

function planArgs(p: PlannerState, args: Term[], iter: (ops: Operand[]) => void): void {
  const out: Operand[] = [];
  const rec = (i: number): void => {
    if (i === args.length) return iter(out);
    planTerm(p, args[i]!, () => {
      out.push(p.ltarget);
      rec(i + 1);
    });
  };
  rec(0);
}

/** Emits the call and returns the result local. */
function emitCall(p: PlannerState, callee: Callee & { kind: "rule" | "builtin" }, args: Operand[]): Local {
  const result = p.newLocal();
  if (callee.kind === "rule") {
    p.emit({
      type: "call",
      func: callee.name,
      args: [{ kind: "local", local: p.lookupVar("input") ?? INPUT }, { kind: "local", local: p.lookupVar("data") ?? DATA }, ...args],
      result,
    });
  } else {
    const decl = p.builtin(callee.name, args.length);
    p.emit({ type: "call", func: decl.name, args, result });
  }
  return result;
}

/** A call used as a value (`x := f(y)`, `count(xs) > 1`). */
export function planCallValue(p: PlannerState, t: CallTerm, iter: Iter): void {
  if (planCompileTimeCall(p, t, iter)) return;
  const callee = resolveCallee(p, t);
  // A value replacing a function still needs its arguments to be defined.
  if (callee.kind === "value") return planArgs(p, t.args.slice(0, callee.arity), () => planMockValue(p, callee.path, iter));
  planArgs(p, t.args.slice(0, callee.arity), (args) => {
    const result = emitCall(p, callee, args);
    if (callee.kind === "builtin" && callee.relation) {
      // A relation used as a value: its first result.
      p.ltarget = { kind: "local", local: result };
      return planScan(p, { type: "var", name: `$rel${result}`, loc: t.loc }, () => iter());
    }
    p.ltarget = { kind: "local", local: result };
    iter();
  });
}

/** A call as an expression: with an output argument it unifies the result
 *  with it; without, the result must be defined and not false. */
export function planCallExpr(p: PlannerState, t: CallTerm, iter: Iter): void {
  if (calleeName(t.op) === "print" && !findMock(p, "print")) return planPrint(p, t, iter);
  if (t.args.length > 0 && planCompileTimeCall(p, { ...t, args: [] }, () => planUnifyLocal(p, p.ltarget, t.args[0]!, iter))) return;
  const callee = resolveCallee(p, t);
  const hasOutput = t.args.length === callee.arity + 1;
  if (callee.kind === "value") {
    return planArgs(p, t.args.slice(0, callee.arity), () => planMockValue(p, callee.path, () => {
      if (hasOutput) return planUnifyLocal(p, p.ltarget, t.args[callee.arity]!, iter);
      p.emit({ type: "notequal", a: p.ltarget, b: { kind: "bool", value: false } });
      iter();
    }));
  }
  if (callee.kind === "builtin" && !hasOutput && (callee.name === "equal" || callee.name === "neq") && t.args.length === 2) {
    // Comparisons as statements need no boolean value.
    return planArgs(p, t.args, ([a, b]) => {
      p.emit({ type: callee.name === "equal" ? "equal" : "notequal", a: a!, b: b! });
      iter();
    });
  }
  planArgs(p, t.args.slice(0, callee.arity), (args) => {
    const result = emitCall(p, callee, args);
    if (callee.kind === "builtin" && callee.relation) {
      p.ltarget = { kind: "local", local: result };
      if (!hasOutput) {
        const n = p.newLocal();
        const zero = p.newLocal();
        p.emit({ type: "len", source: { kind: "local", local: result }, target: n });
        p.emit({ type: "makenumberint", value: 0, target: zero });
        p.emit({ type: "notequal", a: { kind: "local", local: n }, b: { kind: "local", local: zero } });
        return iter();
      }
      // Each result is an element of the returned array.
      const source = result;
      const lkey = p.newLocal();
      const lvalue = p.newLocal();
      const block = p.inBlock(() => planUnifyLocal(p, { kind: "local", local: lvalue }, t.args[callee.arity]!, iter));
      p.emit({ type: "scan", source, key: lkey, value: lvalue, block });
      return;
    }
    if (hasOutput) return planUnifyLocal(p, { kind: "local", local: result }, t.args[callee.arity]!, iter);
    p.emit({ type: "notequal", a: { kind: "local", local: result }, b: { kind: "bool", value: false } });
    iter();
  });
}

export function callArity(p: PlannerState, t: CallTerm): number {
  return originalArity(p, calleeName(t.op), t);
}

/** The value a `with f as <value>` put in the data document. */
function planMockValue(p: PlannerState, path: string[], iter: Iter): void {
  let source: Operand = { kind: "local", local: p.lookupVar("data") ?? DATA };
  for (const key of path) {
    const target = p.newLocal();
    p.emit({ type: "dot", source, key: p.stringOperand(key), target });
    source = { kind: "local", local: target };
  }
  p.ltarget = source;
  iter();
}

/** print(a, b, …): as OPA, each argument is collected as the set of its
 *  values (empty when undefined, printed as `<undefined>`), the host prints
 *  them, and the expression is always true. */
function planPrint(p: PlannerState, t: CallTerm, iter: Iter): void {
  const parts = p.newLocal();
  p.emit({ type: "makearray", capacity: t.args.length, target: parts });
  for (const arg of t.args) {
    const set = p.newLocal();
    p.emit({ type: "makeset", target: set });
    const block = p.inBlock(() => p.scoped(() => planTerm(p, arg, () => p.emit({ type: "setadd", value: p.ltarget, set }))));
    p.emit({ type: "block", blocks: [block] });
    p.emit({ type: "arrayappend", value: { kind: "local", local: set }, array: parts });
  }
  const decl = p.builtin("internal.print", 1);
  const ignored = p.newLocal();
  p.emit({ type: "block", blocks: [p.inBlock(() => p.emit({ type: "call", func: decl.name, args: [{ kind: "local", local: parts }], result: ignored }))] });
  iter();
}

/** Builtins whose value is known at compile time (rego.metadata.*). Returns
 *  false when `t` is not one of them. */
function planCompileTimeCall(p: PlannerState, t: CallTerm, iter: Iter): boolean {
  const name = calleeName(t.op);
  if (name !== "rego.metadata.rule" && name !== "rego.metadata.chain") return false;
  if (findMock(p, name)) return false;
  const rule = p.currentRule;
  let value: unknown;
  if (!rule) value = name === "rego.metadata.rule" ? {} : [];
  else if (name === "rego.metadata.rule") value = metadataRule(rule);
  else {
    const node = lookupNode(p.policy.root, rule.path);
    value = metadataChain(rule, p.policy.modules, node?.rules ?? []);
  }
  const target = p.newLocal();
  p.emit({ type: "makeconst", index: p.constant(JSON.stringify(value)), target });
  p.ltarget = { kind: "local", local: target };
  iter();
  return true;
}
