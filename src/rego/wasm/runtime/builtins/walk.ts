// walk(x): every [path, value] pair of x, root first, children in Rego's
// order (array indexes, object keys, set members as their own path element).
import { collOrder, orderedPos } from "../coll";
import { newNumberInt } from "../num";
import { Arr, Obj, T_ARRAY, T_OBJECT, T_SET, arrayAppend, newArray } from "../value";

function extend(path: usize, k: usize): usize {
  const p = changetype<Arr>(path);
  const out = newArray(p.count + 1);
  if (p.count) memory.copy(changetype<Arr>(out).elems, p.elems, <usize>p.count << 2);
  changetype<Arr>(out).count = p.count;
  arrayAppend(out, k);
  return out;
}

function visit(out: usize, path: usize, v: usize): void {
  const pair = newArray(2);
  arrayAppend(pair, path);
  arrayAppend(pair, v);
  arrayAppend(out, pair);
  const t = load<u32>(v);
  if (t == T_ARRAY) {
    const a = changetype<Arr>(v);
    for (let i: u32 = 0; i < a.count; i++) visit(out, extend(path, newNumberInt(<i32>i)), load<usize>(a.elems + (<usize>i << 2)));
  } else if (t == T_OBJECT || t == T_SET) {
    const o = changetype<Obj>(v);
    const order = collOrder(v);
    for (let i: u32 = 0; i < o.count; i++) {
      const pos = orderedPos(order, i);
      const k = load<usize>(o.keys + (<usize>pos << 2));
      visit(out, extend(path, k), t == T_OBJECT ? load<usize>(o.vals + (<usize>pos << 2)) : k);
    }
  }
}

export function writ_bi_walk(v: usize): usize {
  if (v == 0) return 0;
  const out = newArray(8);
  visit(out, newArray(0), v);
  return out;
}
