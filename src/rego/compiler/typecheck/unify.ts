// Unification of terms with types (OPA's unify1 / unify2): whether a term can
// take a value of a type, giving its untyped variables that type on the way.
import type { ArrayTerm, ObjectTerm, SetTerm, Term } from "../../ast.js";
import type { TypeEnv } from "./env.js";
import { selectConstant, termKey } from "./tree.js";
import { termText } from "../../parser/print.js";
import { ANY, isNil, or, unifies, type ArrayType, type Maybe, type ObjectType, type SetType } from "./types.js";

/** Can `term` take a value of type `tpe`? With `union`, a variable's type
 *  grows by `tpe` instead of being checked against it. */
export function unify1(env: TypeEnv, term: Term, tpe: Maybe, union = false): boolean {
  switch (term.type) {
    case "array":
    case "object":
    case "set":
      return unifyComposite(env, term, tpe, union);
    case "var": {
      if (term.name === "input") return unifies(ANY, tpe);
      if (union) {
        env.put(term.name, or(env.varType(term.name), tpe));
        return true;
      }
      const exist = env.varType(term.name);
      if (exist !== undefined) return unifies(exist, tpe);
      env.put(term.name, tpe);
      return true;
    }
    default:
      return unifies(env.typeOf(term), tpe);
  }
}

function unifyComposite(env: TypeEnv, term: ArrayTerm | ObjectTerm | SetTerm, tpe: Maybe, union: boolean): boolean {
  if (tpe === undefined) return false;
  if (tpe.k === "any") {
    if (tpe.of.length === 0) {
      for (const t of compositeTerms(term)) unify1(env, t, ANY, true);
      return true;
    }
    let ok = false;
    for (const member of tpe.of) ok = unify1(env, term, member, true) || ok;
    return ok;
  }
  if (term.type === "array") return tpe.k === "array" && unifyArray(env, term, tpe, union);
  if (term.type === "object") return tpe.k === "object" && unifyObject(env, term, tpe, union);
  return tpe.k === "set" && unifySet(env, term, tpe, union);
}

function compositeTerms(term: ArrayTerm | ObjectTerm | SetTerm): Term[] {
  return term.type === "object" ? term.items.flat() : term.items;
}

function unifyArray(env: TypeEnv, term: ArrayTerm, tpe: ArrayType, union: boolean): boolean {
  if (term.items.length !== tpe.static.length && tpe.dynamic === undefined) return false;
  return term.items.every((x, i) => unify1(env, x, i < tpe.static.length ? tpe.static[i] : tpe.dynamic, union));
}

function unifyObject(env: TypeEnv, term: ObjectTerm, tpe: ObjectType, union: boolean): boolean {
  if (term.items.length !== tpe.static.length && tpe.dynamic?.value === undefined) return false;
  for (const [k, v] of term.items) {
    if (termKey(k)) {
      const child = selectConstant(tpe, k);
      if (child === undefined || !unify1(env, v, child, union)) return false;
    } else {
      // OPA types values under keys it cannot select as any
      unify1(env, v, ANY, union);
    }
  }
  return true;
}

function unifySet(env: TypeEnv, term: SetTerm, tpe: SetType, union: boolean): boolean {
  return term.items.every((x) => unify1(env, x, tpe.of, union));
}

/** Can `a` (of type `ta`) and `b` (of type `tb`) be equal? Where one side's
 *  type is unknown, it is unified with the other's (OPA's unify2). */
export function unify2(env: TypeEnv, a: Term, ta: Maybe, b: Term, tb: Maybe): boolean {
  const nilA = isNil(ta);
  const nilB = isNil(tb);
  if (nilA && !nilB) return unify1(env, a, tb);
  if (nilB && !nilA) return unify1(env, b, ta);
  if (!nilA && !nilB) return unifies(ta, tb);
  if (a.type === "array") return unify2Array(env, a, b);
  if (a.type === "object") return unify2Object(env, a, b);
  if (a.type === "var") {
    if (b.type === "var") return unify1(env, a, ANY) && unify1(env, b, env.typeOf(a));
    if (b.type === "array") return unify2Array(env, b, a);
    if (b.type === "object") return unify2Object(env, b, a);
  }
  return false;
}

function unify2Array(env: TypeEnv, a: ArrayTerm, b: Term): boolean {
  if (b.type === "array") {
    if (a.items.length !== b.items.length) return false;
    return a.items.every((x, i) => {
      const y = b.items[i]!;
      return unify2(env, x, env.typeOf(x), y, env.typeOf(y));
    });
  }
  if (b.type === "var") return unify1(env, a, ANY) && unify1(env, b, env.typeOf(a));
  return false;
}

function unify2Object(env: TypeEnv, a: ObjectTerm, b: Term): boolean {
  if (b.type === "object") {
    // only objects with the same keys (OPA's Intersect)
    const common: [Term, Term][] = [];
    for (const [ka, va] of a.items) {
      const match = b.items.find(([kb]) => sameKey(ka, kb));
      if (match) common.push([va, match[1]]);
    }
    if (a.items.length !== b.items.length || b.items.length !== common.length) return false;
    return common.every(([x, y]) => unify2(env, x, env.typeOf(x), y, env.typeOf(y)));
  }
  if (b.type === "var") return unify1(env, a, ANY) && unify1(env, b, env.typeOf(a));
  return false;
}

function sameKey(a: Term, b: Term): boolean {
  const x = termKey(a);
  const y = termKey(b);
  if (!x || !y) return !x && !y && termText(a) === termText(b);
  if (x.t !== y.t) return false;
  switch (x.t) {
    case "null":
      return true;
    case "boolean":
    case "string":
      return x.v === (y as typeof x).v;
    case "number":
      return Number(x.raw) === Number((y as typeof x).raw);
  }
}
