// Type checking of one body (OPA's CheckBody): each expression's closures,
// then its refs, then the expression itself — a call against the function's
// declared argument types, a unification of two terms whose types cannot be
// equal — inferring the types of variables as it goes.
import type { Body, Expr, Location, Term, VarTerm, With } from "../../ast.js";
import { requiresEval } from "../resolve.js";
import { walkTerm } from "../terms.js";
import { TypeEnv, type Comprehension, type EnvHost } from "./env.js";
import { argError, matchError, printerFor, type TypeProblem, type WantArgs } from "./errors.js";
import { callName, flattenExpr, type Step } from "./flatten.js";
import { checkRef } from "./refs.js";
import type { TypeNode } from "./tree.js";
import { arrayOf, isNil, objectOf, setOf, unifies, type FunctionType, type Maybe } from "./types.js";
import { unify1, unify2 } from "./unify.js";

/** A function as the checker knows it: its type and how OPA prints it. */
export interface FunctionInfo {
  name: string;
  type: FunctionType;
  argNames?: readonly string[];
  resultName?: string;
}

/** What a body's checker needs from the policy-wide one. */
export interface PolicyHost {
  dataType(selectors: readonly Term[]): Maybe;
  dataTree(selectors: readonly Term[]): TypeNode;
  /** the function a call or `with` names, when its type is known */
  functionOf(t: Term): FunctionInfo | undefined;
}

interface ClosureResult {
  env: TypeEnv;
  type: Maybe;
  errors: TypeProblem[];
}

/** Checks the bodies of one rule (and the closures in them). */
export class BodyChecker implements EnvHost {
  /** values taken out of expressions, by the variable that holds them */
  private readonly shown = new Map<string, Term>();
  private readonly closures = new Map<Comprehension, ClosureResult>();
  /** the values (calls taken out) that variables the compiler made hold */
  readonly held = new Map<string, Term>();
  private readonly print = printerFor(this.shown);
  private n = 0;

  constructor(private readonly host: PolicyHost) {}

  dataType(selectors: readonly Term[]): Maybe {
    return this.host.dataType(selectors);
  }

  rootEnv(): TypeEnv {
    return new TypeEnv(this);
  }

  private fresh = (shownAs: Term): VarTerm => {
    const name = `$t${this.n++}`;
    this.shown.set(name, shownAs);
    return { type: "var", name, loc: shownAs.loc };
  };

  checkBody(outer: TypeEnv, body: Body): { env: TypeEnv; errors: TypeProblem[] } {
    const env = outer.wrap();
    const errors: TypeProblem[] = [];
    for (const e of body) {
      for (const step of flattenExpr(e, this.fresh)) {
        const closureErrors = this.checkClosures(env, step);
        const refErrors = this.checkRefs(env, step);
        const err = this.checkStep(env, step);
        errors.push(...closureErrors, ...refErrors);
        // an error about an unknown type is dropped when the ref or closure
        // error that made the type unknown was reported
        if (err && !(err.nilCaused && closureErrors.length + refErrors.length > 0)) errors.push(err);
      }
    }
    return { env, errors };
  }

  // ---- closures ---------------------------------------------------------------

  comprehensionType(t: Comprehension, env: TypeEnv): Maybe {
    return this.comprehension(t, env).type;
  }

  private comprehension(t: Comprehension, env: TypeEnv): ClosureResult {
    const cached = this.closures.get(t);
    if (cached && cached.env === env) return cached;
    // head terms that need evaluation are computed at the end of the body
    const extra: Expr[] = [];
    const head = (x: Term): Term => {
      if (!requiresEval(x)) return x;
      const v = this.fresh(x);
      extra.push({ kind: { type: "unify", lhs: v, rhs: x }, negated: false, with: [], loc: x.loc });
      return v;
    };
    const heads = t.type === "objectcomp" ? [head(t.key), head(t.value)] : [head(t.term)];
    const { env: inner, errors } = this.checkBody(env, [...t.body, ...extra]);
    let type: Maybe;
    if (errors.length === 0) {
      const [a, b] = heads.map((x) => inner.typeOf(x));
      if (t.type === "arraycomp") type = arrayOf([], a);
      else if (t.type === "setcomp") type = setOf(a);
      else type = objectOf([], { key: a, value: b });
    }
    const result = { env, type, errors };
    this.closures.set(t, result);
    return result;
  }

  private checkClosures(env: TypeEnv, step: Step): TypeProblem[] {
    const errors: TypeProblem[] = [];
    for (const t of stepTerms(step)) {
      walkTerm(
        t,
        (x) => {
          if (x.type === "arraycomp" || x.type === "setcomp" || x.type === "objectcomp") {
            errors.push(...this.comprehension(x, env).errors);
            return false;
          }
          return undefined;
        },
        false,
      );
    }
    return errors;
  }

  // ---- refs -------------------------------------------------------------------

