// strings.any_prefix_match, strings.any_suffix_match (each side a string,
// or an array or set of strings), strings.count and indexof_n.
import { bytesEqual } from "../str";
import { builtinError, operandError } from "../errors";
import { collOrder, orderedPos } from "../coll";
import { newNumberInt } from "../num";
import { runeCount } from "../utf8";
import { Arr, Obj, Str, T_ARRAY, T_SET, T_STRING, arrayAppend, boolValue, newArray } from "../value";
import { elementError } from "./aggregates";
import { find } from "./strings";
import { stringOperand } from "./operands";

/** The strings of operand v (a string, or an array or set of strings) as
 *  an array of string values; 0 with the error set otherwise. */
function stringsOf(name: string, v: usize, pos: i32): usize {
  const tag = load<u32>(v);
  if (tag == T_STRING) {
    const a = newArray(1);
    arrayAppend(a, v);
    return a;
  }
  if (tag == T_ARRAY) {
    const a = changetype<Arr>(v);
    for (let i: u32 = 0; i < a.count; i++) {
      const e = load<usize>(a.elems + (<usize>i << 2));
      if (load<u32>(e) != T_STRING) return elementError(name, pos, v, "strings", e);
    }
    return v;
  }
  if (tag == T_SET) {
    const o = changetype<Obj>(v);
    const order = collOrder(v);
    const a = newArray(o.count);
    for (let i: u32 = 0; i < o.count; i++) {
      const e = load<usize>(o.keys + (<usize>orderedPos(order, i) << 2));
      if (load<u32>(e) != T_STRING) return elementError(name, pos, v, "strings", e);
      arrayAppend(a, e);
    }
    return a;
  }
  return operandError(name, pos, "one of {string, set, array}", v);
}

function anyAffix(name: string, a: usize, b: usize, suffix: bool): usize {
  const xs = stringsOf(name, a, 1);
  if (xs == 0) return 0;
  const ys = stringsOf(name, b, 2);
  if (ys == 0) return 0;
  const xa = changetype<Arr>(xs);
  const ya = changetype<Arr>(ys);
  for (let i: u32 = 0; i < xa.count; i++) {
    const s = changetype<Str>(load<usize>(xa.elems + (<usize>i << 2)));
    for (let j: u32 = 0; j < ya.count; j++) {
      const p = changetype<Str>(load<usize>(ya.elems + (<usize>j << 2)));
      if (p.len > s.len) continue;
      const at = suffix ? s.ptr + s.len - p.len : s.ptr;
      if (bytesEqual(at, p.ptr, p.len)) return boolValue(true);
    }
  }
  return boolValue(false);
}

export function writ_bi_strings_any_prefix_match(a: usize, b: usize): usize {
  return anyAffix("strings.any_prefix_match", a, b, false);
}

export function writ_bi_strings_any_suffix_match(a: usize, b: usize): usize {
  return anyAffix("strings.any_suffix_match", a, b, true);
}

/** Go's strings.Count: non-overlapping occurrences; "" counts runes + 1. */
export function writ_bi_strings_count(s: usize, sub: usize): usize {
  if (!stringOperand("strings.count", s, 1) || !stringOperand("strings.count", sub, 2)) return 0;
  const x = changetype<Str>(s);
  const y = changetype<Str>(sub);
  if (y.len == 0) return newNumberInt(<i32>runeCount(x.ptr, x.len) + 1);
  let n: i32 = 0;
  let i = find(x.ptr, x.len, y.ptr, y.len, 0);
  while (i >= 0) {
    n++;
    i = find(x.ptr, x.len, y.ptr, y.len, <usize>i + y.len);
  }
  return newNumberInt(n);
}

/** Every (overlapping) occurrence, as rune offsets. */
export function writ_bi_indexof_n(s: usize, sub: usize): usize {
  if (!stringOperand("indexof_n", s, 1) || !stringOperand("indexof_n", sub, 2)) return 0;
  const x = changetype<Str>(s);
  const y = changetype<Str>(sub);
  if (y.len == 0) return builtinError("indexof_n", "empty search character");
  const out = newArray(0);
  let i = find(x.ptr, x.len, y.ptr, y.len, 0);
  while (i >= 0) {
    arrayAppend(out, newNumberInt(<i32>runeCount(x.ptr, <usize>i)));
    i = find(x.ptr, x.len, y.ptr, y.len, <usize>i + 1);
  }
  return out;
}
