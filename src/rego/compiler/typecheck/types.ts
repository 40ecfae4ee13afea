// The type lattice of OPA's type checker (its `types` package): the types a
// Rego value can have as far as the compiler can tell, how they combine, and
// how OPA prints them in error messages.
//
// `undefined` plays the part of OPA's nil type ("not known yet"); it may
// appear inside composite types too. `any` with no members is the top type;
// with members it is a union. The checker is only as strict as these types
// are precise: when in doubt, a type must be wider (any), never narrower.

export type Type =
  | { readonly k: "null" }
  | { readonly k: "boolean" }
  | { readonly k: "number" }
  | { readonly k: "string" }
  | ArrayType
  | ObjectType
  | SetType
  | AnyType
  | FunctionType;

/** A type or OPA's nil ("unknown"). */
export type Maybe = Type | undefined;

export interface ArrayType {
  readonly k: "array";
  /** types of the first elements (a tuple) */
  readonly static: readonly Maybe[];
  /** type of the elements after the static ones; absent: exactly `static` */
  readonly dynamic?: Maybe;
}

/** A scalar object key known at compile time (OPA keeps JSON values). */
export type Key =
  | { readonly t: "null" }
  | { readonly t: "boolean"; readonly v: boolean }
  | { readonly t: "number"; readonly raw: string }
  | { readonly t: "string"; readonly v: string };

export interface StaticProperty {
  readonly key: Key;
  readonly value: Maybe;
}

export interface ObjectType {
  readonly k: "object";
  /** sorted by key */
  readonly static: readonly StaticProperty[];
  readonly dynamic?: { readonly key: Maybe; readonly value: Maybe };
}

export interface SetType {
  readonly k: "set";
  readonly of: Maybe;
}

export interface AnyType {
  readonly k: "any";
  /** sorted, without duplicates; empty means every type */
  readonly of: readonly Type[];
}

export interface FunctionType {
  readonly k: "function";
  readonly args: readonly Maybe[];
  /** absent for functions without a result (print) */
  readonly result?: Maybe;
  /** type of any further arguments (print) */
  readonly variadic?: Type;
}

// ---- constructors ---------------------------------------------------------

export const NULL: Type = { k: "null" };
export const BOOLEAN: Type = { k: "boolean" };
export const NUMBER: Type = { k: "number" };
export const STRING: Type = { k: "string" };
/** the top type */
export const ANY: AnyType = { k: "any", of: [] };

export function arrayOf(staticTypes: readonly Maybe[], dynamic?: Maybe): ArrayType {
  return dynamic === undefined ? { k: "array", static: staticTypes } : { k: "array", static: staticTypes, dynamic };
}

export function setOf(of: Maybe): SetType {
  return { k: "set", of };
}

export function objectOf(props: readonly StaticProperty[], dynamic?: { key: Maybe; value: Maybe }): ObjectType {
  const sorted = [...props].sort((a, b) => compareKeys(a.key, b.key));
  return dynamic ? { k: "object", static: sorted, dynamic } : { k: "object", static: sorted };
}

export function anyOf(...types: Type[]): AnyType {
  let out: AnyType = { k: "any", of: [] };
  let first = true;
  for (const t of types) {
    out = first ? { k: "any", of: [t] } : mergeAny(out, t);
    first = false;
  }
  return out;
}

export function functionOf(args: readonly Maybe[], result?: Maybe, variadic?: Type): FunctionType {
  const f: { k: "function"; args: readonly Maybe[]; result?: Maybe; variadic?: Type } = { k: "function", args };
  if (result !== undefined) f.result = result;
  if (variadic !== undefined) f.variadic = variadic;
  return f;
}

// ---- keys -------------------------------------------------------------------

const keyRank = { null: 0, boolean: 1, number: 2, string: 3 } as const;

