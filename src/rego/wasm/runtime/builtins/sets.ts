// and (intersection) and or (union) of two sets.
import { collFind, setAdd } from "../coll";
import { operandError } from "../errors";
import { Obj, T_SET, newCollection } from "../value";
import { isType } from "./operands";

function twoSets(name: string, a: usize, b: usize): bool {
  if (!isType(a, T_SET)) {
    operandError(name, 1, "set", a);
    return false;
  }
  if (!isType(b, T_SET)) {
    operandError(name, 2, "set", b);
    return false;
  }
  return true;
}

export function writ_bi_and(a: usize, b: usize): usize {
  if (!twoSets("and", a, b)) return 0;
  let x = changetype<Obj>(a);
  let other = b;
  if (changetype<Obj>(b).count < x.count) {
    x = changetype<Obj>(b);
    other = a;
  }
  const out = newCollection(T_SET, x.count);
  for (let i: u32 = 0; i < x.count; i++) {
    const k = load<usize>(x.keys + (<usize>i << 2));
    if (collFind(other, k) >= 0) setAdd(out, k);
  }
  return out;
}

export function writ_bi_or(a: usize, b: usize): usize {
  if (!twoSets("or", a, b)) return 0;
  const x = changetype<Obj>(a);
  const y = changetype<Obj>(b);
  const out = newCollection(T_SET, x.count + y.count);
  for (let i: u32 = 0; i < x.count; i++) setAdd(out, load<usize>(x.keys + (<usize>i << 2)));
  for (let i: u32 = 0; i < y.count; i++) setAdd(out, load<usize>(y.keys + (<usize>i << 2)));
  return out;
}

/** union(set of sets) and intersection(set of sets). */
function setOfSets(name: string, v: usize): bool {
  if (!isType(v, T_SET)) {
    operandError(name, 1, "set", v);
    return false;
  }
  const s = changetype<Obj>(v);
  for (let i: u32 = 0; i < s.count; i++) {
    const m = load<usize>(s.keys + (<usize>i << 2));
    if (load<u32>(m) != T_SET) {
      operandError(name, 1, "set", m);
      return false;
    }
  }
  return true;
}

export function writ_bi_union(v: usize): usize {
  if (!setOfSets("union", v)) return 0;
  const s = changetype<Obj>(v);
  const out = newCollection(T_SET, 0);
  for (let i: u32 = 0; i < s.count; i++) {
    const m = changetype<Obj>(load<usize>(s.keys + (<usize>i << 2)));
    for (let j: u32 = 0; j < m.count; j++) setAdd(out, load<usize>(m.keys + (<usize>j << 2)));
  }
  return out;
}

export function writ_bi_intersection(v: usize): usize {
  if (!setOfSets("intersection", v)) return 0;
  const s = changetype<Obj>(v);
  if (s.count == 0) return newCollection(T_SET, 0);
  let acc = load<usize>(s.keys);
  for (let i: u32 = 1; i < s.count; i++) {
    const m = load<usize>(s.keys + (<usize>i << 2));
    const a = changetype<Obj>(acc);
    const out = newCollection(T_SET, a.count);
    for (let j: u32 = 0; j < a.count; j++) {
      const k = load<usize>(a.keys + (<usize>j << 2));
      if (collFind(m, k) >= 0) setAdd(out, k);
    }
    acc = out;
  }
  return acc;
}
