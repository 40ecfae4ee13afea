// Name resolution and local-variable scoping for one rule (or query).
//
// After this pass:
//  - every variable that names a rule of the package or an import alias is
//    replaced by the full ref (`q` → `data.pkg.q`, `lib` → `data.lib`);
//  - local variables have names unique within the rule: variables of the
//    rule's own body keep their source name, variables local to a nested
//    body (comprehension, `every`) are renamed `name$N`, wildcards become
//    `$_N`; a nested body that uses a variable of an enclosing body shares it
//    (a closure), unless it declares its own with `some` or `:=`;
//  - call operators are either a ref into data (a Rego function) or a single
//    var whose name is the builtin's dotted name (`array.concat`);
//  - `some x in xs` is rewritten to the unification `x = xs[$_N]` and
//    `some k, v in xs` to `v = xs[k]`; `some x` declarations disappear; `:=`
//    stays an `assign` expression (same meaning as `=` once names are unique).
import type { Body, Expr, Location, Module, RefTerm, Rule, Term, VarTerm, With } from "../ast.js";
import type { ProblemList } from "../errors.js";
import { builtinCatalog } from "../builtins/catalog.js";
import { arityProblem, voidCallProblem } from "./arity.js";
import { lookupNode, type RuleNode } from "./types.js";
import { termText } from "../parser/print.js";
import { functionRefName, operatorName, refTerm, stringTerm, termVars, varTerm } from "./terms.js";

/** What names mean inside one module. */
export interface ModuleScope {
  module: Module;
  packagePath: string[];
  /** import alias → the ref it stands for (rooted at data or input) */
  imports: Map<string, RefTerm>;
  /** the first names of the head refs of every rule in the package */
  ruleNames: Set<string>;
  root: RuleNode;
  functionArity: Map<string, number>;
  problems: ProblemList;
}

class Scope {
  readonly declared = new Map<string, string>();
  readonly bodyVars = new Set<string>();
  constructor(
    readonly id: number,
    readonly parent: Scope | undefined,
  ) {}
  localName(name: string): string {
    return this.id === 0 ? name : `${name}$${this.id}`;
  }
}

/** Shared counters for one rule, so generated names never repeat, and the
 *  nesting of its scopes (which safety needs to find a closure's free
 *  variables). A local's name ends in `$N` where N is its scope (none for the
 *  rule's own body, scope 0); wildcards are `$_K$N`. */
export class NameGen {
  private wildcards = 0;
  private scopes = 0;
  /** scope id → enclosing scope id */
  readonly parent = new Map<number, number>();
  /** closure (comprehension term or `every` expression kind) → its scope id */
  readonly closureScope = new WeakMap<object, number>();
  wildcard(loc: Location, scope: number): VarTerm {
    return varTerm(`$_${this.wildcards++}$${scope}`, loc);
  }
  /** a variable holding a `with` value computed before its expression */
  withValue(loc: Location, scope: number): VarTerm {
    return varTerm(`$w${this.withValues++}$${scope}`, loc);
  }
  private withValues = 0;
  nextScopeId(parent: number): number {
    const id = ++this.scopes;
    this.parent.set(id, parent);
    return id;
  }
}

/** The scope a resolved variable name belongs to. */
export function ownerScope(name: string): number {
  const i = name.lastIndexOf("$");
  if (i < 0) return 0;
  const n = Number(name.slice(i + 1));
  return Number.isInteger(n) ? n : 0;
}