export function compareKeys(a: Key, b: Key): number {
  if (a.t !== b.t) return keyRank[a.t] - keyRank[b.t];
  switch (a.t) {
    case "null":
      return 0;
    case "boolean":
      return Number(a.v) - Number((b as typeof a).v);
    case "number": {
      const x = Number(a.raw);
      const y = Number((b as typeof a).raw);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "string": {
      const y = (b as typeof a).v;
      return a.v < y ? -1 : a.v > y ? 1 : 0;
    }
  }
}

/** The type of a key's value (OPA's TypeOf). */
export function keyType(k: Key): Type {
  return scalarType(k.t);
}

/** The type of a scalar by its kind. */
export function scalarType(kind: "null" | "boolean" | "number" | "string"): Type {
  return kind === "null" ? NULL : kind === "boolean" ? BOOLEAN : kind === "number" ? NUMBER : STRING;
}

/** How Go's %v prints a key (strings unquoted). */
function keyText(k: Key): string {
  switch (k.t) {
    case "null":
      return "<nil>";
    case "boolean":
      return String(k.v);
    case "number":
      return k.raw;
    case "string":
      return k.v;
  }
}

// ---- order ------------------------------------------------------------------

function order(t: Maybe): number {
  if (t === undefined) return -1;
  return { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6, any: 7, function: 8 }[t.k];
}

/** OPA's total order on types (types.Compare); 0 means equal. */
export function compare(a: Maybe, b: Maybe): number {
  if (a === b) return 0;
  const x = order(a);
  const y = order(b);
  if (x !== y) return x < y ? -1 : 1;
  if (a === undefined || b === undefined) return 0;
  switch (a.k) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return 0;
    case "array": {
      const o = b as ArrayType;
      const ad = a.dynamic !== undefined;
      const bd = o.dynamic !== undefined;
      if (ad && !bd) return 1;
      if (bd && !ad) return -1;
      if (ad && bd) {
        const c = compare(a.dynamic, o.dynamic);
        if (c !== 0) return c;
      }
      return compareLists(a.static, o.static);
    }
    case "object": {
      const o = b as ObjectType;
      if (a.dynamic && !o.dynamic) return 1;
      if (o.dynamic && !a.dynamic) return -1;
      if (a.dynamic && o.dynamic) {
        const c = compare(a.dynamic.key, o.dynamic.key) || compare(a.dynamic.value, o.dynamic.value);
        if (c !== 0) return c;
      }
      const n = Math.min(a.static.length, o.static.length);
      for (let i = 0; i < n; i++) {
        const c = compareKeys(a.static[i]!.key, o.static[i]!.key) || compare(a.static[i]!.value, o.static[i]!.value);
        if (c !== 0) return c;
      }
      return a.static.length - o.static.length;
    }
    case "set":
      return compare(a.of, (b as SetType).of);
    case "any":
      return compareLists(a.of, (b as AnyType).of);
    case "function": {
      const o = b as FunctionType;
      if (a.args.length !== o.args.length) return a.args.length < o.args.length ? -1 : 1;
      for (let i = 0; i < a.args.length; i++) {
        const c = compare(a.args[i], o.args[i]);
        if (c !== 0) return c;
      }
      return compare(a.result, o.result) || compare(a.variadic, o.variadic);
    }
  }
}

function compareLists(a: readonly Maybe[], b: readonly Maybe[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

// ---- unions -----------------------------------------------------------------

/** True when `a` includes `b` (OPA's Contains): any<…> holds it, or equal. */
export function contains(a: Maybe, b: Maybe): boolean {
  if (a && a.k === "any") {
    if (b && b.k === "function") return false;
    if (a.of.length === 0) return true;
    return a.of.some((t) => compare(t, b) === 0);
  }
  return compare(a, b) === 0;
}

function mergeAny(a: AnyType, other: Type): AnyType {
  if (other.k === "any") return unionAny(a, other);
  if (a.of.length === 0) return a;
  // sorted insertion (OPA's Any.Merge)
  let lo = 0;
  let hi = a.of.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compare(a.of[mid], other) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < a.of.length && compare(a.of[lo], other) === 0) return a;
  return { k: "any", of: [...a.of.slice(0, lo), other, ...a.of.slice(lo)] };
}

function unionAny(a: AnyType, b: AnyType): AnyType {
  if (a.of.length === 0) return a;
  if (b.of.length === 0) return b;
  const of = [...a.of];
  for (const t of b.of) if (!of.some((x) => compare(x, t) === 0)) of.push(t);
  return { k: "any", of: of.sort(compare) };
}

/** The union of two types (OPA's types.Or); nil is the identity. */
export function or(a: Maybe, b: Maybe): Maybe {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.k === "function" && b.k === "function") return unionFunctions(a, b);
  if (a.k === "function" || b.k === "function") return undefined;
  if (a.k === "any") return mergeAny(a, b);
  if (b.k === "any") return mergeAny(b, a);
  if (compare(a, b) === 0) return a;
  return anyOf(a, b);
}

