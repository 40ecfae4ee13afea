// A type environment (OPA's TypeEnv): the types of a body's variables, one
// level per nested body (rule, comprehension), over the types of the
// documents under `data`. `typeOf` is OPA's GetByValue.
import type { ArrayComprehension, ArrayTerm, ObjectComprehension, ObjectTerm, SetComprehension, SetTerm, Term } from "../../ast.js";
import { isGround } from "../terms.js";
import { selectRef, termKey } from "./tree.js";
import { ANY, arrayOf, objectOf, or, scalarType, setOf, STRING, type Maybe, type StaticProperty } from "./types.js";

export type Comprehension = ArrayComprehension | SetComprehension | ObjectComprehension;

/** What an environment asks of the checker that owns it. */
export interface EnvHost {
  /** the type of `data` followed by `selectors`, rules it reads checked first */
  dataType(selectors: readonly Term[]): Maybe;
  /** the type of a comprehension, its body checked in `env`; undefined when
   *  the body has type errors */
  comprehensionType(t: Comprehension, env: TypeEnv): Maybe;
}

const constantTypes = new WeakMap<Term, Maybe>();

export class TypeEnv {
  /** made on the first variable (most levels hold none) */
  private vars?: Map<string, Maybe>;

  constructor(
    readonly host: EnvHost,
    readonly next?: TypeEnv,
  ) {}

  /** A new level for a nested body. */
  wrap(): TypeEnv {
    return new TypeEnv(this.host, this);
  }

  /** The type of a variable at the nearest level that knows it (a level may
   *  know a variable without a type). */
  varType(name: string): Maybe {
    for (let e: TypeEnv | undefined = this; e; e = e.next) if (e.vars?.has(name)) return e.vars.get(name);
    return undefined;
  }

  /** Sets a variable's type at this level. */
  put(name: string, t: Maybe): void {
    (this.vars ??= new Map()).set(name, t);
  }

  /** The type of a term (OPA's GetByValue). Refs the checker cannot type are
   *  any, never unknown: an unknown type would fail every check it meets. */
  typeOf(t: Term): Maybe {
    switch (t.type) {
      case "null":
      case "boolean":
      case "number":
      case "string":
        return scalarType(t.type);
      case "template":
        return STRING;
      case "var":
        return t.name === "input" ? ANY : this.varType(t.name);
      case "ref":
        return this.refType(t.terms);
      case "array":
      case "set":
      case "object": {
        // the types of constants (large test fixtures among them) are
        // computed once
        const known = constantTypes.get(t);
        if (known) return known;
        const type = this.compositeType(t);
        if (type && isGround(t)) constantTypes.set(t, type);
        return type;
      }
      case "arraycomp":
      case "setcomp":
      case "objectcomp":
        return this.host.comprehensionType(t, this);
      case "call":
        // calls are taken out of terms before types are asked for
        return undefined;
    }
  }

  private compositeType(t: ArrayTerm | SetTerm | ObjectTerm): Maybe {
    switch (t.type) {
      case "array":
        return t.items.length === 0 ? arrayOf([], ANY) : arrayOf(t.items.map((x) => this.typeOf(x)));
      case "set": {
        let of: Maybe;
        for (const x of t.items) of = or(of, this.typeOf(x));
        return setOf(of ?? ANY);
      }
      case "object": {
        const props: StaticProperty[] = [];
        let dyn: { key: Maybe; value: Maybe } | undefined;
        for (const [k, v] of t.items) {
          const key = termKey(k);
          if (key) props.push({ key, value: this.typeOf(v) });
          else dyn = { key: or(dyn?.key, this.typeOf(k)), value: or(dyn?.value, this.typeOf(v)) };
        }
        if (props.length === 0 && !dyn) dyn = { key: ANY, value: ANY };
        return objectOf(props, dyn);
      }
    }
  }

  /** The type of a ref (OPA's GetByRef). */
  refType(terms: readonly Term[]): Maybe {
    const head = terms[0]!;
    const selectors = terms.slice(1);
    if (head.type === "var") {
      if (head.name === "data") return this.host.dataType(selectors);
      if (head.name === "input") return ANY;
    }
    const base = this.typeOf(head);
    if (base === undefined) return ANY;
    return selectRef(base, selectors) ?? ANY;
  }
}
