// The compiler's output: rules placed in the rule tree, every name resolved,
// every body reordered for safety. This is what the planner lowers to IR.
import type { Annotation, Body, Location, Module, Term } from "../ast.js";

/**
 * What a rule contributes to the document at its node:
 *  - complete: one value (`p := 1`, `p if …`, `a.b.c := 1`);
 *  - set: members of a set (`p contains x`), possibly under dynamic keys
 *    (`a.b[x] contains y` → suffix [x]);
 *  - object: a value under dynamic keys (`p[k] := v`, `a[x].b[y] := z`);
 *  - function: a Rego function (`f(x) := y`).
 */
export type RuleKind = "complete" | "set" | "object" | "function";

export interface CompiledRule {
  kind: RuleKind;
  /** data path of the node the rule belongs to: package path + the ground
   *  (string) prefix of the head ref */
  path: string[];
  /** head ref terms after the ground prefix: the dynamic keys */
  suffix: Term[];
  /** set member (kind "set") */
  key?: Term;
  /** the value (complete, object, function); `true` when the head has none */
  value: Term;
  /** function parameters */
  args: Term[];
  body: Body;
  isDefault: boolean;
  /** `else` branch (complete rules and functions) */
  else?: CompiledRule;
  loc: Location;
  /** the module the rule came from */
  module: Module;
  /** METADATA written above the rule (rule and document scope) */
  annotations?: Annotation[];
}

/** One node of the rule tree: a data path, the rules defined exactly there,
 *  and the nodes below. Packages without rules are nodes too (so that
 *  `data.pkg` is `{}` for an empty package, as in OPA). */
export interface RuleNode {
  path: string[];
  rules: CompiledRule[];
  children: Map<string, RuleNode>;
}

export interface CompiledPolicy {
  modules: Module[];
  root: RuleNode;
  /** the number of function arguments for function nodes, by dotted path */
  functionArity: Map<string, number>;
}

export function newNode(path: string[]): RuleNode {
  return { path, rules: [], children: new Map() };
}

/** Finds the node at `path`, or undefined. */
export function lookupNode(root: RuleNode, path: readonly string[]): RuleNode | undefined {
  let node: RuleNode | undefined = root;
  for (const key of path) {
    node = node.children.get(key);
    if (!node) return undefined;
  }
  return node;
}

/** Finds or creates the node at `path`. */
export function insertNode(root: RuleNode, path: readonly string[]): RuleNode {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    let child = node.children.get(key);
    if (!child) {
      child = newNode(path.slice(0, i + 1));
      node.children.set(key, child);
    }
    node = child;
  }
  return node;
}

/** True when the node or any node below it holds rules. */
export function hasRulesBelow(node: RuleNode): boolean {
  if (node.rules.length > 0) return true;
  for (const c of node.children.values()) if (hasRulesBelow(c)) return true;
  return false;
}
