// object.* and array.* builtins. Sets arrive as arrays, so where OPA treats a
// set and an array differently (object.subset) the array reading is used.
import { arr, obj, typeError } from "./args.js";
import { isObject, valuesEqual, type ObjectValue, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

/** Keys named by an array, a set or an object's keys (object.filter / object.remove). */
function keyList(v: Value, pos: number): string[] {
  if (Array.isArray(v)) return v.map((k) => (typeof k === "string" ? k : JSON.stringify(k)));
  if (isObject(v)) return Object.keys(v);
  throw typeError(pos, v, "object", "set", "array");
}

/** object.union: the right side wins, objects on both sides merge recursively. */
function union(a: ObjectValue, b: ObjectValue): ObjectValue {
  const out: ObjectValue = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const left = out[k];
    out[k] = isObject(left) && isObject(v) ? union(left, v) : v;
  }
  return out;
}

function isSubset(sup: Value, sub: Value): boolean {
  if (isObject(sup) && isObject(sub)) {
    return Object.entries(sub).every(([k, v]) => {
      if (!(k in sup)) return false;
      const s = sup[k]!;
      if ((isObject(s) && isObject(v)) || (Array.isArray(s) && Array.isArray(v))) return isSubset(s, v);
      return valuesEqual(s, v);
    });
  }
  if (Array.isArray(sup) && Array.isArray(sub)) {
    // sub must appear contiguously, in order, within super
    if (sub.length === 0) return true;
    for (let i = 0; i + sub.length <= sup.length; i++) {
      if (sub.every((x, j) => valuesEqual(sup[i + j]!, x))) return true;
    }
    return false;
  }
  return false;
}

/** One level: elements that are arrays are spliced in. */
function flatten(a: Value[]): Value[] {
  const out: Value[] = [];
  for (const x of a) {
    if (Array.isArray(x)) out.push(...x);
    else out.push(x);
  }
  return out;
}

export const objectBuiltins: Record<string, BuiltinImpl> = {
  "object.union": (a, b) => union(obj(a, 1), obj(b, 2)),
  "object.union_n"(list) {
    const objs = arr(list, 1);
    let out: ObjectValue = {};
    for (const o of objs) {
      if (!isObject(o)) throw typeError(1, list, "array of objects");
      out = union(out, o);
    }
    return out;
  },
  "object.filter"(o, keys) {
    const source = obj(o, 1);
    const out: ObjectValue = {};
    for (const k of keyList(keys!, 2)) if (k in source) out[k] = source[k]!;
    return out;
  },
  "object.remove"(o, keys) {
    const source = obj(o, 1);
    const drop = new Set(keyList(keys!, 2));
    const out: ObjectValue = {};
    for (const [k, v] of Object.entries(source)) if (!drop.has(k)) out[k] = v;
    return out;
  },
  "object.subset"(sup, sub) {
    for (const [v, pos] of [[sup, 1], [sub, 2]] as const) {
      if (!isObject(v) && !Array.isArray(v)) throw typeError(pos, v, "object", "set", "array");
    }
    if (isObject(sup) !== isObject(sub)) {
      // super array, sub set: every element of sub must be in super
      if (Array.isArray(sup) && Array.isArray(sub)) return sub.every((x) => sup.some((y) => valuesEqual(x, y)));
      return false;
    }
    return isSubset(sup!, sub!);
  },
  "object.get"(o, key, dflt) {
    const source = obj(o, 1);
    const path = Array.isArray(key) ? key : [key];
    let cur: Value = source;
    for (const seg of path) {
      if (isObject(cur) && typeof seg === "string" && seg in cur) cur = cur[seg]!;
      else if (Array.isArray(cur) && typeof seg === "number" && Number.isInteger(seg) && seg >= 0 && seg < cur.length) cur = cur[seg]!;
      else return dflt;
    }
    return cur;
  },
  "object.keys": (o) => Object.keys(obj(o, 1)).sort(),
  "array.flatten": (a) => flatten(arr(a, 1)),
  "array.concat": (a, b) => [...arr(a, 1), ...arr(b, 2)],
  "array.reverse": (a) => [...arr(a, 1)].reverse(),
  "array.slice"(a, from, to) {
    const list = arr(a, 1);
    const start = Math.max(0, Math.trunc(Number(from)));
    const stop = Math.min(list.length, Math.trunc(Number(to)));
    return start >= stop ? [] : list.slice(start, stop);
  },
};
