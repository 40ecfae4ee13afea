// count sum product max min sort all any.
import { collOrder, orderedPos } from "../coll";
import { beginError, ERR_TYPE, operandError, typeNameOf } from "../errors";
import { bufAscii, bufI64 } from "../buf";
import { newNumber, newNumberInt } from "../num";
import { compare, equal } from "../order";
import { runeCount } from "../utf8";
import {
  Arr, Obj, Str, T_ARRAY, T_NUMBER, T_OBJECT, T_SET, T_STRING, TRUE_VALUE, arrayAppend, boolValue, newArray,
} from "../value";
import { writ_bi_mul, writ_bi_plus } from "./arith";
import { isType } from "./operands";

export function writ_bi_count(v: usize): usize {
  if (v != 0) {
    switch (load<u32>(v)) {
      case T_ARRAY:
        return newNumberInt(<i32>changetype<Arr>(v).count);
      case T_OBJECT:
      case T_SET:
        return newNumberInt(<i32>changetype<Obj>(v).count);
      case T_STRING: {
        const s = changetype<Str>(v);
        return newNumberInt(<i32>runeCount(s.ptr, s.len));
      }
    }
  }
  return operandError("count", 1, "one of {array, object, set, string}", v);
}

/** Elements of an array or set (keys of a set), or 0 after recording an
 *  operand error. `n` receives the count. */
let elemCount: u32 = 0;

function elements(name: string, v: usize): usize {
  if (isType(v, T_ARRAY)) {
    elemCount = changetype<Arr>(v).count;
    return changetype<Arr>(v).elems;
  }
  if (isType(v, T_SET)) {
    elemCount = changetype<Obj>(v).count;
    return changetype<Obj>(v).keys;
  }
  operandError(name, 1, "one of {set, array}", v);
  return 0;
}

/** OPA's element error: "operand 1 must be array of numbers but got array
 *  containing string". */
export function elementError(name: string, pos: i32, coll: usize, want: string, elem: usize): usize {
  const b = beginError(ERR_TYPE, name);
  bufAscii(b, "operand ");
  bufI64(b, pos);
  bufAscii(b, " must be ");
  bufAscii(b, typeNameOf(coll));
  bufAscii(b, " of ");
  bufAscii(b, want);
  bufAscii(b, " but got ");
  bufAscii(b, typeNameOf(coll));
  bufAscii(b, " containing ");
  bufAscii(b, typeNameOf(elem));
  return 0;
}

function fold(name: string, v: usize, mul: bool): usize {
  const e = elements(name, v);
  if (e == 0 && !isType(v, T_ARRAY) && !isType(v, T_SET)) return 0;
  const n = elemCount;
  let acc = newNumber(mul ? 1 : 0);
  for (let i: u32 = 0; i < n; i++) {
    const x = load<usize>(e + (<usize>i << 2));
    if (load<u32>(x) != T_NUMBER) return elementError(name, 1, v, "numbers", x);
    acc = mul ? writ_bi_mul(acc, x) : writ_bi_plus(acc, x);
  }
  return acc;
}

export function writ_bi_sum(v: usize): usize {
  return fold("sum", v, false);
}

export function writ_bi_product(v: usize): usize {
  return fold("product", v, true);
}

function extreme(name: string, v: usize, sign: i32): usize {
  const e = elements(name, v);
  if (e == 0) return 0;
  const n = elemCount;
  if (n == 0) return 0;
  let best = load<usize>(e);
  for (let i: u32 = 1; i < n; i++) {
    const x = load<usize>(e + (<usize>i << 2));
    if (compare(x, best) * sign > 0) best = x;
  }
  return best;
}

export function writ_bi_max(v: usize): usize {
  return extreme("max", v, 1);
}

export function writ_bi_min(v: usize): usize {
  return extreme("min", v, -1);
}

export function writ_bi_sort(v: usize): usize {
  if (isType(v, T_SET)) {
    const s = changetype<Obj>(v);
    const order = collOrder(v);
    const out = newArray(s.count);
    for (let i: u32 = 0; i < s.count; i++) arrayAppend(out, load<usize>(s.keys + (<usize>orderedPos(order, i) << 2)));
    return out;
  }
  if (!isType(v, T_ARRAY)) return operandError("sort", 1, "one of {array, set}", v);
  const a = changetype<Arr>(v);
  const n = a.count;
  const out = newArray(n);
  for (let i: u32 = 0; i < n; i++) arrayAppend(out, load<usize>(a.elems + (<usize>i << 2)));
  sortValues(changetype<Arr>(out).elems, n);
  return out;
}

/** Stable merge sort of n value addresses at p, in Rego's value order. */
export function sortValues(p: usize, n: u32): void {
  if (n < 2) return;
  if (n <= 12) {
    for (let i: u32 = 1; i < n; i++) {
      const x = load<usize>(p + (<usize>i << 2));
      let j = i;
      while (j > 0 && compare(load<usize>(p + (<usize>(j - 1) << 2)), x) > 0) {
        store<usize>(p + (<usize>j << 2), load<usize>(p + (<usize>(j - 1) << 2)));
        j--;
      }
      store<usize>(p + (<usize>j << 2), x);
    }
    return;
  }
  const half = n >> 1;
  sortValues(p, half);
  sortValues(p + (<usize>half << 2), n - half);
  const tmp = newArray(n);
  const t = changetype<Arr>(tmp).elems;
  let i: u32 = 0;
  let j: u32 = half;
  let k: u32 = 0;
  while (i < half && j < n) {
    const a = load<usize>(p + (<usize>i << 2));
    const b = load<usize>(p + (<usize>j << 2));
    if (compare(a, b) <= 0) {
      store<usize>(t + (<usize>k << 2), a);
      i++;
    } else {
      store<usize>(t + (<usize>k << 2), b);
      j++;
    }
    k++;
  }
  while (i < half) {
    store<usize>(t + (<usize>k << 2), load<usize>(p + (<usize>i << 2)));
    i++;
    k++;
  }
  while (j < n) {
    store<usize>(t + (<usize>k << 2), load<usize>(p + (<usize>j << 2)));
    j++;
    k++;
  }
  memory.copy(p, t, <usize>n << 2);
}

function quantifier(name: string, v: usize, all: bool): usize {
  const e = elements(name, v);
  if (e == 0 && !isType(v, T_ARRAY) && !isType(v, T_SET)) return 0;
  const n = elemCount;
  for (let i: u32 = 0; i < n; i++) {
    const isTrue = equal(load<usize>(e + (<usize>i << 2)), TRUE_VALUE);
    if (all && !isTrue) return boolValue(false);
    if (!all && isTrue) return boolValue(true);
  }
  return boolValue(all);
}

export function writ_bi_all(v: usize): usize {
  return quantifier("all", v, true);
}

export function writ_bi_any(v: usize): usize {
  return quantifier("any", v, false);
}