export function buildModuleScope(
  module: Module,
  packageRules: Map<string, Set<string>>,
  root: RuleNode,
  functionArity: Map<string, number>,
  problems: ProblemList,
): ModuleScope {
  const packagePath = module.package.path.map((s) => s.value);
  const imports = new Map<string, RefTerm>();
  for (const imp of module.imports) {
    const head = imp.path.terms[0];
    if (!head || head.type !== "var") continue;
    if (head.name !== "data" && head.name !== "input") continue; // future.keywords, rego.v1
    let alias = imp.alias;
    if (!alias) {
      const last = imp.path.terms[imp.path.terms.length - 1]!;
      if (imp.path.terms.length === 1) continue; // `import data` / `import input`
      if (last.type !== "string") {
        problems.add("rego_parse_error", `invalid import path ${termText(imp.path)}`, imp.loc);
        continue;
      }
      alias = last.value;
    }
    if (imports.has(alias)) {
      problems.add("rego_compile_error", `import must not shadow import ${alias}`, imp.loc);
    }
    imports.set(alias, imp.path);
  }
  return {
    module,
    packagePath,
    imports,
    ruleNames: packageRules.get(packagePath.join("\u0000")) ?? new Set(),
    root,
    functionArity,
    problems,
  };
}

/** Resolves names in one rule (and its else chain), returning new terms. */
export class RuleResolver {
  readonly gen = new NameGen();

  constructor(private readonly ms: ModuleScope) {}

  /** Resolves a rule's head pieces and body in one top-level scope. */
  resolveRule(rule: Rule, suffix: Term[]): { suffix: Term[]; key?: Term; value?: Term; args: Term[]; body: Body } {
    const top = new Scope(0, undefined);
    const args = rule.head.args ?? [];
    for (const a of args) for (const v of termVars(a)) if (v !== "_") top.declared.set(v, v);
    const headTerms: Term[] = [...suffix];
    if (rule.head.key) headTerms.push(rule.head.key);
    if (rule.head.value) headTerms.push(rule.head.value);
    this.collect(rule.body, top, headTerms);
    const resolvedArgs = args.map((a) => this.term(a, top));
    const body = this.body(rule.body, top);
    return {
      args: resolvedArgs,
      suffix: suffix.map((t) => this.term(t, top)),
      key: rule.head.key && this.term(rule.head.key, top),
      value: rule.head.value && this.term(rule.head.value, top),
      body,
    };
  }

  /** Resolves a query body: its variables keep their names. */
  resolveQuery(body: Body): Body {
    const top = new Scope(0, undefined);
    this.collect(body, top, []);
    return this.body(body, top);
  }

  // --- scopes -------------------------------------------------------------

  /** Records the variables a body uses directly. Names it declares (`some`,
   *  `:=`, `some … in`) are not body variables; they enter the scope only
   *  where they are declared (see declareIn), as in OPA, so a closure
   *  written before `x := …` has its own x. */
  private collect(body: Body, scope: Scope, extra: Term[]): void {
    const declaredHere = new Set<string>();
    for (const e of body) for (const v of declaredBy(e)) declaredHere.add(v);
    const use = (t: Term) => {
      for (const v of termVars(t)) {
        if (v === "_" || declaredHere.has(v) || scope.declared.has(v) || this.isGlobal(v)) continue;
        scope.bodyVars.add(v);
      }
    };
    for (const t of extra) use(t);
    for (const e of body) {
      const k = e.kind;
      switch (k.type) {
        case "term":
          use(k.term);
          break;
        case "unify":
        case "assign":
          use(k.lhs);
          use(k.rhs);
          break;
        case "somein":
          use(k.collection);
          break;
        case "every":
          use(k.domain);
          break;
        case "some":
          break;
      }
      for (const w of e.with) use(w.value);
    }
  }

  private isGlobal(name: string): boolean {
    return name === "input" || name === "data" || this.ms.imports.has(name) || this.ms.ruleNames.has(name);
  }

