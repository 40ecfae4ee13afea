// Recursion check: a rule may not depend on itself, directly or through other
// rules (OPA's rego_recursion_error). Dependencies are the rule nodes a rule's
// data refs and function calls can reach.
import type { Body, Term } from "../ast.js";
import type { ProblemList } from "../errors.js";
import type { CompiledRule, RuleNode } from "./types.js";
import { walkBody, walkTerm } from "./terms.js";

/** Every node below (and at) `node` that holds rules. */
function ruleNodesBelow(node: RuleNode, out: Set<RuleNode>): void {
  if (node.rules.length > 0) out.add(node);
  for (const c of node.children.values()) ruleNodesBelow(c, out);
}

/** The rule nodes a `data…` ref can evaluate: a selector that is not a
 *  literal matches every child, a literal only its own. */
export function refDependencies(node: RuleNode, selectors: Term[], out: Set<RuleNode>, index = 0): void {
  if (node.rules.length > 0) {
    out.add(node);
    return;
  }
  if (index === selectors.length) {
    ruleNodesBelow(node, out);
    return;
  }
  const sel = selectors[index]!;
  if (sel.type === "string") {
    const child = node.children.get(sel.value);
    if (child) refDependencies(child, selectors, out, index + 1);
    return;
  }
  if (sel.type === "number" || sel.type === "boolean" || sel.type === "null") return; // rule paths are strings
  for (const child of node.children.values()) refDependencies(child, selectors, out, index + 1);
}

function ruleDependencies(root: RuleNode, rule: CompiledRule, out: Set<RuleNode>): void {
  const visit = (t: Term) => {
    if (t.type === "ref") {
      const head = t.terms[0]!;
      if (head.type === "var" && head.name === "data") refDependencies(root, t.terms.slice(1), out);
    } else if (t.type === "call") {
      const head = t.op.terms[0]!;
      if (head.type === "var" && head.name === "data") refDependencies(root, t.op.terms.slice(1), out);
    }
    return undefined;
  };
  const terms: Term[] = [...rule.suffix, rule.value, ...rule.args];
  if (rule.key) terms.push(rule.key);
  for (const t of terms) walkTerm(t, visit);
  walkBody(rule.body as Body, visit);
  if (rule.else) ruleDependencies(root, rule.else, out);
}

/** Reports every cycle in the rule graph, once per cycle. */
export function checkRecursion(root: RuleNode, problems: ProblemList): void {
  const nodes: RuleNode[] = [];
  const collect = (n: RuleNode) => {
    if (n.rules.length > 0) nodes.push(n);
    for (const c of n.children.values()) collect(c);
  };
  collect(root);
  const edges = new Map<RuleNode, RuleNode[]>();
  for (const n of nodes) {
    const deps = new Set<RuleNode>();
    for (const r of n.rules) ruleDependencies(root, r, deps);
    // Rules of a node may read the node's own children (a node's value
    // includes them); that is not recursion unless a child reads back.
    edges.set(n, [...deps]);
  }

  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<RuleNode, number>();
  const low = new Map<RuleNode, number>();
  const onStack = new Set<RuleNode>();
  const stack: RuleNode[] = [];
  const name = (n: RuleNode) => "data." + n.path.join(".");
  const strong = (v: RuleNode) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const comp: RuleNode[] = [];
      let w: RuleNode;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      const selfLoop = comp.length === 1 && (edges.get(v) ?? []).includes(v);
      if (comp.length > 1 || selfLoop) {
        comp.reverse();
        const cycle = [...comp, comp[0]!].map(name).join(" -> ");
        for (const n of comp) {
          problems.add("rego_recursion_error", `rule ${name(n)} is recursive: ${cycle}`, n.rules[0]!.loc);
        }
      }
    }
  };
  for (const n of nodes) if (!idx.has(n)) strong(n);
}
