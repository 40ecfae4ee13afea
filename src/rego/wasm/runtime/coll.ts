// Objects and sets: lookup by value (linear for small collections, a hash
// index beyond), insertion, and iteration in Rego's key order.
import { malloc, mayCache } from "./alloc";
import { compare, equal, hashValue } from "./order";
import { Obj, T_OBJECT, T_SET, T_STRING, newCollection, Str } from "./value";
import { stringEqual, stringHash } from "./str";

/** Collections up to this size are searched linearly. */
const SMALL: u32 = 8;

@inline
function keyAt(o: Obj, i: u32): usize {
  return load<usize>(o.keys + (<usize>i << 2));
}

@inline
function keyEq(a: usize, b: usize): bool {
  if (a == b) return true;
  if (load<u32>(a) == T_STRING && load<u32>(b) == T_STRING) return stringEqual(a, b);
  return equal(a, b);
}

@inline
function keyHash(k: usize): u32 {
  return load<u32>(k) == T_STRING ? stringHash(k) : hashValue(k);
}

function buildIndex(o: Obj, icap: u32): void {
  const tab = malloc(<usize>icap << 2);
  memory.fill(tab, 0, <usize>icap << 2);
  const mask = icap - 1;
  for (let i: u32 = 0; i < o.count; i++) {
    let h = keyHash(keyAt(o, i)) & mask;
    while (load<u32>(tab + (<usize>h << 2)) != 0) h = (h + 1) & mask;
    store<u32>(tab + (<usize>h << 2), i + 1);
  }
  o.index = tab;
  o.icap = icap;
}

/** Position of key k in o, or -1. */
export function collFind(ov: usize, k: usize): i32 {
  const o = changetype<Obj>(ov);
  const n = o.count;
  if (n <= SMALL || (o.index == 0 && !mayCache(ov))) {
    if (load<u32>(k) == T_STRING) {
      // strings are the usual keys: compare lengths before bytes
      const klen = changetype<Str>(k).len;
      for (let i: u32 = 0; i < n; i++) {
        const c = keyAt(o, i);
        if (load<u32>(c) == T_STRING && changetype<Str>(c).len == klen && stringEqual(c, k)) return <i32>i;
      }
      return -1;
    }
    for (let i: u32 = 0; i < n; i++) if (equal(keyAt(o, i), k)) return <i32>i;
    return -1;
  }
  if (o.index == 0) buildIndex(o, nextPow2(n << 1));
  const mask = o.icap - 1;
  let h = keyHash(k) & mask;
  while (true) {
    const e = load<u32>(o.index + (<usize>h << 2));
    if (e == 0) return -1;
    if (keyEq(keyAt(o, e - 1), k)) return <i32>(e - 1);
    h = (h + 1) & mask;
  }
  return -1;
}

function nextPow2(n: u32): u32 {
  let c: u32 = 16;
  while (c < n) c <<= 1;
  return c;
}

function grow(o: Obj): void {
  const cap: u32 = o.cap < 4 ? 4 : o.cap << 1;
  const keys = malloc(<usize>cap << 2);
  if (o.count) memory.copy(keys, o.keys, <usize>o.count << 2);
  o.keys = keys;
  if (o.tag == T_OBJECT) {
    const vals = malloc(<usize>cap << 2);
    if (o.count) memory.copy(vals, o.vals, <usize>o.count << 2);
    o.vals = vals;
  }
  o.cap = cap;
}

/** Appends a key known to be absent. */
function append(o: Obj, k: usize, v: usize): void {
  const n = o.count;
  if (o.natural && n > 0 && compare(keyAt(o, n - 1), k) > 0) o.natural = 0;
  appendInOrder(o, k, v);
}

/** o[k] = v, replacing an existing value. */
export function objectInsert(ov: usize, k: usize, v: usize): void {
  const o = changetype<Obj>(ov);
  if (appendsInOrder(o, k)) return appendInOrder(o, k, v);
  const i = collFind(ov, k);
  if (i >= 0) store<usize>(o.vals + (<usize>i << 2), v);
  else append(o, k, v);
}

/** Adds k unless present; returns whether it was added. */
export function setAdd(sv: usize, k: usize): bool {
  const s = changetype<Obj>(sv);
  if (appendsInOrder(s, k)) {
    appendInOrder(s, k, 0);
    return true;
  }
  if (collFind(sv, k) >= 0) return false;
  append(s, k, 0);
  return true;
}

// Keys usually arrive in key order: the parser reads canonical JSON (writ's
// inputs are), and sets and objects built from sorted iteration stay sorted.
// While a collection's keys are in order, a key above the last one is new:
// one comparison instead of a search for a duplicate (a scan of up to 8
// keys, or a hash probe), and the collection stays in key order.
@inline
function appendsInOrder(o: Obj, k: usize): bool {
  const n = o.count;
  return n == 0 || (o.natural != 0 && compare(keyAt(o, n - 1), k) < 0);
}