  private checkRefs(env: TypeEnv, step: Step): TypeProblem[] {
    const errors: TypeProblem[] = [];
    const ctx = { env, dataTree: (s: readonly Term[]) => this.host.dataTree(s), print: this.print };
    const visit = (x: Term): boolean | void => {
      switch (x.type) {
        case "ref": {
          const err = checkRef(ctx, x.terms);
          if (err) errors.push(err);
          return undefined;
        }
        case "call":
          // the operator names a function; print's arguments are not checked
          if (!isPrint(x)) for (const a of x.args) walkTerm(a, visit, false);
          return false;
        case "arraycomp":
        case "setcomp":
        case "objectcomp":
        case "template":
          return false;
        default:
          return undefined;
      }
    };
    for (const t of stepTerms(step)) walkTerm(t, visit, false);
    return errors;
  }

  // ---- expressions ------------------------------------------------------------

  private checkStep(env: TypeEnv, step: Step): TypeProblem | undefined {
    const w = this.checkWith(step.with);
    if (w) return w;
    if (step.k === "eq") {
      const ta = env.typeOf(step.a);
      const tb = env.typeOf(step.b);
      // A variable the compiler made to hold a value (a rule head's, a with
      // value's, a call argument's) just takes its type: OPA keeps some of
      // these values where they are (a head whose calls it took out) and
      // fails its own unification for others (a set with a part of unknown
      // type), so no match error is reported for them.
      if (step.a.type === "var" && step.a.name.startsWith("$") && ta === undefined) {
        env.put(step.a.name, tb);
        this.held.set(step.a.name, step.b);
        return undefined;
      }
      if (!unify2(env, step.a, ta, step.b, tb)) return matchError(step.loc, ta, tb, isNil(ta) || isNil(tb));
      return undefined;
    }
    if (step.k === "call") return this.checkCall(env, step.call, step.args, step.loc);
    return undefined;
  }

  private checkCall(env: TypeEnv, call: Term, args: readonly Term[], loc: Location): TypeProblem | undefined {
    const fn = this.host.functionOf(call);
    if (!fn) return undefined;
    const { type } = fn;
    const want = wantOf(fn, true);
    const have = () => args.map((a) => env.typeOf(a));
    const error = (what: string) => {
      const h = have();
      return argError(loc, fn.name, what, h, want, h.some(isNil));
    };
    if (args.length > want.args.length && type.variadic === undefined) return error("too many arguments");
    if (args.length < type.args.length) return error("too few arguments");
    for (let i = 0; i < args.length; i++) {
      const t = i < want.args.length ? want.args[i] : type.variadic;
      if (!unify1(env, args[i]!, t)) return error("invalid argument(s)");
    }
    return undefined;
  }

  /** `with f as g`: g must take the arguments f takes. */
  private checkWith(withs: readonly With[]): TypeProblem | undefined {
    for (const w of withs) {
      const target = this.host.functionOf(w.target);
      if (!target) continue;
      const value = this.host.functionOf(w.value);
      if (!value || unifies(target.type, value.type)) continue;
      return argError(w.loc, target.name, "arity mismatch", value.type.args, wantOf(target, false), false);
    }
    return undefined;
  }
}

function wantOf(fn: FunctionInfo, withResult: boolean): WantArgs {
  const args: Maybe[] = [...fn.type.args];
  const names: (string | undefined)[] = fn.argNames ? [...fn.argNames] : [];
  if (withResult && fn.type.result !== undefined) {
    args.push(fn.type.result);
    names[args.length - 1] = fn.resultName;
  }
  const want: WantArgs = { args, names };
  return fn.type.variadic ? { ...want, variadic: fn.type.variadic } : want;
}

function isPrint(t: Term): boolean {
  return t.type === "call" && (callName(t) === "print" || callName(t) === "internal.print");
}

/** The terms of a step whose refs and closures are checked with it. */
function stepTerms(step: Step): Term[] {
  switch (step.k) {
    case "call":
      return step.args;
    case "eq":
      return [step.a, step.b];
    case "term":
      return [step.t];
    case "every": {
      const out: Term[] = [];
      if (step.every.key) out.push(step.every.key);
      out.push(step.every.value);
      for (const e of step.every.body) out.push(...exprTerms(e));
      return out;
    }
  }
}

/** Every term of an expression inside an `every` body (whose expressions
 *  OPA checks for refs and closures only). */
function exprTerms(e: Expr): Term[] {
  const k = e.kind;
  switch (k.type) {
    case "term":
      return isPrint(k.term) ? [] : [k.term];
    case "unify":
    case "assign":
      return [k.lhs, k.rhs];
    case "every": {
      const out: Term[] = [k.domain];
      if (k.key) out.push(k.key);
      out.push(k.value);
      for (const x of k.body) out.push(...exprTerms(x));
      return out;
    }
    default:
      return [];
  }
}