  /** The term a variable occurrence stands for. */
  private lookup(v: VarTerm, scope: Scope): Term {
    if (v.name === "_") return this.gen.wildcard(v.loc, scope.id);
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const d = s.declared.get(v.name);
      if (d !== undefined) return varTerm(d, v.loc);
    }
    if (v.name === "input") return v;
    // `data` alone is the whole document (rules and base data merged): a ref
    if (v.name === "data") return refTerm([v], v.loc);
    const imp = this.ms.imports.get(v.name);
    if (imp) return relocate(imp, v.loc);
    if (this.ms.ruleNames.has(v.name)) {
      return refTerm(
        [varTerm("data", v.loc), ...this.ms.packagePath.map((p) => stringTerm(p, v.loc)), stringTerm(v.name, v.loc)],
        v.loc,
      );
    }
    let owner: Scope | undefined;
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.bodyVars.has(v.name)) owner = s;
    return varTerm((owner ?? scope).localName(v.name), v.loc);
  }

  // --- terms --------------------------------------------------------------

  term(t: Term, scope: Scope): Term {
    switch (t.type) {
      case "null":
      case "boolean":
      case "number":
      case "string":
        return t;
      case "var":
        return this.lookup(t, scope);
      case "ref":
        return this.ref(t, scope);
      case "array":
        return { ...t, items: t.items.map((x) => this.term(x, scope)) };
      case "set":
        return { ...t, items: t.items.map((x) => this.term(x, scope)) };
      case "object":
        return { ...t, items: t.items.map(([k, v]) => [this.term(k, scope), this.term(v, scope)] as [Term, Term]) };
      case "call":
        return this.call(t.op, t.args, t.loc, scope);
      case "template": {
        const parts = t.parts.map((p) => (typeof p === "string" ? p : this.term(p, scope)));
        if (!t.withs) return { ...t, parts };
        const withs: Record<number, With[]> = {};
        for (const [i, ws] of Object.entries(t.withs)) withs[Number(i)] = ws.map((w) => this.with(w, scope));
        return { ...t, parts, withs };
      }
      case "arraycomp":
      case "setcomp": {
        const inner = new Scope(this.gen.nextScopeId(scope.id), scope);
        this.collect(t.body, inner, [t.term]);
        // the body first: it declares what the head may use
        const body = this.body(t.body, inner);
        const r = { ...t, term: this.term(t.term, inner), body };
        this.gen.closureScope.set(r, inner.id);
        return r;
      }
      case "objectcomp": {
        const inner = new Scope(this.gen.nextScopeId(scope.id), scope);
        this.collect(t.body, inner, [t.key, t.value]);
        const body = this.body(t.body, inner);
        const r = { ...t, key: this.term(t.key, inner), value: this.term(t.value, inner), body };
        this.gen.closureScope.set(r, inner.id);
        return r;
      }
    }
  }

  private ref(t: RefTerm, scope: Scope): Term {
    const head = this.term(t.terms[0]!, scope);
    const rest = t.terms.slice(1).map((x) => this.term(x, scope));
    if (head.type === "ref") return { type: "ref", terms: [...head.terms, ...rest], loc: t.loc };
    if (rest.length === 0) return head;
    return { type: "ref", terms: [head, ...rest], loc: t.loc };
  }

  /** Resolves a call's operator to a data ref (Rego function) or a builtin. */
  private call(op: RefTerm, rawArgs: Term[], loc: Location, scope: Scope, statement = false): Term {
    const args = rawArgs.map((a) => this.term(a, scope));
    const name = operatorName(op);
    if (name === undefined) {
      this.ms.problems.add("rego_type_error", `illegal call: operator ${termText(op)} is not a function name`, loc);
      return { type: "call", op, args, loc };
    }
    const head = op.terms[0] as VarTerm;
    const selectors = op.terms.slice(1);
    // A local variable cannot be called.
    let path: string[] | undefined;
    if (head.name === "data") {
      path = selectors.map((s) => (s as { value: string }).value);
    } else if (this.ms.imports.has(head.name)) {
      const imp = this.ms.imports.get(head.name)!;
      const impHead = imp.terms[0] as VarTerm;
      if (impHead.name === "data") {
        path = [...imp.terms.slice(1).map((s) => (s as { value: string }).value), ...selectors.map((s) => (s as { value: string }).value)];
      }
    } else if (this.ms.ruleNames.has(head.name)) {
      path = [...this.ms.packagePath, head.name, ...selectors.map((s) => (s as { value: string }).value)];
    }
    if (path && this.ms.functionArity.has(path.join("."))) {
      this.checkArity({ name: `data.${path.join(".")}`, arity: this.ms.functionArity.get(path.join("."))! }, args, statement, loc);
      return {
        type: "call",
        op: refTerm([varTerm("data", op.loc), ...path.map((p) => stringTerm(p, op.loc))], op.loc),
        args,
        loc,
      };
    }
    if (path && lookupNode(this.ms.root, path)) {
      this.ms.problems.add("rego_type_error", `undefined function data.${path.join(".")}`, loc);
      return { type: "call", op, args, loc };
    }
    const builtin = builtinCatalog[name];
    if (builtin) {
      if (!builtin.variadic) this.checkArity({ name, arity: builtin.args.length, builtin }, args, statement, loc);
      const voidCall = voidCallProblem({ name, builtin }, rawArgs, statement);
      if (voidCall) this.ms.problems.add("rego_type_error", voidCall, loc);
      return { type: "call", op: refTerm([varTerm(name, op.loc)], op.loc), args, loc };
    }
    this.ms.problems.add("rego_type_error", `undefined function ${name}`, loc);
    return { type: "call", op, args, loc };
  }

  private checkArity(fn: Parameters<typeof arityProblem>[0], args: Term[], statement: boolean, loc: Location): void {
    const message = arityProblem(fn, args, statement);
    if (message) this.ms.problems.add("rego_type_error", message, loc);
  }

  // --- bodies -------------------------------------------------------------

  body(body: Body, scope: Scope): Body {
    const out: Body = [];
    // OPA drops `some x` declarations, so a closure shares x with this body
    // only if x occurs in this body outside closures; otherwise each closure
    // that uses x has its own (`some i; ys := [y | y := xs[i]]` is safe).
    const usedHere = new Set<string>();
    for (const e of body) for (const t of shallowTerms(e)) termVars(t, usedHere);
    for (const e of body) {
      for (const v of declaredBy(e)) {
        if (e.kind.type === "some" && !usedHere.has(v)) continue;
        scope.declared.set(v, scope.localName(v));
      }
      const r = this.expr(e, scope);
      if (r) out.push(...this.hoistWithValues(r, e, scope.id));
    }
    return out;
  }

  /** OPA's rewriteWithModifiers: a `with` value that needs evaluating (it
   *  holds a ref, a call or a comprehension, and is not a function standing
   *  in for another) is computed by an expression of its own just before,
   *  without the replacement in effect; its variables (`xs[_]`) are then
   *  bound like any others. */
  private hoistWithValues(r: Expr, raw: Expr, scopeId: number): Expr[] {
    if (r.with.length === 0) return [r];
    const pre: Expr[] = [];
    const isBuiltin = (n: string) => !!builtinCatalog[n];
    const withs = r.with.map((w, i) => {
      const rawValue = raw.with[i]!.value;
      if (!requiresEval(w.value)) return w;
      if (functionRefName(rawValue, isBuiltin, this.ms.functionArity) || functionRefName(w.value, isBuiltin, this.ms.functionArity)) return w;
      const v = this.gen.withValue(w.value.loc, scopeId);
      pre.push({ kind: { type: "unify", lhs: v, rhs: w.value }, negated: false, with: [], loc: w.value.loc });
      return { ...w, value: v };
    });
    return pre.length > 0 ? [...pre, { ...r, with: withs }] : [r];
  }

  private expr(e: Expr, scope: Scope): Expr | undefined {
    const k = e.kind;
    const withs = e.with.map((w) => this.with(w, scope));
    switch (k.type) {
      case "some":
        return undefined;
      case "term": {
        const t = k.term;
        const term = t.type === "call" ? this.call(t.op, t.args, t.loc, scope, true) : this.term(t, scope);
        return { ...e, with: withs, kind: { type: "term", term } };
      }
      case "unify":
      case "assign":
        return { ...e, with: withs, kind: { type: k.type, lhs: this.term(k.lhs, scope), rhs: this.term(k.rhs, scope) } };
      case "somein": {
        const coll = this.term(k.collection, scope);
        const key = k.key ? this.term(k.key, scope) : this.gen.wildcard(e.loc, scope.id);
        const value = this.term(k.value, scope);
        const ref: RefTerm =
          coll.type === "ref"
            ? { type: "ref", terms: [...coll.terms, key], loc: coll.loc }
            : { type: "ref", terms: [coll, key], loc: coll.loc };
        return { ...e, with: withs, kind: { type: "unify", lhs: value, rhs: ref } };
      }
      case "every": {
        const domain = this.term(k.domain, scope);
        const inner = new Scope(this.gen.nextScopeId(scope.id), scope);
        const declare = (t: Term) => {
          for (const v of termVars(t)) if (v !== "_") inner.declared.set(v, inner.localName(v));
        };
        if (k.key) declare(k.key);
        declare(k.value);
        this.collect(k.body, inner, []);
        const kind = {
          type: "every" as const,
          key: k.key ? this.term(k.key, inner) : undefined,
          value: this.term(k.value, inner),
          domain,
          body: this.body(k.body, inner),
        };
        this.gen.closureScope.set(kind, inner.id);
        return { ...e, with: withs, kind };
      }
    }
  }

  private with(w: With, scope: Scope): With {
    const value = this.term(w.value, scope);
    const target = w.target;
    const head = target.terms[0] as VarTerm;
    let resolved: RefTerm = target;
    if (head.type === "var" && head.name !== "input" && head.name !== "data") {
      const imp = this.ms.imports.get(head.name);
      if (imp) resolved = { ...target, terms: [...imp.terms, ...target.terms.slice(1)] };
      else if (this.ms.ruleNames.has(head.name)) {
        resolved = {
          ...target,
          terms: [varTerm("data", head.loc), ...this.ms.packagePath.map((p) => stringTerm(p, head.loc)), stringTerm(head.name, head.loc), ...target.terms.slice(1)],
        };
      } else {
        const name = operatorName(target);
        if (name && builtinCatalog[name]) resolved = refTerm([varTerm(name, target.loc)], target.loc);
      }
    }
    return { ...w, target: resolved, value };
  }
}

