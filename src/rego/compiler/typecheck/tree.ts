// The types of the documents rules define under `data` (OPA's type tree for
// virtual documents): a tree keyed by the ground path of each rule, holding
// the rule's inferred type at its node. Paths without rules are not in the
// tree: a ref there is base data, whose type is unknown to the compiler (any).
import type { Term } from "../../ast.js";
import { isGround } from "../terms.js";
import {
  ANY,
  objectOf,
  or,
  select,
  STRING,
  values,
  type Key,
  type Maybe,
  type ObjectType,
  type Type,
} from "./types.js";

export interface TypeNode {
  readonly children: Map<string, TypeNode>;
  /** the type of the rules at this node; absent: no rule here (yet) */
  value: Maybe;
  /** extent() as of the last change below this node */
  extent?: Type;
}

export function newTypeNode(): TypeNode {
  return { children: new Map(), value: undefined };
}

/** A scalar term as an object key, or undefined for anything else. */
export function termKey(t: Term): Key | undefined {
  switch (t.type) {
    case "null":
      return { t: "null" };
    case "boolean":
      return { t: "boolean", v: t.value };
    case "number":
      return { t: "number", raw: t.raw };
    case "string":
      return { t: "string", v: t.value };
    default:
      return undefined;
  }
}

/** The type of member `t` of `tpe` when `t` is a scalar (OPA's
 *  selectConstant); undefined when there is no such member. */
export function selectConstant(tpe: Maybe, t: Term): Maybe {
  const k = termKey(t);
  return k ? select(tpe, k) : undefined;
}

/** The type reached by following `selectors` from `tpe` (OPA's selectRef):
 *  a selector that is not a scalar selects any value. */
export function selectRef(tpe: Maybe, selectors: readonly Term[]): Maybe {
  let t = tpe;
  for (const s of selectors) {
    if (t === undefined) return undefined;
    t = termKey(s) ? selectConstant(t, s) : values(t);
  }
  return t;
}

/** The type of the whole document at a node: its rules' type, or an object
 *  of its children's documents (open: base data may add keys). */
export function extent(node: TypeNode): Type {
  if (node.value !== undefined) return node.value;
  if (node.extent) return node.extent;
  const props = [...node.children].map(([k, c]) => ({ key: { t: "string" as const, v: k }, value: extent(c) as Maybe }));
  return (node.extent = objectOf(props, { key: STRING, value: ANY }));
}

/** The type of `data` followed by `selectors` (OPA's GetByRef on the data
 *  tree); any where no rule decides it. */
export function dataRefType(root: TypeNode, selectors: readonly Term[]): Maybe {
  let node = root;
  for (let i = 0; i < selectors.length; i++) {
    if (node.value !== undefined) return selectRef(node.value, selectors.slice(i));
    const s = selectors[i]!;
    if (!isGround(s)) return selectRef(extent(node), selectors.slice(i));
    const child = s.type === "string" ? node.children.get(s.value) : undefined;
    if (!child) return ANY;
    node = child;
  }
  return extent(node);
}

/** Records `tpe` as (one more) type of the rules at `path`, merging it into
 *  objects on the way and merging the leaves below into an inserted object
 *  (OPA's typeTreeNode.Insert). */
export function insertType(root: TypeNode, path: readonly string[], tpe: Type): void {
  let node = root;
  root.extent = undefined;
  for (let i = 0; i < path.length; i++) {
    const k = path[i]!;
    let child = node.children.get(k);
    if (!child) {
      child = newTypeNode();
      node.children.set(k, child);
    } else if (child.value?.k === "object" && i + 1 < path.length) {
      child.value = insertIntoObject(child.value, path.slice(i + 1), tpe);
    }
    node = child;
    node.extent = undefined;
  }
  node.value = mergeTypes(node.value, tpe);
  if (tpe.k === "object" && node.children.size > 0 && node.value?.k === "object") {
    let merged: ObjectType = node.value;
    for (const [p, t] of leaves(node)) merged = insertIntoObject(merged, p, t);
    node.value = merged;
  }
}

/** Replaces the type at `path` (OPA's Put: a rule with errors is any). */
export function putType(root: TypeNode, path: readonly string[], tpe: Type): void {
  let node = root;
  root.extent = undefined;
  for (const k of path) {
    let child = node.children.get(k);
    if (!child) node.children.set(k, (child = newTypeNode()));
    node = child;
    node.extent = undefined;
  }
  node.value = tpe;
}

function leaves(node: TypeNode, prefix: string[] = [], out: [string[], Type][] = []): [string[], Type][] {
  for (const [k, c] of node.children) {
    const p = [...prefix, k];
    if (c.value !== undefined) out.push([p, c.value]);
    else leaves(c, p, out);
  }
  return out;
}

/** Adds a value of type `tpe` under the string keys `path` to the dynamic
 *  part of an object type. */
function insertIntoObject(o: ObjectType, path: readonly string[], tpe: Type): ObjectType {
  if (path.length === 0) return o;
  const value: Type = path.length === 1 ? tpe : insertIntoObject(objectOf([]), path.slice(1), tpe);
  const dyn = o.dynamic ? { key: or(o.dynamic.key, STRING), value: or(o.dynamic.value, value) } : { key: STRING as Maybe, value: value as Maybe };
  return objectOf(o.static, dyn);
}

/** How the types of several rules at one node combine (OPA's mergeTypes):
 *  sets and open objects merge their members, anything else is a union. */
export function mergeTypes(a: Maybe, b: Maybe): Maybe {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.k === "object" && b.k === "object" && a.static.length === 0 && b.static.length === 0) {
    const ad = a.dynamic;
    const bd = b.dynamic;
    return objectOf([], { key: or(ad?.key, bd?.key), value: mergeTypes(ad?.value, bd?.value) });
  }
  if (a.k === "set" && b.k === "set") return { k: "set", of: or(a.of, b.of) };
  if (a.k === "any" && b.k !== "any") return mergeTypes(b, a);
  return or(a, b);
}

