// OPA's compile-time type checking (its CheckTypes stage): every rule's body
// is checked once, after the rules it reads, and the type of its value is
// recorded at its path so that refs to it and calls of it can be checked in
// turn. Problems are rego_type_error, all of them at once.
//
// The checker must never reject a policy OPA accepts: wherever writ's
// compiled form differs from OPA's, or OPA's result depends on an order writ
// does not reproduce, types are widened to any.
import type { Term } from "../../ast.js";
import type { ProblemList } from "../../errors.js";
import { builtinCatalog } from "../../builtins/catalog.js";
import { refDependencies } from "../recursion.js";
import { functionRefName, termVars } from "../terms.js";
import type { CompiledRule, RuleNode } from "../types.js";
import { BodyChecker, type FunctionInfo, type PolicyHost } from "./body.js";
import type { TypeEnv } from "./env.js";
import { builtinSignature } from "./builtins.js";
import { dataRefType, insertType, newTypeNode, putType, type TypeNode } from "./tree.js";
import { ANY, functionOf, objectOf, setOf, type Maybe, type Type } from "./types.js";

const isBuiltin = (name: string) => !!builtinCatalog[name];

export function checkTypes(root: RuleNode, functionArity: Map<string, number>, problems: ProblemList): void {
  new PolicyChecker(root, functionArity, problems).run();
}

class PolicyChecker implements PolicyHost {
  private readonly types: TypeNode = newTypeNode();
  private readonly state = new Map<CompiledRule, "active" | "done">();
  private readonly readyNodes = new Set<RuleNode>();

  constructor(
    private readonly root: RuleNode,
    private readonly functionArity: Map<string, number>,
    private readonly problems: ProblemList,
  ) {}

  run(): void {
    const visit = (n: RuleNode) => {
      this.ensureNode(n);
      for (const c of n.children.values()) visit(c);
    };
    visit(this.root);
  }

  // ---- the rules a ref reads are checked before it ------------------------------

  private ensureNode(node: RuleNode): void {
    if (this.readyNodes.has(node)) return;
    for (const r of node.rules) for (let x: CompiledRule | undefined = r; x; x = x.else) this.checkRule(x);
    if (node.rules.every((r) => this.state.get(r) === "done")) this.readyNodes.add(node);
  }

  dataTree(selectors: readonly Term[]): TypeNode {
    const deps = new Set<RuleNode>();
    refDependencies(this.root, [...selectors], deps);
    for (const n of deps) this.ensureNode(n);
    return this.types;
  }

  dataType(selectors: readonly Term[]): Maybe {
    return dataRefType(this.dataTree(selectors), selectors);
  }

  functionOf(t: Term): FunctionInfo | undefined {
    const name = t.type === "call" ? functionRefName(t.op, isBuiltin, this.functionArity) : functionRefName(t, isBuiltin, this.functionArity);
    if (!name) return undefined;
    if (!name.startsWith("data.")) {
      const sig = builtinSignature(name);
      return sig && { name, ...sig };
    }
    const selectors = name
      .split(".")
      .slice(1)
      .map((value): Term => ({ type: "string", value, loc: t.loc }));
    const type = this.dataType(selectors);
    // a function whose rules have errors is any: not checked
    return type?.k === "function" ? { name, type } : undefined;
  }

  // ---- one rule ------------------------------------------------------------------

  private checkRule(rule: CompiledRule): void {
    if (this.state.has(rule)) return;
    this.state.set(rule, "active");
    const checker = new BodyChecker(this);
    const { env, errors } = checker.checkBody(checker.rootEnv(), rule.body);
    if (errors.length > 0) {
      for (const e of errors) this.problems.add("rego_type_error", e.message, e.loc);
      putType(this.types, rule.path, ANY);
    } else {
      const t = ruleType(rule, env, checker.held);
      if (t !== undefined) insertType(this.types, rule.path, t);
    }
    this.state.set(rule, "done");
  }
}

/** The type of the document (or function) a rule defines, given the types
 *  its body inferred. A head value the compiler moved into the body is typed
 *  where OPA types it, in the head, once unconstrained arguments are any. */
function ruleType(rule: CompiledRule, env: TypeEnv, held: ReadonlyMap<string, Term>): Type | undefined {
  const valueType = () => env.typeOf(rule.value.type === "var" ? (held.get(rule.value.name) ?? rule.value) : rule.value);
  // `f() := x` is typed as the document it would be without the parentheses
  switch (rule.kind === "function" && rule.args.length === 0 ? "complete" : rule.kind) {
    case "function": {
      // arguments the body does not constrain take anything
      for (const a of rule.args) for (const v of termVars(a)) if (env.varType(v) === undefined) env.put(v, ANY);
      return functionOf(
        rule.args.map((a) => env.typeOf(a)),
        valueType(),
      );
    }
    case "complete":
      return valueType();
    case "object": {
      let t: Maybe = valueType();
      for (let i = rule.suffix.length - 1; i >= 0 && t !== undefined; i--) {
        const key = env.typeOf(rule.suffix[i]!);
        t = key === undefined ? undefined : objectOf([], { key, value: t });
      }
      return t;
    }
    case "set": {
      // `a.b[x] contains y`: OPA keeps no usable type under a.b
      if (rule.suffix.length > 0) return objectOf([], { key: ANY, value: ANY });
      const key = rule.key && env.typeOf(rule.key);
      return key === undefined ? undefined : setOf(key);
    }
  }
}
