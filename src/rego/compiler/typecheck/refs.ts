// Checks one ref against the types of what it selects from (OPA's
// refChecker): a key a known object cannot have, a selector into a scalar,
// a function used as a value. Untyped variables in selectors get the type of
// the keys they select.
import type { Term } from "../../ast.js";
import type { TypeEnv } from "./env.js";
import { refInvalid, refUnsupported, sortedKeys, type TermPrinter, type TypeProblem } from "./errors.js";
import { extent, selectConstant, type TypeNode } from "./tree.js";
import { unify1 } from "./unify.js";
import { ANY, keys, unifies, values, type Key, type Maybe } from "./types.js";
import { termVars } from "../terms.js";

export interface RefContext {
  env: TypeEnv;
  /** the types of rule documents, rules below `selectors` already checked */
  dataTree(selectors: readonly Term[]): TypeNode;
  print: TermPrinter;
}

export function checkRef(ctx: RefContext, terms: readonly Term[]): TypeProblem | undefined {
  const { env } = ctx;
  const head = terms[0]!;
  const refType = env.refType(terms);
  if (refType?.k === "function") return refUnsupported(terms, terms.length - 1, refType, ctx.print);
  if (head.type === "var") {
    if (head.name === "data") return checkData(ctx, terms, ctx.dataTree(terms.slice(1)), 1);
    if (head.name === "input") return checkLeaf(ctx, ANY, terms, 1);
    let t = env.varType(head.name);
    if (t === undefined) env.put(head.name, (t = ANY));
    return checkLeaf(ctx, t, terms, 1);
  }
  if (head.type === "array" || head.type === "object" || head.type === "set") unify1(env, head, ANY);
  return checkLeaf(ctx, ANY, terms, 1);
}

/** Follows the ref through the tree of rule documents. */
function checkData(ctx: RefContext, terms: readonly Term[], node: TypeNode, idx: number): TypeProblem | undefined {
  const { env } = ctx;
  if (idx === terms.length) return undefined;
  const head = terms[idx]!;
  const childKeys = () => sortedKeys([...node.children.keys()].map((v): Key => ({ t: "string", v })));
  // No rule document checked yet: all of data is base data, of unknown
  // type. (OPA also rejects a non-string package key such as data[2] when
  // its tree holds some rule by then, which depends on the order it checks
  // rules in: not reproduced.)
  if (node.children.size === 0 && node.value === undefined) return checkLeaf(ctx, ANY, terms, idx);
  if (head.type === "var") {
    const tpe = keys(extent(node));
    const exist = env.varType(head.name);
    if (exist !== undefined) {
      if (!unifies(tpe, exist)) return refInvalid(terms, idx, exist, tpe, childKeys(), ctx.print);
    } else env.put(head.name, tpe);
  }
  const child = head.type === "string" ? node.children.get(head.value) : undefined;
  if (!child) {
    // base data may be there (OPA checks each rule document the selector
    // can reach but keeps no error): what follows is of unknown type
    for (const t of terms.slice(idx + 1)) for (const v of termVars(t)) if (env.varType(v) === undefined) env.put(v, ANY);
    return undefined;
  }
  if (child.value !== undefined) return checkLeaf(ctx, child.value, terms, idx + 1);
  return checkData(ctx, terms, child, idx + 1);
}

/** Follows the ref through a value of type `tpe` (OPA's checkRefLeaf). */
function checkLeaf(ctx: RefContext, tpe: Maybe, terms: readonly Term[], idx: number): TypeProblem | undefined {
  const { env } = ctx;
  for (; idx < terms.length; idx++) {
    const head = terms[idx]!;
    const k = keys(tpe);
    if (k === undefined) return refUnsupported(terms, idx - 1, tpe, ctx.print);
    switch (head.type) {
      case "var": {
        const exist = env.varType(head.name);
        if (exist !== undefined) {
          if (!unifies(exist, k)) return refInvalid(terms, idx, exist, k, oneOfForType(tpe), ctx.print);
        } else env.put(head.name, k);
        break;
      }
      case "ref": {
        const exist = env.refType(head.terms);
        if (!unifies(exist, k)) return refInvalid(terms, idx, exist, k, oneOfForType(tpe), ctx.print);
        break;
      }
      case "array":
      case "object":
      case "set":
        if (!unify1(env, head, k)) return refInvalid(terms, idx, env.typeOf(head), k, [], ctx.print);
        break;
      case "null":
      case "boolean":
      case "number":
      case "string": {
        const child = selectConstant(tpe, head);
        if (child === undefined) return refInvalid(terms, idx, undefined, k, oneOfForType(tpe), ctx.print);
        tpe = child;
        continue;
      }
      default:
        // comprehensions, templates: any member
        break;
    }
    tpe = values(tpe);
  }
  return undefined;
}

/** The static keys of an object type (of each object in a union). */
function oneOfForType(t: Maybe): Key[] {
  const out: Key[] = [];
  const add = (x: Maybe) => {
    if (x?.k === "object") for (const p of x.static) out.push(p.key);
    else if (x?.k === "any") x.of.forEach(add);
  };
  add(t);
  return sortedKeys(out);
}

