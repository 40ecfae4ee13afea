// Planning the rules of one rule-tree node into one IR function: its params
// are input, data and the function's arguments; it returns the node's value.
//  - complete rules and functions: each rule (with its else chain) assigns a
//    result once (conflicting values abort); the default applies when none
//    did;
//  - multi-value rules without keys build a set;
//  - rules with variable keys (`p[k] := v`, `a.b[x] contains y`) and the
//    nodes below build an object.
import type { Term } from "../ast.js";
import type { Block, Func, Local, Operand } from "../ir.js";
import type { CompiledRule, RuleNode } from "../compiler/types.js";
import { DATA, INPUT, type PlannerState } from "./state.js";
import { planQuery } from "./exprs.js";
import { planTerm } from "./terms.js";
import { planParams } from "./unify.js";
import { isGround } from "../compiler/terms.js";
import { planContainer } from "./containers.js";
import { isKeyedNode, needsOverlapMarks, planOverlapMark } from "./overlap.js";

/** A node of functions that take arguments. `f() := …` declares no
 *  function for OPA (only a rule with arguments is one): `f` is its value
 *  like any rule's, and `f()` calls it. */
export function isFunctionNode(node: RuleNode): boolean {
  const first = node.rules[0];
  return first !== undefined && first.kind === "function" && first.args.length > 0;
}

/** Plans (once per `with` context) the function computing `node`'s value
 *  and returns its name. */
