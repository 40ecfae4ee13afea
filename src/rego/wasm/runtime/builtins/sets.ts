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
