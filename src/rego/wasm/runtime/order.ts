// Rego's value order and equality: null < boolean < number < string < array
// < object < set; numbers compare by value (1 == 1.0); objects and sets
// compare their entries in key order, as OPA's ast.Compare does.
import { collFind, collOrder, orderedPos } from "./coll";
import { numCompare, numEqual, numHash } from "./num";
import { stringCompare, stringEqual, stringHash } from "./str";
import { Arr, Bool, Obj, T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_STRING } from "./value";

export function compare(a: usize, b: usize): i32 {
  if (a == b) return 0;
  if (a == 0) return -1;
  if (b == 0) return 1;
  const ta = load<u32>(a);
  const tb = load<u32>(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case T_NULL:
      return 0;
    case T_BOOLEAN: {
      const x = changetype<Bool>(a).value;
      const y = changetype<Bool>(b).value;
      return x == y ? 0 : x < y ? -1 : 1;
    }
    case T_NUMBER:
      return numCompare(a, b);
    case T_STRING:
      return stringCompare(a, b);
    case T_ARRAY: {
      const x = changetype<Arr>(a);
      const y = changetype<Arr>(b);
      const n = x.count < y.count ? x.count : y.count;
      for (let i: u32 = 0; i < n; i++) {
        const c = compare(load<usize>(x.elems + (<usize>i << 2)), load<usize>(y.elems + (<usize>i << 2)));
        if (c != 0) return c;
      }
      return x.count == y.count ? 0 : x.count < y.count ? -1 : 1;
    }
    default:
      return compareCollections(a, b);
  }
}

function compareCollections(a: usize, b: usize): i32 {
  const x = changetype<Obj>(a);
  const y = changetype<Obj>(b);
  const ox = collOrder(a);
  const oy = collOrder(b);
  const n = x.count < y.count ? x.count : y.count;
  const isObject = x.tag == T_OBJECT;
  for (let i: u32 = 0; i < n; i++) {
    const px = orderedPos(ox, i);
    const py = orderedPos(oy, i);
    let c = compare(load<usize>(x.keys + (<usize>px << 2)), load<usize>(y.keys + (<usize>py << 2)));
    if (c != 0) return c;
    if (isObject) {
      c = compare(load<usize>(x.vals + (<usize>px << 2)), load<usize>(y.vals + (<usize>py << 2)));
      if (c != 0) return c;
    }
  }
  return x.count == y.count ? 0 : x.count < y.count ? -1 : 1;
}

export function equal(a: usize, b: usize): bool {
  if (a == b) return true;
  if (a == 0 || b == 0) return false;
  const ta = load<u32>(a);
  if (ta != load<u32>(b)) return false;
  switch (ta) {
    case T_NULL:
      return true;
    case T_BOOLEAN:
      return changetype<Bool>(a).value == changetype<Bool>(b).value;
    case T_NUMBER:
      return numEqual(a, b);
    case T_STRING:
      return stringEqual(a, b);
    case T_ARRAY: {
      const x = changetype<Arr>(a);
      const y = changetype<Arr>(b);
      if (x.count != y.count) return false;
      for (let i: u32 = 0; i < x.count; i++) {
        if (!equal(load<usize>(x.elems + (<usize>i << 2)), load<usize>(y.elems + (<usize>i << 2)))) return false;
      }
      return true;
    }
    case T_OBJECT: {
      const x = changetype<Obj>(a);
      const y = changetype<Obj>(b);
      if (x.count != y.count) return false;
      for (let i: u32 = 0; i < x.count; i++) {
        const j = collFind(b, load<usize>(x.keys + (<usize>i << 2)));
        if (j < 0) return false;
        if (!equal(load<usize>(x.vals + (<usize>i << 2)), load<usize>(y.vals + (<usize>j << 2)))) return false;
      }
      return true;
    }
    default: {
      const x = changetype<Obj>(a);
      const y = changetype<Obj>(b);
      if (x.count != y.count) return false;
      for (let i: u32 = 0; i < x.count; i++) {
        if (collFind(b, load<usize>(x.keys + (<usize>i << 2))) < 0) return false;
      }
      return true;
    }
  }
}

/** A hash consistent with `equal` (order-independent for objects and sets). */
export function hashValue(v: usize): u32 {
  switch (load<u32>(v)) {
    case T_NULL:
      return 0x2545f491;
    case T_BOOLEAN:
      return changetype<Bool>(v).value ? 0x9e3779b9 : 0x7f4a7c15;
    case T_NUMBER:
      return numHash(v);
    case T_STRING:
      return stringHash(v);
    case T_ARRAY: {
      const x = changetype<Arr>(v);
      let h: u32 = 0x345678;
      for (let i: u32 = 0; i < x.count; i++) h = (h ^ hashValue(load<usize>(x.elems + (<usize>i << 2)))) * 0x01000193;
      return h;
    }
    case T_OBJECT: {
      const x = changetype<Obj>(v);
      let h: u32 = 0x1b873593;
      for (let i: u32 = 0; i < x.count; i++) {
        h += hashValue(load<usize>(x.keys + (<usize>i << 2))) * 31 + hashValue(load<usize>(x.vals + (<usize>i << 2)));
      }
      return h;
    }
    default: {
      const x = changetype<Obj>(v);
      let h: u32 = 0xcc9e2d51;
      for (let i: u32 = 0; i < x.count; i++) h += hashValue(load<usize>(x.keys + (<usize>i << 2)));
      return h;
    }
  }
}