function unionFunctions(a: FunctionType, b: FunctionType): FunctionType | undefined {
  if (a.args.length !== b.args.length) return undefined;
  if ((a.variadic === undefined) !== (b.variadic === undefined)) return undefined;
  const variadic = or(a.variadic, b.variadic);
  return functionOf(
    a.args.map((t, i) => or(t, b.args[i])),
    or(a.result, b.result),
    variadic,
  );
}

// ---- structure --------------------------------------------------------------

/** The type of element `pos` of an array type. */
function selectIndex(a: ArrayType, pos: number): Maybe {
  if (pos < 0) return undefined;
  if (pos < a.static.length) return a.static[pos];
  return a.dynamic;
}

/** The type of member `x` of `a` (OPA's types.Select), nil when it has none. */
export function select(a: Maybe, x: Key): Maybe {
  if (a === undefined) return undefined;
  switch (a.k) {
    case "array": {
      if (x.t !== "number") return undefined;
      if (!/^-?\d+$/.test(x.raw)) return undefined;
      return selectIndex(a, Number(x.raw));
    }
    case "object": {
      const hit = a.static.find((p) => compareKeys(p.key, x) === 0);
      if (hit) return hit.value;
      if (a.dynamic && contains(a.dynamic.key, keyType(x))) return a.dynamic.value;
      return undefined;
    }
    case "set": {
      const t = keyType(x);
      if (compare(a.of, t) === 0) return a.of;
      if (a.of && a.of.k === "any" && contains(a.of, t)) return t;
      return undefined;
    }
    case "any": {
      if (a.of.length === 0) return ANY;
      let out: Maybe;
      for (const t of a.of) out = or(select(t, x), out);
      return out;
    }
    default:
      return undefined;
  }
}

/** The type of the keys a value of type `a` can be iterated with; nil when
 *  it cannot be iterated (scalars, functions). */
export function keys(a: Maybe): Maybe {
  return cached(keysCache, a, keysOf);
}
const keysCache = new WeakMap<Type, Maybe>();

function keysOf(a: Maybe): Maybe {
  return members(a, (t) => (t.k === "array" ? NUMBER : t.k === "set" ? t.of : undefined), (p) => keyType(p.key), (d) => d.key);
}

/** The type of the values a value of type `a` holds. */
export function values(a: Maybe): Maybe {
  return cached(valuesCache, a, valuesOf);
}
const valuesCache = new WeakMap<Type, Maybe>();

function valuesOf(a: Maybe): Maybe {
  return members(a, (t) => (t.k === "array" ? or(t.static.reduce<Maybe>((x, y) => or(x, y), undefined), t.dynamic) : t.k === "set" ? t.of : undefined), (p) => p.value, (d) => d.value);
}

/** Types are immutable: what is derived from one is computed once (the
 *  types of large rule documents are asked for often). */
function cached(cache: WeakMap<Type, Maybe>, a: Maybe, f: (a: Maybe) => Maybe): Maybe {
  if (a === undefined) return undefined;
  if (cache.has(a)) return cache.get(a);
  const r = f(a);
  cache.set(a, r);
  return r;
}

/** The union, over the members of a collection type (of each type of a
 *  union), of the part the functions pick. */
function members(
  a: Maybe,
  ofOther: (t: ArrayType | SetType) => Maybe,
  ofStatic: (p: StaticProperty) => Maybe,
  ofDynamic: (d: { key: Maybe; value: Maybe }) => Maybe,
): Maybe {
  if (a === undefined) return undefined;
  switch (a.k) {
    case "array":
    case "set":
      return ofOther(a);
    case "object": {
      let out: Maybe;
      for (const p of a.static) out = or(out, ofStatic(p));
      if (a.dynamic) out = or(out, ofDynamic(a.dynamic));
      return out;
    }
    case "any": {
      if (a.of.length === 0) return ANY;
      let out: Maybe;
      for (const t of a.of) out = or(members(t, ofOther, ofStatic, ofDynamic), out);
      return out;
    }
    default:
      return undefined;
  }
}