export function planRulesFunc(p: PlannerState, node: RuleNode): string {
  const key = p.contextKey() + "\u0001" + node.path.join("\u0000");
  const cached = p.funcCache.get(key);
  if (cached) return cached;

  const rules = node.rules;
  const first = rules[0]!;
  const arity = first.kind === "function" ? first.args.length : 0;
  const name = p.funcName(node.path);
  p.funcCache.set(key, name); // before planning: recursion is rejected earlier, but be safe

  // Save the caller's state; a function starts with fresh locals and vars.
  const saved = { curr: p.curr, vars: p.vars, nextLocal: p.nextLocal, ltarget: p.ltarget, loc: p.loc, currentRule: p.currentRule };
  p.nextLocal = 0;
  const params: Local[] = [p.newLocal(), p.newLocal()];
  for (let i = 0; i < arity; i++) params.push(p.newLocal());
  const ret = p.newLocal();
  const fn: Func = { name, params, locals: 0, blocks: [], memoize: arity === 0, path: node.path };
  p.setLocation(first.loc);

  const freshVars = () => resetVars(p);

  const kind = isKeyedNode(node) ? "object" : first.kind;
  if (kind === "set") fn.blocks.push(blockWith(p, () => p.emit({ type: "makeset", target: ret })));
  if (kind === "object") fn.blocks.push(blockWith(p, () => p.emit({ type: "makeobject", target: ret })));
  // the paths written so far, when one write may lie below another (overlap.ts)
  const contributes = (child: RuleNode) => !isFunctionNode(child) && !p.isShadowed(child.path);
  const marks = kind === "object" && needsOverlapMarks(node, contributes) ? p.newLocal() : undefined;
  if (marks !== undefined) fn.blocks.push(blockWith(p, () => p.emit({ type: "makeobject", target: marks })));

  if (kind === "complete" || kind === "function") {
    const lresult = p.newLocal();
    const conflict = kind === "function" ? "function" : "rule";
    let defaultRule: CompiledRule | undefined;
    for (const rule of rules) {
      if (rule.isDefault) {
        defaultRule = rule;
        continue;
      }
      const chain: Block[] = [];
      let isFirst = true;
      for (let r: CompiledRule | undefined = rule; r; r = r.else) {
        const branch = r;
        p.currentRule = branch;
        p.setLocation(branch.loc);
        freshVars();
        const block = blockWith(p, () => {
          const branchDepth = p.depth;
          if (isFirst) p.emit({ type: "resetlocal", target: lresult });
          else p.emit({ type: "isundefined", source: lresult });
          planParams(p, params.slice(2), branch.args, () =>
            planQuery(p, branch.body, () =>
              planTerm(p, branch.value, () => {
                p.emit({ type: "assignvaronce", source: p.ltarget, target: lresult, conflict });
                // Early exit: a constant value cannot conflict with itself,
                // so the first solution of this body is enough.
                if (isGround(branch.value)) p.emit({ type: "break", index: p.depth - branchDepth });
              }),
            ),
          );
        });
        chain.push(block);
        isFirst = false;
      }
      if (chain.length === 1) fn.blocks.push(chain[0]!);
      else fn.blocks.push(blockWith(p, () => p.emit({ type: "block", blocks: chain })));
      p.setLocation(rule.loc);
      fn.blocks.push(
        blockWith(p, () => {
          p.emit({ type: "isdefined", source: lresult });
          p.emit({ type: "assignvaronce", source: { kind: "local", local: lresult }, target: ret, conflict });
        }),
      );
    }
    if (defaultRule) {
      const d = defaultRule;
      p.currentRule = d;
      p.setLocation(d.loc);
      freshVars();
      fn.blocks.push(
        blockWith(p, () => {
          p.emit({ type: "isundefined", source: ret });
          planParams(p, params.slice(2), d.args, () =>
            planQuery(p, d.body, () => planTerm(p, d.value, () => p.emit({ type: "assignvaronce", source: p.ltarget, target: ret, conflict }))),
          );
        }),
      );
    }
  } else {
    for (const rule of rules) {
      p.currentRule = rule;
      p.setLocation(rule.loc);
      freshVars();
      fn.blocks.push(
        blockWith(p, () =>
          planQuery(p, rule.body, () => {
            if (kind === "set") planTerm(p, rule.key!, () => p.emit({ type: "setadd", value: p.ltarget, set: ret }));
            else planKeyed(p, rule, ret, marks);
          }),
        ),
      );
    }
    // Nodes below a keyed node are part of its object.
    if (kind === "object") {
      for (const [key, child] of node.children) {
        if (!contributes(child)) continue;
        freshVars();
        fn.blocks.push(blockWith(p, () => planChildInto(p, [key], child, ret, marks)));
      }
    }
  }

  p.setLocation(first.loc);
  fn.blocks.push(blockWith(p, () => p.emit({ type: "returnlocal", source: ret })));
  fn.locals = p.nextLocal;
  p.funcs.push(fn);

  Object.assign(p, saved);
  return name;
}

function blockWith(p: PlannerState, fn: () => void): Block {
  return p.inBlock(fn);
}

/** A rule body starts with only `input` and `data` in scope. */
function resetVars(p: PlannerState): void {
  p.vars = [
    new Map([
      ["input", INPUT],
      ["data", DATA],
    ]),
  ];
}

/** Inserts a keyed rule's value: obj[k0]…[kn-1] = value (object rules) or
 *  adds the key to the set at obj[k0]…[kn-1] (multi-value rules with keys).
 *  `prefix`: the keys of the rule's node below the keyed node whose object
 *  `obj` is (planChildInto), before the rule's own keys. Containers on the
 *  way are created on first use. As in OPA, every rule inserts a leaf at its
 *  full path, and a leaf that differs from what is already there — a value,
 *  or a container where a value stands — is a conflict ("object keys must
 *  be unique"); with `marks`, so is a leaf below or above another rule's
 *  leaf (overlap.ts). */
