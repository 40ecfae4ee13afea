// net.cidr_contains_matches(cidrs, cidrs_or_ips): the keys of the matches are
// an array's indexes, an object's keys and, for a set, its members
// themselves (OPA's topdown/cidr.go). The CIDR arithmetic is the host's:
// the native hands it sets and objects as arrays (of members, of values, in
// key order), which the host answers with index pairs, and maps those
// indexes back to members and keys. The host reports malformed elements and
// CIDRs, as before.
import { collOrder, orderedPos, setAdd } from "../coll";
import { builtinError } from "../errors";
import { writ_call_builtin2 } from "../host";
import { numToI64, i64ok } from "../num";
import { Arr, Obj, T_ARRAY, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrayAppend, newArray, newCollection } from "../value";

/** Whether every element of an operand is a string or a non-empty array
 *  (the JSON the host sees no longer tells a set from an array). */
function elementsOk(v: usize): bool {
  const t = load<u32>(v);
  let n: u32 = 0;
  let elems: usize = 0;
  if (t == T_ARRAY) {
    n = changetype<Arr>(v).count;
    elems = changetype<Arr>(v).elems;
  } else if (t == T_SET || t == T_OBJECT) {
    n = changetype<Obj>(v).count;
    elems = t == T_SET ? changetype<Obj>(v).keys : changetype<Obj>(v).vals;
  }
  for (let i: u32 = 0; i < n; i++) {
    const x = load<usize>(elems + (<usize>i << 2));
    const tx = load<u32>(x);
    if (tx != T_STRING && (tx != T_ARRAY || changetype<Arr>(x).count == 0)) return false;
  }
  return true;
}

/** How many CIDRs an operand gives (OPA iterates operand 2 once per CIDR of operand 1). */
function itemCount(v: usize): u32 {
  const t = load<u32>(v);
  if (t == T_STRING) return 1;
  if (t == T_ARRAY) return changetype<Arr>(v).count;
  if (t == T_SET || t == T_OBJECT) return changetype<Obj>(v).count;
  return 0;
}

/** Sets as arrays of their members, objects as arrays of their values, both
 *  in key order; anything else as it is. */
function forHost(v: usize): usize {
  const t = load<u32>(v);
  if (t != T_SET && t != T_OBJECT) return v;
  const o = changetype<Obj>(v);
  const order = collOrder(v);
  const out = newArray(o.count);
  for (let i: u32 = 0; i < o.count; i++) {
    const p = <usize>orderedPos(order, i) << 2;
    arrayAppend(out, load<usize>((t == T_SET ? o.keys : o.vals) + p));
  }
  return out;
}

/** The key a host answer's index k stands for in operand v; 0 if none. */
function keyOf(v: usize, k: usize): usize {
  const t = load<u32>(v);
  if (t != T_SET && t != T_OBJECT) return k;
  if (k == 0 || load<u32>(k) != T_NUMBER) return 0;
  const i = numToI64(k);
  const o = changetype<Obj>(v);
  if (!i64ok || i < 0 || i >= <i64>o.count) return 0;
  return load<usize>(o.keys + (<usize>orderedPos(collOrder(v), <u32>i) << 2));
}

export function writ_bi_net_cidr_contains_matches(a: usize, b: usize, hostId: i32): usize {
  if (a == 0 || b == 0) return 0;
  if (!elementsOk(a)) return builtinError("net.cidr_contains_matches", "operand 1: element must be string or non-empty array");
  if (itemCount(a) == 0) return newCollection(T_SET, 0);
  if (!elementsOk(b)) return builtinError("net.cidr_contains_matches", "operand 2: element must be string or non-empty array");
  const ta = load<u32>(a);
  const tb = load<u32>(b);
  const plain = ta != T_SET && ta != T_OBJECT && tb != T_SET && tb != T_OBJECT;
  const r = writ_call_builtin2(hostId & 0x3fffffff, plain ? a : forHost(a), plain ? b : forHost(b));
  if (r == 0 || plain) return r;
  const t = load<u32>(r);
  if (t != T_SET && t != T_ARRAY) return 0;
  const n = t == T_SET ? changetype<Obj>(r).count : changetype<Arr>(r).count;
  const elems = t == T_SET ? changetype<Obj>(r).keys : changetype<Arr>(r).elems;
  const out = newCollection(T_SET, n);
  for (let i: u32 = 0; i < n; i++) {
    const pair = load<usize>(elems + (<usize>i << 2));
    if (load<u32>(pair) != T_ARRAY || changetype<Arr>(pair).count != 2) return 0;
    const pe = changetype<Arr>(pair).elems;
    const k1 = keyOf(a, load<usize>(pe));
    const k2 = keyOf(b, load<usize>(pe + 4));
    if (k1 == 0 || k2 == 0) return 0;
    const p = newArray(2);
    arrayAppend(p, k1);
    arrayAppend(p, k2);
    setAdd(out, p);
  }
  return out;
}