/** Appends a key known to be absent, keeping `natural` as it is (the
 *  caller has checked it still holds, or has cleared it). */
function appendInOrder(o: Obj, k: usize, v: usize): void {
  if (o.count == o.cap) grow(o);
  const i = o.count;
  store<usize>(o.keys + (<usize>i << 2), k);
  if (o.tag == T_OBJECT) store<usize>(o.vals + (<usize>i << 2), v);
  o.count = i + 1;
  o.order = 0;
  if (o.index != 0) {
    if ((i + 1) << 1 > o.icap) buildIndex(o, o.icap << 1);
    else {
      const mask = o.icap - 1;
      let h = keyHash(k) & mask;
      while (load<u32>(o.index + (<usize>h << 2)) != 0) h = (h + 1) & mask;
      store<u32>(o.index + (<usize>h << 2), i + 1);
    }
  }
}

export function objectGet(ov: usize, k: usize): usize {
  const i = collFind(ov, k);
  return i < 0 ? 0 : load<usize>(changetype<Obj>(ov).vals + (<usize>i << 2));
}

// --- key order ----------------------------------------------------------------

/** Sorts positions [0, n) of `idx` by the keys of o (merge sort). */
function sortPositions(o: Obj, idx: usize, n: u32): void {
  if (n < 2) return;
  const tmp = malloc(<usize>n << 2);
  // insertion-sort runs of 8, then merge
  const RUN: u32 = 8;
  for (let lo: u32 = 0; lo < n; lo += RUN) {
    const hi = lo + RUN < n ? lo + RUN : n;
    for (let i = lo + 1; i < hi; i++) {
      const x = load<u32>(idx + (<usize>i << 2));
      const kx = keyAt(o, x);
      let j = i;
      while (j > lo) {
        const y = load<u32>(idx + (<usize>(j - 1) << 2));
        if (compare(keyAt(o, y), kx) <= 0) break;
        store<u32>(idx + (<usize>j << 2), y);
        j--;
      }
      store<u32>(idx + (<usize>j << 2), x);
    }
  }
  let src = idx;
  let dst = tmp;
  for (let width = RUN; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = lo + width < n ? lo + width : n;
      const hi = lo + (width << 1) < n ? lo + (width << 1) : n;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const a = load<u32>(src + (<usize>i << 2));
        const b = load<u32>(src + (<usize>j << 2));
        if (compare(keyAt(o, a), keyAt(o, b)) <= 0) {
          store<u32>(dst + (<usize>(k++) << 2), a);
          i++;
        } else {
          store<u32>(dst + (<usize>(k++) << 2), b);
          j++;
        }
      }
      while (i < mid) store<u32>(dst + (<usize>(k++) << 2), load<u32>(src + (<usize>(i++) << 2)));
      while (j < hi) store<u32>(dst + (<usize>(k++) << 2), load<u32>(src + (<usize>(j++) << 2)));
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != idx) memory.copy(idx, src, <usize>n << 2);
}

/** The entry positions of o in key order, or 0 when insertion order already
 *  is key order. Cached in o when allowed. */
export function collOrder(ov: usize): usize {
  const o = changetype<Obj>(ov);
  if (o.natural || o.count < 2) return 0;
  if (o.order != 0) return o.order;
  const n = o.count;
  const idx = malloc(<usize>n << 2);
  for (let i: u32 = 0; i < n; i++) store<u32>(idx + (<usize>i << 2), i);
  sortPositions(o, idx, n);
  if (mayCache(ov)) o.order = idx;
  return idx;
}

/** Position of the i-th entry in key order, given collOrder's result. */
@inline
export function orderedPos(order: usize, i: u32): u32 {
  return order == 0 ? i : load<u32>(order + (<usize>i << 2));
}

/** Builds the caches eagerly, for values that outlive an evaluation. */
export function collFinalize(ov: usize): void {
  const o = changetype<Obj>(ov);
  if (o.count > SMALL && o.index == 0) buildIndex(o, nextPow2(o.count << 1));
  collOrder(ov);
}

/** A shallow copy with room for `extra` more entries. */
export function collCopy(ov: usize, extra: u32): usize {
  const o = changetype<Obj>(ov);
  const c = changetype<Obj>(newCollection(o.tag, o.count + extra));
  const n = o.count;
  if (n) {
    memory.copy(c.keys, o.keys, <usize>n << 2);
    if (o.tag == T_OBJECT) memory.copy(c.vals, o.vals, <usize>n << 2);
  }
  c.count = n;
  c.natural = o.natural;
  c.order = o.order;
  if (o.index != 0) {
    const bytes = <usize>o.icap << 2;
    c.index = malloc(bytes);
    memory.copy(c.index, o.index, bytes);
    c.icap = o.icap;
  }
  return changetype<usize>(c);
}

export function isSetTag(v: usize): bool {
  return load<u32>(v) == T_SET;
}