function planKeyed(p: PlannerState, rule: CompiledRule, obj: Local, marks: Local | undefined, prefix: Operand[] = []): void {
  const keys: Term[] = rule.suffix;
  const path: Operand[] = [...prefix];
  const rec = (i: number, container: Local): void => {
    const last = i === keys.length - 1;
    planTerm(p, keys[i]!, () => {
      const key = p.ltarget;
      path[prefix.length + i] = key;
      if (last && marks !== undefined) {
        // reported at the rule's head, as OPA does
        const bodyLoc = p.loc;
        p.setLocation(rule.loc);
        planOverlapMark(p, marks, path);
        p.loc = bodyLoc;
      }
      if (last && rule.kind === "object") {
        planTerm(p, rule.value, () => p.emit({ type: "objectinsertonce", key, value: p.ltarget, object: container }));
        return;
      }
      const next = planContainer(p, container, key, last ? "set" : "object");
      if (last) planTerm(p, rule.key!, () => p.emit({ type: "setadd", value: p.ltarget, set: next }));
      else rec(i + 1, next);
    });
  };
  let container = obj;
  for (const key of prefix) container = planContainer(p, container, key, "object");
  rec(0, container);
}

/** Adds the rules of a node below a keyed node into its object `obj`, each
 *  at its path relative to the keyed node (`path`, ending with the child's
 *  key), the way OPA evaluates a rule with a general ref head together with
 *  every rule in its extent: the compiler indexes them all under the keyed
 *  node (v1/ast/compile.go, buildRuleIndices: "Collect children to ensure
 *  that all rules within the extent of a rule with a general ref are found
 *  on the same index"), and topdown folds each rule's value into one object
 *  at the rule's own path, walking into the objects already there
 *  (v1/topdown/eval.go, evalVirtualPartial.reduce and getNestedObject). So
 *  - the rules of a keyed node below are planned here one by one, with
 *    their full paths (`p[q].r := 1 if q := "a"` and `p.a[x] := 1 if
 *    x := "s"` make {"a": {"r": 1, "s": 1}}, not a conflict over key "a");
 *  - the objects on a path are made only when a value is written under them
 *    (no empty object for rules that produce nothing). */
function planChildInto(p: PlannerState, path: string[], child: RuleNode, obj: Local, marks: Local | undefined): void {
  const keys = () => path.map((k) => p.stringOperand(k));
  const below = () => {
    for (const [k, c] of child.children) {
      if (isFunctionNode(c) || p.isShadowed(c.path)) continue;
      p.emit({ type: "block", blocks: [p.inBlock(() => planChildInto(p, [...path, k], c, obj, marks))] });
    }
  };
  if (child.rules.length === 0) return below();
  if (isKeyedNode(child)) {
    for (const rule of child.rules) {
      p.currentRule = rule;
      p.setLocation(rule.loc);
      resetVars(p);
      p.emit({ type: "block", blocks: [p.inBlock(() => planQuery(p, rule.body, () => planKeyed(p, rule, obj, marks, keys())))] });
    }
    return below();
  }
  const name = planRulesFunc(p, child);
  const value = p.newLocal();
  p.emit({ type: "call", func: name, args: [{ kind: "local", local: INPUT }, { kind: "local", local: DATA }], result: value });
  const first = child.rules[0]!;
  p.setLocation(first.loc); // a conflict is reported at the rule being inserted, as in OPA
  // the path is walked (its objects made) only once there is a value to
  // write: for a set, once it has an element
  const write = (insert: (container: Local, key: Operand) => void) => {
    const ops = keys();
    if (marks !== undefined) planOverlapMark(p, marks, ops);
    let container = obj;
    for (const k of ops.slice(0, -1)) container = planContainer(p, container, k, "object");
    insert(container, ops[ops.length - 1]!);
  };
  if (first.kind === "set" && first.suffix.length === 0) {
    // multi-value rules at the same path unite
    const k = p.newLocal();
    const v = p.newLocal();
    const body = p.inBlock(() =>
      write((container, key) => {
        const set = planContainer(p, container, key, "set");
        p.emit({ type: "setadd", value: { kind: "local", local: v }, set });
      }),
    );
    p.emit({ type: "scan", source: value, key: k, value: v, block: body });
    return;
  }
  write((container, key) => p.emit({ type: "objectinsertonce", key, value: { kind: "local", local: value }, object: container }));
}
