// Builtin function types for the checker, from the catalog's declarations.
import { builtinCatalog, type BType } from "../../builtins/catalog.js";
import { builtinArgNames } from "./argnames.js";
import { ANY, anyOf, arrayOf, functionOf, objectOf, scalarType, setOf, type FunctionType, type Type } from "./types.js";

/** A function's declared type plus the names OPA prints for its arguments
 *  and result in "want: (…)" lines. */
export interface Signature {
  type: FunctionType;
  argNames?: readonly string[];
  resultName?: string;
}

/**
 * Results that some OPA releases declare as `any` and others more narrowly
 * (object.union: any in OPA's own declarations, an object in the 1.20
 * capabilities). A policy that one release accepts must not be rejected, so
 * the wider type wins.
 */
const widenedResults = new Set([
  "json.filter",
  "json.remove",
  "object.filter",
  "object.remove",
  "object.subset",
  "object.union",
  "object.union_n",
]);

export function fromBType(b: BType): Type {
  switch (b.type) {
    case "any":
      return b.of ? anyOf(...b.of.map(fromBType)) : ANY;
    case "null":
    case "boolean":
    case "number":
    case "string":
      return scalarType(b.type);
    case "array":
      return arrayOf(b.static?.map(fromBType) ?? [], b.dynamic ? fromBType(b.dynamic) : undefined);
    case "object":
      return objectOf(
        (b.static ?? []).map((p) => ({ key: { t: "string" as const, v: p.key }, value: fromBType(p.value) })),
        b.dynamic ? { key: fromBType(b.dynamic.key), value: fromBType(b.dynamic.value) } : undefined,
      );
    case "set":
      return setOf(fromBType(b.of));
    case "function":
      return functionOf(b.args.map(fromBType), b.result ? fromBType(b.result) : undefined, b.variadic ? fromBType(b.variadic) : undefined);
  }
}

const cache = new Map<string, Signature | undefined>();

/** The signature of a builtin, or undefined when there is no such builtin. */
export function builtinSignature(name: string): Signature | undefined {
  if (cache.has(name)) return cache.get(name);
  const info = builtinCatalog[name];
  let sig: Signature | undefined;
  if (info) {
    const result = widenedResults.has(name) ? ANY : info.result ? fromBType(info.result) : undefined;
    const type = functionOf(info.args.map(fromBType), result, info.variadic ? fromBType(info.variadic) : undefined);
    const names = builtinArgNames[name];
    sig = names ? { type, argNames: names[0], resultName: names[1] } : { type };
  }
  cache.set(name, sig);
  return sig;
}
