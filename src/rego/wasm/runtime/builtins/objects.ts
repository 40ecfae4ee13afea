// object.union object.union_n object.remove object.filter: native, so that
// non-string keys and set values survive (the SDK passes host builtins JSON).
import { collCopy, collFind, collOrder, objectGet, objectInsert, orderedPos, setAdd } from "../coll";
import { operandError, typeError } from "../errors";
import { equal } from "../order";
import { Arr, Obj, T_ARRAY, T_OBJECT, T_SET, boolValue, newCollection } from "../value";
import { elementError } from "./aggregates";
import { isType } from "./operands";

/** Deep merge; b's values win unless both values are objects. */
function unionObjects(a: usize, b: usize): usize {
  const y = changetype<Obj>(b);
  const out = collCopy(a, y.count);
  for (let i: u32 = 0; i < y.count; i++) {
    const k = load<usize>(y.keys + (<usize>i << 2));
    const vb = load<usize>(y.vals + (<usize>i << 2));
    const va = objectGet(a, k);
    if (va != 0 && load<u32>(va) == T_OBJECT && load<u32>(vb) == T_OBJECT) objectInsert(out, k, unionObjects(va, vb));
    else objectInsert(out, k, vb);
  }
  return out;
}

export function writ_bi_object_union(a: usize, b: usize): usize {
  if (!isType(a, T_OBJECT)) return operandError("object.union", 1, "object", a);
  if (!isType(b, T_OBJECT)) return operandError("object.union", 2, "object", b);
  return unionObjects(a, b);
}

export function writ_bi_object_union_n(v: usize): usize {
  if (!isType(v, T_ARRAY)) return operandError("object.union_n", 1, "array", v);
  const a = changetype<Arr>(v);
  let acc = newCollection(T_OBJECT, 0);
  for (let i: u32 = 0; i < a.count; i++) {
    const o = load<usize>(a.elems + (<usize>i << 2));
    if (load<u32>(o) != T_OBJECT) return elementError("object.union_n", 1, v, "objects", o);
    acc = unionObjects(acc, o);
  }
  return acc;
}

/** The keys named by an array, a set or an object's keys, as a set;
 *  0 after an operand error. */
function keyParam(name: string, k: usize): usize {
  if (k == 0) return 0;
  const t = load<u32>(k);
  if (t == T_SET) return k;
  if (t == T_OBJECT) {
    const o = changetype<Obj>(k);
    const s = newCollection(T_SET, o.count);
    for (let i: u32 = 0; i < o.count; i++) {
      const key = load<usize>(o.keys + (<usize>i << 2));
      setAdd(s, key);
    }
    return s;
  }
  if (t == T_ARRAY) {
    const a = changetype<Arr>(k);
    const s = newCollection(T_SET, a.count);
    for (let i: u32 = 0; i < a.count; i++) {
      const key = load<usize>(a.elems + (<usize>i << 2));
      setAdd(s, key);
    }
    return s;
  }
  return operandError(name, 2, "one of {object, set, array}", k);
}

/** Keys of o kept (keep) or dropped (!keep) by membership in `keys`, in key order. */
function selectKeys(o: usize, keys: usize, keep: bool): usize {
  const x = changetype<Obj>(o);
  const out = newCollection(T_OBJECT, 0);
  const order = collOrder(o);
  for (let i: u32 = 0; i < x.count; i++) {
    const pos = orderedPos(order, i);
    const k = load<usize>(x.keys + (<usize>pos << 2));
    if ((collFind(keys, k) >= 0) == keep) objectInsert(out, k, load<usize>(x.vals + (<usize>pos << 2)));
  }
  return out;
}

export function writ_bi_object_remove(o: usize, k: usize): usize {
  if (!isType(o, T_OBJECT)) return operandError("object.remove", 1, "object", o);
  const keys = keyParam("object.remove", k);
  return keys == 0 ? 0 : selectKeys(o, keys, false);
}

export function writ_bi_object_filter(o: usize, k: usize): usize {
  if (!isType(o, T_OBJECT)) return operandError("object.filter", 1, "object", o);
  const keys = keyParam("object.filter", k);
  return keys == 0 ? 0 : selectKeys(o, keys, true);
}

// --- object.subset (OPA's subset.go) ------------------------------------------

function objectSubset(sup: usize, sub: usize): bool {
  const s = changetype<Obj>(sub);
  for (let i: u32 = 0; i < s.count; i++) {
    const k = load<usize>(s.keys + (<usize>i << 2));
    const subV = load<usize>(s.vals + (<usize>i << 2));
    const supV = objectGet(sup, k);
    if (supV == 0) return false;
    if (equal(subV, supV)) continue;
    const ts = load<u32>(supV);
    if (ts != load<u32>(subV)) return false;
    if (ts == T_OBJECT) {
      if (!objectSubset(supV, subV)) return false;
    } else if (ts == T_SET) {
      if (!setSubset(supV, subV)) return false;
    } else if (ts == T_ARRAY) {
      if (!arraySubset(supV, subV)) return false;
    } else return false;
  }
  return true;
}

function setSubset(sup: usize, sub: usize): bool {
  const s = changetype<Obj>(sub);
  for (let i: u32 = 0; i < s.count; i++) if (collFind(sup, load<usize>(s.keys + (<usize>i << 2))) < 0) return false;
  return true;
}

/** sub appears contiguously in sup. */
function arraySubset(sup: usize, sub: usize): bool {
  const a = changetype<Arr>(sup);
  const b = changetype<Arr>(sub);
  if (b.count > a.count) return false;
  for (let start: u32 = 0; start + b.count <= a.count; start++) {
    let j: u32 = 0;
    while (j < b.count && equal(load<usize>(a.elems + (<usize>(start + j) << 2)), load<usize>(b.elems + (<usize>j << 2)))) j++;
    if (j == b.count) return true;
  }
  return false;
}

/** Every member of sub occurs in sup (counted per array element, as OPA
 *  does: it stops once as many elements matched as sub has members). */
function arraySetSubset(sup: usize, sub: usize): bool {
  const a = changetype<Arr>(sup);
  let unmatched = <i32>changetype<Obj>(sub).count;
  for (let i: u32 = 0; i < a.count; i++) {
    if (collFind(sub, load<usize>(a.elems + (<usize>i << 2))) >= 0) unmatched--;
    if (unmatched <= 0) return true;
  }
  return false;
}

export function writ_bi_object_subset(sup: usize, sub: usize): usize {
  if (sup == 0 || sub == 0) return 0;
  const t1 = load<u32>(sup);
  const t2 = load<u32>(sub);
  if (t1 == T_OBJECT && t2 == T_OBJECT) return boolValue(objectSubset(sup, sub));
  if (t1 == T_SET && t2 == T_SET) return boolValue(setSubset(sup, sub));
  if (t1 == T_ARRAY && t2 == T_ARRAY) return boolValue(arraySubset(sup, sub));
  if (t1 == T_ARRAY && t2 == T_SET) return boolValue(arraySetSubset(sup, sub));
  return typeError("object.subset", "both arguments object.subset must be of the same type or array and set");
}
