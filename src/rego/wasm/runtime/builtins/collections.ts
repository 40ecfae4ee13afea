// object.get object.keys array.concat array.slice array.reverse array.flatten.
import { collOrder, objectGet, orderedPos, setAdd } from "../coll";
import { operandError } from "../errors";
import { Arr, Obj, T_ARRAY, T_OBJECT, T_SET, arrayAppend, newArray, newCollection } from "../value";
import { writ_dot } from "../exec";
import { intOperand, isType, operandOk } from "./operands";

/** object.get(obj, key, default); a key that is an array is a path. */
export function writ_bi_object_get(o: usize, key: usize, dflt: usize): usize {
  if (!isType(o, T_OBJECT)) return operandError("object.get", 1, "object", o);
  if (key == 0 || dflt == 0) return 0;
  if (!isType(key, T_ARRAY)) {
    const v = objectGet(o, key);
    return v != 0 ? v : dflt;
  }
  const path = changetype<Arr>(key);
  let node = o;
  for (let i: u32 = 0; i < path.count; i++) {
    node = writ_dot(node, load<usize>(path.elems + (<usize>i << 2)));
    if (node == 0) return dflt;
  }
  return node;
}

export function writ_bi_object_keys(o: usize): usize {
  if (!isType(o, T_OBJECT)) return operandError("object.keys", 1, "object", o);
  const x = changetype<Obj>(o);
  const out = newCollection(T_SET, x.count);
  const order = collOrder(o);
  for (let i: u32 = 0; i < x.count; i++) setAdd(out, load<usize>(x.keys + (<usize>orderedPos(order, i) << 2)));
  return out;
}

export function writ_bi_array_concat(a: usize, b: usize): usize {
  if (!isType(a, T_ARRAY)) return operandError("array.concat", 1, "array", a);
  if (!isType(b, T_ARRAY)) return operandError("array.concat", 2, "array", b);
  const x = changetype<Arr>(a);
  const y = changetype<Arr>(b);
  const out = newArray(x.count + y.count);
  const o = changetype<Arr>(out);
  if (x.count) memory.copy(o.elems, x.elems, <usize>x.count << 2);
  if (y.count) memory.copy(o.elems + (<usize>x.count << 2), y.elems, <usize>y.count << 2);
  o.count = x.count + y.count;
  return out;
}

export function writ_bi_array_slice(a: usize, start: usize, stop: usize): usize {
  if (!isType(a, T_ARRAY)) return operandError("array.slice", 1, "array", a);
  let from = intOperand("array.slice", start, 2);
  if (!operandOk) return 0;
  let to = intOperand("array.slice", stop, 3);
  if (!operandOk) return 0;
  const x = changetype<Arr>(a);
  const n = <i64>x.count;
  if (from < 0) from = 0;
  if (to > n) to = n;
  if (from >= to) return newArray(0);
  const count = <u32>(to - from);
  const out = newArray(count);
  memory.copy(changetype<Arr>(out).elems, x.elems + (<usize>from << 2), <usize>count << 2);
  changetype<Arr>(out).count = count;
  return out;
}

export function writ_bi_array_reverse(a: usize): usize {
  if (!isType(a, T_ARRAY)) return operandError("array.reverse", 1, "array", a);
  const x = changetype<Arr>(a);
  const out = newArray(x.count);
  for (let i = <i32>x.count - 1; i >= 0; i--) arrayAppend(out, load<usize>(x.elems + (<usize>i << 2)));
  return out;
}


/** One level: elements that are arrays are spliced in. */
export function writ_bi_array_flatten(a: usize): usize {
  if (!isType(a, T_ARRAY)) return operandError("array.flatten", 1, "array", a);
  const x = changetype<Arr>(a);
  const out = newArray(x.count);
  for (let i: u32 = 0; i < x.count; i++) {
    const e = load<usize>(x.elems + (<usize>i << 2));
    if (load<u32>(e) != T_ARRAY) {
      arrayAppend(out, e);
      continue;
    }
    const inner = changetype<Arr>(e);
    for (let j: u32 = 0; j < inner.count; j++) arrayAppend(out, load<usize>(inner.elems + (<usize>j << 2)));
  }
  return out;
}