/** The terms of an expression outside its closures (`every` bodies and
 *  comprehensions are skipped by termVars; `some` declares, it uses nothing). */
function shallowTerms(e: Expr): Term[] {
  const k = e.kind;
  const out: Term[] = e.with.map((w) => w.value);
  switch (k.type) {
    case "term":
      out.push(k.term);
      break;
    case "unify":
    case "assign":
      out.push(k.lhs, k.rhs);
      break;
    case "somein":
      if (k.key) out.push(k.key);
      out.push(k.value, k.collection);
      break;
    case "every":
      out.push(k.domain);
      break;
    case "some":
      break;
  }
  return out;
}

/** OPA's requiresEval: the term holds a ref, a call or a comprehension. */
export function requiresEval(t: Term): boolean {
  switch (t.type) {
    case "ref":
    case "call":
    case "arraycomp":
    case "setcomp":
    case "objectcomp":
      return true;
    case "array":
    case "set":
      return t.items.some(requiresEval);
    case "object":
      return t.items.some(([k, v]) => requiresEval(k) || requiresEval(v));
    case "template":
      return t.parts.some((p) => typeof p !== "string" && requiresEval(p));
    default:
      return false;
  }
}

function relocate(ref: RefTerm, loc: Location): RefTerm {
  return { type: "ref", terms: ref.terms.map((t) => ({ ...t, loc })), loc };
}

/** The variables an expression declares: `some x, y`, `x := …`,
 *  `some k, v in …`. */
function declaredBy(e: Expr): string[] {
  const k = e.kind;
  const out: string[] = [];
  const add = (t: Term) => {
    for (const v of termVars(t)) if (v !== "_") out.push(v);
  };
  if (k.type === "some") k.vars.forEach(add);
  else if (k.type === "assign") add(k.lhs);
  else if (k.type === "somein") {
    if (k.key) add(k.key);
    add(k.value);
  }
  return out;
}
