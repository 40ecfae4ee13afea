// internal.member_2 (`x in c`) and internal.member_3 (`k, v in c`).
import { collFind } from "../coll";
import { writ_dot } from "../exec";
import { equal } from "../order";
import { Arr, Obj, T_ARRAY, T_OBJECT, T_SET, boolValue } from "../value";

export function writ_bi_internal_member_2(x: usize, c: usize): usize {
  if (x == 0 || c == 0) return 0;
  switch (load<u32>(c)) {
    case T_SET:
      return boolValue(collFind(c, x) >= 0);
    case T_ARRAY: {
      const a = changetype<Arr>(c);
      for (let i: u32 = 0; i < a.count; i++) if (equal(load<usize>(a.elems + (<usize>i << 2)), x)) return boolValue(true);
      return boolValue(false);
    }
    case T_OBJECT: {
      const o = changetype<Obj>(c);
      for (let i: u32 = 0; i < o.count; i++) if (equal(load<usize>(o.vals + (<usize>i << 2)), x)) return boolValue(true);
      return boolValue(false);
    }
  }
  return boolValue(false);
}

export function writ_bi_internal_member_3(k: usize, v: usize, c: usize): usize {
  if (k == 0 || v == 0 || c == 0) return 0;
  const t = load<u32>(c);
  if (t != T_ARRAY && t != T_OBJECT) return boolValue(false);
  const actual = writ_dot(c, k);
  return boolValue(actual != 0 && equal(actual, v));
}
