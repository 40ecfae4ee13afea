// The compiler's middle end: parsed modules → rules placed in the rule tree,
// names resolved, bodies reordered for safety, recursion rejected. Problems of
// one stage are reported together, as OPA does.
import type { Body, Module, Rule, Term } from "../ast.js";
import { ProblemList } from "../errors.js";
import { buildRuleTree, type PlacedRule } from "./ruletree.js";
import { buildModuleScope, RuleResolver, type ModuleScope } from "./resolve.js";
import { checkHead, reorderBody, type SafetyContext } from "./safety.js";
import { checkRecursion } from "./recursion.js";
import { checkTypes } from "./typecheck/index.js";
import { termVars } from "./terms.js";
import { extractDynamicRefs } from "./dynamic.js";
import type { CompiledPolicy, CompiledRule, RuleNode } from "./types.js";

export type { CompiledPolicy, CompiledRule, RuleNode } from "./types.js";

export function compileModules(modules: Module[]): CompiledPolicy {
  const problems = new ProblemList();
  const { root, placed, functionArity } = buildRuleTree(modules, problems);

  // The names a body can use to refer to rules of its own package, across
  // every module of that package.
  const packageRules = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.package.path.map((s) => s.value).join("\u0000");
    let names = packageRules.get(key);
    if (!names) packageRules.set(key, (names = new Set()));
    for (const r of m.rules) {
      const head = r.head.ref[0]!;
      if (head.type === "var") names.add(head.name);
    }
  }
  const scopes = new Map<Module, ModuleScope>();
  for (const m of modules) scopes.set(m, buildModuleScope(m, packageRules, root, functionArity, problems));

  for (const [node, rules] of placed) {
    for (const p of rules) node.rules.push(compileRule(p, p.rule, scopes.get(p.module)!, functionArity, problems));
  }
  problems.throwIfAny();
  checkRecursion(root, problems);
  problems.throwIfAny();
  checkTypes(root, functionArity, problems);
  problems.throwIfAny();
  return { modules, root, functionArity };
}

function compileRule(
  placed: PlacedRule,
  rule: Rule,
  scope: ModuleScope,
  functionArity: Map<string, number>,
  problems: ProblemList,
  inheritedArgs?: Term[],
): CompiledRule {
  const resolver = new RuleResolver(scope);
  const withArgs: Rule = inheritedArgs && !rule.head.args ? { ...rule, head: { ...rule.head, args: inheritedArgs } } : rule;
  const before = problems.length;
  const r = resolver.resolveRule(withArgs, placed.suffix);
  // OPA stops before its safety check when names or arities are wrong: no
  // unsafe-variable errors that follow from them
  const resolved = problems.length === before;
  const ctx: SafetyContext = {
    problems,
    functionArity,
    closureScope: resolver.gen.closureScope,
    scopeParent: resolver.gen.parent,
  };
  // Arguments that need evaluation (`f($"{x}")`, `f(input.y)`) are compared
  // after the body, as OPA rewrites them: the parameter is a fresh variable.
  const argChecks: Body = [];
  const args = r.args.map((a, i) => {
    if (isSimple(a)) return a;
    const v: Term = { type: "var", name: `$a${i}`, loc: a.loc };
    argChecks.push({ kind: { type: "unify", lhs: v, rhs: a }, negated: false, with: [], loc: a.loc });
    return v;
  });
  const bound = new Set<string>();
  for (const a of args) for (const v of termVars(a)) bound.add(v);
  // Head terms that need evaluation (refs, calls, comprehensions) become
  // body expressions, as OPA rewrites them: `q := xs[_]` iterates.
  const hoisted: Body = [];
  let n = 0;
  const hoist = (t: Term | undefined): Term | undefined => {
    if (!t || isSimple(t)) return t;
    const v: Term = { type: "var", name: `$h${n++}`, loc: t.loc };
    hoisted.push({ kind: { type: "unify", lhs: v, rhs: t }, negated: false, with: [], loc: t.loc });
    return v;
  };
  const suffix = r.suffix.map((t) => hoist(t)!);
  const key = hoist(r.key);
  const headValue = hoist(r.value);
  const dynamic = extractDynamicRefs([...r.body, ...argChecks, ...hoisted], 0, resolver.gen.closureScope);
  const { body, safe } = resolved ? reorderBody(dynamic, bound, ctx) : { body: dynamic, safe: bound };
  const headTerms = [...suffix];
  if (key) headTerms.push(key);
  if (headValue) headTerms.push(headValue);
  if (resolved) checkHead(headTerms, safe, rule.head.loc, ctx);
  const value: Term = headValue ?? { type: "boolean", value: true, loc: rule.head.loc };
  const compiled: CompiledRule = {
    kind: placed.kind,
    path: placed.path,
    suffix,
    key,
    value,
    args,
    body,
    isDefault: rule.isDefault,
    loc: rule.loc,
    module: placed.module,
    annotations: rule.annotations,
  };
  if (rule.else) {
    compiled.else = compileRule(placed, rule.else, scope, functionArity, problems, rule.head.args ?? inheritedArgs);
  }
  return compiled;
}

/** Resolves and orders an ad-hoc query (e.g. `data.a.p = x`) against the
 *  compiled policy. Its variables keep their names, so that they can be
 *  reported as result-set bindings. */
export function compileQuery(body: Body, policy: CompiledPolicy, file: string): Body {
  const problems = new ProblemList();
  const module: Module = {
    file,
    regoVersion: 1,
    package: { path: [], loc: { file, row: 1, col: 1 } },
    imports: [],
    rules: [],
    annotations: [],
    comments: [],
  };
  const scope = buildModuleScope(module, new Map(), policy.root, policy.functionArity, problems);
  const resolver = new RuleResolver(scope);
  const resolved = resolver.resolveQuery(body);
  const ctx: SafetyContext = {
    problems,
    functionArity: policy.functionArity,
    closureScope: resolver.gen.closureScope,
    scopeParent: resolver.gen.parent,
  };
  const dynamic = extractDynamicRefs(resolved, 0, resolver.gen.closureScope);
  const { body: ordered } = reorderBody(dynamic, new Set(), ctx);
  problems.throwIfAny();
  return ordered;
}

export function nodeName(node: RuleNode): string {
  return "data." + node.path.join(".");
}

/** Terms a head can hold without evaluation: vars, literals, and
 *  composites of them. */
function isSimple(t: Term): boolean {
  switch (t.type) {
    case "var":
    case "null":
    case "boolean":
    case "number":
    case "string":
      return true;
    case "array":
    case "set":
      return t.items.every(isSimple);
    case "object":
      return t.items.every(([k, v]) => isSimple(k) && isSimple(v));
    default:
      return false;
  }
}
