// Places every rule at its node in the data tree (package path + the ground
// prefix of its head ref) and checks the conflicts OPA rejects at compile
// time: mixed rule kinds at one node, several defaults, function arities.
import type { Module, Rule, Term } from "../ast.js";
import type { ProblemList } from "../errors.js";
import { insertNode, newNode, type CompiledRule, type RuleKind, type RuleNode } from "./types.js";

/** A parsed rule placed in the tree, before name resolution. */
export interface PlacedRule {
  rule: Rule;
  module: Module;
  kind: RuleKind;
  path: string[];
  suffix: Term[];
}

export function ruleKind(rule: Rule, suffixLength: number): RuleKind {
  if (rule.head.args) return "function";
  if (rule.head.contains) return "set";
  return suffixLength > 0 ? "object" : "complete";
}

export function placeRule(rule: Rule, module: Module): PlacedRule {
  const pkg = module.package.path.map((s) => s.value);
  const ref = rule.head.ref;
  const head = ref[0]!;
  const name = head.type === "var" ? head.name : head.type === "string" ? head.value : "";
  const path = [...pkg, name];
  let i = 1;
  for (; i < ref.length; i++) {
    const t = ref[i]!;
    if (t.type !== "string") break;
    path.push(t.value);
  }
  const suffix = ref.slice(i);
  return { rule, module, kind: ruleKind(rule, suffix.length), path, suffix };
}

const kindNames: Record<RuleKind, string> = {
  complete: "complete rule",
  set: "multi-value rule",
  object: "single-value rule with variable keys",
  function: "function",
};

/** Builds the tree of placed rules and reports conflicts. */
export function buildRuleTree(
  modules: Module[],
  problems: ProblemList,
): { root: RuleNode; placed: Map<RuleNode, PlacedRule[]>; functionArity: Map<string, number> } {
  const root = newNode([]);
  const placed = new Map<RuleNode, PlacedRule[]>();
  const functionArity = new Map<string, number>();

  for (const module of modules) {
    insertNode(
      root,
      module.package.path.map((s) => s.value),
    );
    for (const rule of module.rules) {
      const p = placeRule(rule, module);
      const node = insertNode(root, p.path);
      let list = placed.get(node);
      if (!list) placed.set(node, (list = []));
      list.push(p);
    }
  }

  for (const [node, rules] of placed) {
    const dotted = "data." + node.path.join(".");
    const first = rules[0]!;
    // Kinds that cannot share a node.
    const kinds = new Set(rules.map((r) => (r.kind === "set" && r.suffix.length > 0 ? "object" : r.kind)));
    if (kinds.size > 1) {
      const other = rules.find((r) => r.kind !== first.kind)!;
      problems.add(
        "rego_type_error",
        `conflicting rules ${dotted} found: ${kindNames[first.kind]} and ${kindNames[other.kind]}`,
        other.rule.loc,
      );
    }
    const defaults = rules.filter((r) => r.rule.isDefault);
    if (defaults.length > 1) {
      problems.add("rego_type_error", `multiple default rules ${dotted} found`, defaults[1]!.rule.loc);
    }
    for (const d of defaults) {
      if (d.kind !== "complete" && d.kind !== "function") {
        problems.add("rego_type_error", `default rules must be complete: ${dotted}`, d.rule.loc);
      }
    }
    if (first.kind === "function") {
      const arities = new Set(rules.map((r) => r.rule.head.args!.length));
      if (arities.size > 1) {
        problems.add("rego_type_error", `conflicting rules ${dotted} found: functions with different arities`, rules[1]!.rule.loc);
      }
      functionArity.set(node.path.join("."), first.rule.head.args!.length);
    }
    // A complete rule or a set without keys cannot have rules below it.
    const flat = rules.some((r) => r.kind === "complete" || (r.kind === "set" && r.suffix.length === 0) || r.kind === "function");
    if (flat && node.children.size > 0) {
      const below = [...placed.keys()].filter((n) => n !== node && isBelow(n.path, node.path));
      if (below.length > 0) {
        problems.add(
          "rego_type_error",
          `rule ${dotted} conflicts with [${below.map((n) => "data." + n.path.join(".")).join(" ")}]`,
          first.rule.loc,
        );
      }
    }
  }
  return { root, placed, functionArity };
}

function isBelow(path: string[], prefix: string[]): boolean {
  return path.length > prefix.length && prefix.every((p, i) => path[i] === p);
}

/** Attaches compiled rules to their nodes (after resolution). */
export function attachRules(node: RuleNode, rules: CompiledRule[]): void {
  node.rules.push(...rules);
}