/** True when the type is unknown, or holds an unknown part (OPA's Nil). */
export function isNil(a: Maybe): boolean {
  if (a === undefined) return true;
  switch (a.k) {
    case "function":
      return a.args.some(isNil) || isNil(a.result);
    case "array":
      if (a.static.some(isNil)) return true;
      return a.dynamic !== undefined ? isNil(a.dynamic) : false;
    case "object":
      if (a.static.some((p) => isNil(p.value))) return true;
      return a.dynamic ? isNil(a.dynamic.key) || isNil(a.dynamic.value) : false;
    case "set":
      return isNil(a.of);
    default:
      return false;
  }
}

// ---- unification of types ---------------------------------------------------

/** Whether values of the two types can be equal (OPA's unifies). Unknown
 *  types never unify. */
export function unifies(a: Maybe, b: Maybe): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.k === "any" && unifiesAny(a, b)) return true;
  if (b.k === "any" && unifiesAny(b, a)) return true;
  if (a.k === "any" || b.k === "any") return false;
  switch (a.k) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return b.k === a.k;
    case "array":
      return b.k === "array" && unifiesArrays(a, b);
    case "object":
      return b.k === "object" && unifiesObjects(a, b);
    case "set":
      return b.k === "set" && unifies(a.of, b.of);
    case "function":
      if (b.k !== "function" || a.args.length !== b.args.length) return false;
      return a.args.every((t, i) => unifies(t, b.args[i]));
  }
}

function unifiesAny(a: AnyType, b: Type): boolean {
  if (b.k === "function") return false;
  if (a.of.length === 0) return true;
  return a.of.some((t) => unifies(t, b));
}

function unifiesArrays(a: ArrayType, b: ArrayType): boolean {
  const staticOk = (x: ArrayType, y: ArrayType) => x.static.every((t, i) => unifies(t, selectIndex(y, i)));
  if (!staticOk(a, b) || !staticOk(b, a)) return false;
  return a.dynamic === undefined || b.dynamic === undefined || unifies(a.dynamic, b.dynamic);
}

function unifiesObjects(a: ObjectType, b: ObjectType): boolean {
  const staticOk = (x: ObjectType, y: ObjectType) => x.static.every((p) => unifies(p.value, select(y, p.key)));
  if (!staticOk(a, b) || !staticOk(b, a)) return false;
  return !a.dynamic || !b.dynamic || unifies(a.dynamic.value, b.dynamic.value);
}

// ---- printing -----------------------------------------------------------------

/** OPA's printed form of a type; `???` for an unknown one. */
export function typeString(t: Maybe): string {
  if (t === undefined) return "???";
  switch (t.k) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return t.k;
    case "array": {
      let s = "array";
      if (t.static.length > 0) s += `<${t.static.map(typeString).join(", ")}>`;
      if (t.dynamic !== undefined) s += `[${typeString(t.dynamic)}]`;
      return s;
    }
    case "object": {
      let s = "object";
      if (t.static.length > 0) s += `<${t.static.map((p) => `${keyText(p.key)}: ${typeString(p.value)}`).join(", ")}>`;
      if (t.dynamic) s += `[${typeString(t.dynamic.key)}: ${typeString(t.dynamic.value)}]`;
      return s;
    }
    case "set":
      return `set[${typeString(t.of)}]`;
    case "any":
      return t.of.length === 0 ? "any" : `any<${t.of.map(typeString).join(", ")}>`;
    case "function":
      return `${argsString(t.args, t.variadic)} => ${typeString(t.result)}`;
  }
}

/** `(a, b, c...)`; `names` label each argument as OPA's named types do. */
export function argsString(args: readonly Maybe[], variadic?: Type, names?: readonly (string | undefined)[]): string {
  const parts = args.map((t, i) => (names?.[i] ? `${names[i]}: ${typeString(t)}` : typeString(t)));
  if (variadic) parts.push(`${typeString(variadic)}...`);
  return `(${parts.join(", ")})`;
}
