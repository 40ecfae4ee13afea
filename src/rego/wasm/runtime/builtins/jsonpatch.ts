// json.patch(doc, ops): JSON Patch (RFC 6902) over OPA's paths, natively so
// that sets (and non-string keys) survive. Follows OPA's topdown/json.go and
// its edit tree (internal/edittree): every failing operation makes the call
// undefined; only a second operand that is not an array is an error.
//
// The document is edited as a tree of nodes: a plain value (a scalar, or a
// composite not yet descended into) or an Edit node over a composite, made
// when a path first goes through it. Objects and sets keep a fresh map from
// key (for sets: member) to child, 0 for a deleted entry; arrays keep their
// slots' children and, per slot, whether it still is an untouched element of
// the node's original array. Like OPA's edit tree, walking through such an
// untouched slot fetches the original array's element at the *current*
// index (which differs from the slot's element after earlier inserts or
// removes in the same call), and a set is re-rendered whenever a composite
// member is used as a key. Input values are never written to.
import { collCopy, collFind, objectGet, objectInsert, setAdd } from "../coll";
import { operandError } from "../errors";
import { numIsInteger, numToI64, i64ok } from "../num";
import { equal } from "../order";
import { malloc } from "../alloc";
import {
  Arr, Obj, Str, T_ARRAY, T_NUMBER, T_OBJECT, T_SET, T_STRING,
  arrayAppend, newArray, newCollection, newString, newStringAscii,
} from "../value";

/** Tag of an Edit node (never a Rego value's tag). */
const T_EDIT: u32 = 0x45;

@unmanaged
class Edit {
  tag: u32;
  /** T_OBJECT, T_SET or T_ARRAY */
  kind: u32;
  /** the value the node was made over (arrays: what untouched slots index) */
  base: usize;
  /** objects, sets: an Obj (T_OBJECT) from key to child, 0 = deleted;
   *  arrays: an Arr of children */
  items: usize;
  /** arrays: an Arr of flags (1: untouched original slot) */
  orig: usize;
}

/** Set when an operation fails. */
let failed: bool = false;
/** The root node; rootDeleted after removing the whole document. */
let root: usize = 0;
let rootDeleted: bool = false;

@inline
function fail(): usize {
  failed = true;
  return 0;
}

@inline
function isComposite(v: usize): bool {
  const t = load<u32>(v);
  return t == T_ARRAY || t == T_OBJECT || t == T_SET;
}

@inline
function elemAt(a: usize, i: u32): usize {
  return load<usize>(changetype<Arr>(a).elems + (<usize>i << 2));
}

@inline
function elemSet(a: usize, i: u32, v: usize): void {
  store<usize>(changetype<Arr>(a).elems + (<usize>i << 2), v);
}

function arrInsertAt(a: usize, i: u32, v: usize): void {
  arrayAppend(a, 0);
  const x = changetype<Arr>(a);
  const p = x.elems + (<usize>i << 2);
  memory.copy(p + 4, p, <usize>(x.count - 1 - i) << 2);
  store<usize>(p, v);
}

function arrRemoveAt(a: usize, i: u32): void {
  const x = changetype<Arr>(a);
  const p = x.elems + (<usize>i << 2);
  memory.copy(p, p + 4, <usize>(x.count - 1 - i) << 2);
  x.count--;
}

/** A map from each member of set s to itself, with room to grow. */
function setItems(s: usize): usize {
  const c = changetype<Obj>(collCopy(s, 1));
  c.tag = T_OBJECT;
  c.vals = malloc(<usize>c.cap << 2);
  if (c.count) memory.copy(c.vals, c.keys, <usize>c.count << 2);
  return changetype<usize>(c);
}

/** An Edit node over a composite value; scalars stay plain. */
function wrap(v: usize): usize {
  const t = load<u32>(v);
  if (t != T_ARRAY && t != T_OBJECT && t != T_SET) return v;
  const e = changetype<Edit>(malloc(offsetof<Edit>()));
  e.tag = T_EDIT;
  e.kind = t;
  e.base = v;
  e.orig = 0;
  if (t == T_OBJECT) e.items = collCopy(v, 1);
  else if (t == T_SET) e.items = setItems(v);
  else {
    const a = changetype<Arr>(v);
    const items = newArray(a.count + 1);
    const orig = newArray(a.count + 1);
    if (a.count) memory.copy(changetype<Arr>(items).elems, a.elems, <usize>a.count << 2);
    for (let i: u32 = 0; i < a.count; i++) elemSet(orig, i, 1);
    changetype<Arr>(items).count = a.count;
    changetype<Arr>(orig).count = a.count;
    e.items = items;
    e.orig = orig;
  }
  return changetype<usize>(e);
}

/** The value a node stands for (0 for a deleted root). */
function render(n: usize): usize {
  if (n == 0 || load<u32>(n) != T_EDIT) return n;
  const e = changetype<Edit>(n);
  if (e.kind == T_ARRAY) {
    const items = changetype<Arr>(e.items);
    const out = newArray(items.count);
    for (let i: u32 = 0; i < items.count; i++) arrayAppend(out, render(elemAt(e.items, i)));
    return out;
  }
  const m = changetype<Obj>(e.items);
  const out = newCollection(e.kind, m.count);
  for (let i: u32 = 0; i < m.count; i++) {
    const c = load<usize>(m.vals + (<usize>i << 2));
    if (c == 0) continue;
    if (e.kind == T_OBJECT) objectInsert(out, load<usize>(m.keys + (<usize>i << 2)), render(c));
    else setAdd(out, render(c));
  }
  return out;
}

/** A set node used with a composite key is first rendered and started afresh. */
function collapse(e: Edit): void {
  const v = render(changetype<usize>(e));
  e.base = v;
  e.items = setItems(v);
}

/** OPA's toIndex: a path segment as an array index for an array of length n;
 *  failed is set when it is none. */
function toIndex(n: u32, key: usize): i64 {
  const t = load<u32>(key);
  if (t == T_NUMBER) {
    if (!numIsInteger(key)) return <i64>fail();
    const i = numToI64(key);
    if (!i64ok) return <i64>fail();
    return i;
  }
  if (t != T_STRING) return <i64>fail();
  const s = changetype<Str>(key);
  const p = s.ptr;
  const len = s.len;
  if (len == 1 && load<u8>(p) == 45) return <i64>n; // "-"
  // strconv.ParseInt(s, 10, 64)
  let j: u32 = 0;
  let neg = false;
  if (len > 0 && (load<u8>(p) == 43 || load<u8>(p) == 45)) {
    neg = load<u8>(p) == 45;
    j = 1;
  }
  if (j == len) return <i64>fail();
  let v: i64 = 0;
  for (; j < len; j++) {
    const c = <i32>load<u8>(p + j) - 48;
    if (c < 0 || c > 9) return <i64>fail();
    if (v > 100000000000000000) return <i64>fail(); // beyond any index
    v = v * 10 + c;
  }
  // leading zeros are not allowed (but "-0", "+01" pass, as in OPA)
  if (load<u8>(p) == 48 && len > 1) return <i64>fail();
  return neg ? -v : v;
}

/** The child of node n under key, made an Edit node when composite. */
function step(n: usize, key: usize): usize {
  if (n == 0 || load<u32>(n) != T_EDIT) return fail();
  const e = changetype<Edit>(n);
  if (e.kind == T_ARRAY) {
    const items = changetype<Arr>(e.items);
    const idx = toIndex(items.count, key);
    if (failed) return 0;
    if (idx >= 0 && idx < <i64>items.count && elemAt(e.orig, <u32>idx) == 0) {
      let c = elemAt(e.items, <u32>idx);
      if (isComposite(c)) {
        c = wrap(c);
        elemSet(e.items, <u32>idx, c);
      }
      return c;
    }
    // OPA looks the index up in the node's original array
    const base = changetype<Arr>(e.base);
    if (idx < 0 || idx >= <i64>base.count) return fail();
    if (idx > <i64>items.count - 1) return fail();
    const c = wrap(elemAt(e.base, <u32>idx));
    elemSet(e.items, <u32>idx, c);
    elemSet(e.orig, <u32>idx, 0);
    return c;
  }
  if (e.kind == T_SET && isComposite(key)) collapse(e);
  const m = changetype<Obj>(e.items);
  const i = collFind(e.items, key);
  if (i < 0) return fail();
  let c = load<usize>(m.vals + (<usize>i << 2));
  if (c == 0) return fail();
  if (isComposite(c)) {
    c = wrap(c);
    store<usize>(m.vals + (<usize>i << 2), c);
  }
  return c;
}

/** The node at the first n segments of path. */
function unfold(path: usize, n: u32): usize {
  if (rootDeleted) return n == 0 ? 0 : fail();
  if (isComposite(root)) root = wrap(root);
  let node = root;
  for (let i: u32 = 0; i < n; i++) {
    node = step(node, elemAt(path, i));
    if (failed) return 0;
  }
  return node;
}

/** The edit node holding the last step of a path of n > 0 steps, or 0 (and
 *  failed) when the path does not lead to one. */
function parentEdit(path: usize, n: u32): usize {
  const dest = unfold(path, n - 1);
  if (failed) return 0;
  if (dest == 0 || load<u32>(dest) != T_EDIT) {
    fail();
    return 0;
  }
  return dest;
}

function insertAt(path: usize, value: usize): void {
  const n = changetype<Arr>(path).count;
  if (n == 0) {
    root = value;
    rootDeleted = false;
    return;
  }
  const dest = parentEdit(path, n);
  if (dest == 0) return;
  const key = elemAt(path, n - 1);
  const e = changetype<Edit>(dest);
  if (e.kind == T_OBJECT) {
    objectInsert(e.items, key, value);
  } else if (e.kind == T_SET) {
    if (!equal(key, value)) {
      fail();
      return;
    }
    if (isComposite(key)) collapse(e);
    objectInsert(e.items, key, value);
  } else {
    const idx = toIndex(changetype<Arr>(e.items).count, key);
    if (failed) return;
    if (idx < 0 || idx > <i64>changetype<Arr>(e.items).count) {
      fail();
      return;
    }
    arrInsertAt(e.items, <u32>idx, value);
    arrInsertAt(e.orig, <u32>idx, 0);
  }
}

function deleteAt(path: usize): void {
  const n = changetype<Arr>(path).count;
  if (n == 0) {
    if (rootDeleted) fail();
    rootDeleted = true;
    return;
  }
  const dest = parentEdit(path, n);
  if (dest == 0) return;
  const key = elemAt(path, n - 1);
  const e = changetype<Edit>(dest);
  if (e.kind == T_ARRAY) {
    const count = changetype<Arr>(e.items).count;
    const idx = toIndex(count, key);
    if (failed) return;
    if (idx < 0 || idx > <i64>count - 1) {
      fail();
      return;
    }
    arrRemoveAt(e.items, <u32>idx);
    arrRemoveAt(e.orig, <u32>idx);
    return;
  }
  if (e.kind == T_SET && isComposite(key)) collapse(e);
  const i = collFind(e.items, key);
  const m = changetype<Obj>(e.items);
  if (i < 0 || load<usize>(m.vals + (<usize>i << 2)) == 0) {
    fail();
    return;
  }
  store<usize>(m.vals + (<usize>i << 2), 0);
}

function renderAt(path: usize): usize {
  const dest = unfold(path, changetype<Arr>(path).count);
  if (failed) return 0;
  if (dest == 0) return fail();
  return render(dest);
}

/** OPA's parsePath: "" is the root; other strings drop their leading
 *  slashes and split at "/", unescaping ~1 then ~0; arrays are segments. */
function parsePath(p: usize): usize {
  const t = load<u32>(p);
  if (t == T_ARRAY) return p;
  if (t != T_STRING) return fail();
  const s = changetype<Str>(p);
  const out = newArray(4);
  if (s.len == 0) return out;
  let q = s.ptr;
  const end = s.ptr + s.len;
  while (q < end && load<u8>(q) == 47) q++;
  let start = q;
  while (true) {
    if (q == end || load<u8>(q) == 47) {
      arrayAppend(out, segment(start, q - start));
      if (q == end) break;
      start = q + 1;
    }
    q++;
  }
  return out;
}

function segment(p: usize, n: usize): usize {
  let tilde = false;
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) == 126) tilde = true;
  if (!tilde) return newString(p, n);
  // ReplaceAll(ReplaceAll(s, "~1", "/"), "~0", "~")
  const a = malloc(n);
  let m: usize = 0;
  for (let i: usize = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 126 && i + 1 < n && load<u8>(p + i + 1) == 49) {
      store<u8>(a + m++, 47);
      i++;
    } else store<u8>(a + m++, c);
  }
  const b = malloc(m);
  let k: usize = 0;
  for (let i: usize = 0; i < m; i++) {
    const c = load<u8>(a + i);
    if (c == 126 && i + 1 < m && load<u8>(a + i + 1) == 48) {
      store<u8>(b + k++, 126);
      i++;
    } else store<u8>(b + k++, c);
  }
  return newString(b, k);
}

function isAscii(s: usize, text: string): bool {
  const x = changetype<Str>(s);
  if (x.len != <u32>text.length) return false;
  for (let i: u32 = 0; i < x.len; i++) if (<u32>load<u8>(x.ptr + i) != <u32>text.charCodeAt(<i32>i)) return false;
  return true;
}

const OP_ADD: u32 = 1;
const OP_REMOVE: u32 = 2;
const OP_REPLACE: u32 = 3;
const OP_MOVE: u32 = 4;
const OP_COPY: u32 = 5;
const OP_TEST: u32 = 6;

function opCode(s: usize): u32 {
  if (isAscii(s, "add")) return OP_ADD;
  if (isAscii(s, "remove")) return OP_REMOVE;
  if (isAscii(s, "replace")) return OP_REPLACE;
  if (isAscii(s, "move")) return OP_MOVE;
  if (isAscii(s, "copy")) return OP_COPY;
  if (isAscii(s, "test")) return OP_TEST;
  return 0;
}

function applyOp(o: usize, kOp: usize, kPath: usize, kFrom: usize, kValue: usize): void {
  const opv = objectGet(o, kOp);
  if (opv == 0 || load<u32>(opv) != T_STRING) {
    fail();
    return;
  }
  const op = opCode(opv);
  if (op == 0) {
    fail();
    return;
  }
  const pathv = objectGet(o, kPath);
  if (pathv == 0) {
    fail();
    return;
  }
  let fromv: usize = 0;
  if (op == OP_MOVE || op == OP_COPY) {
    fromv = objectGet(o, kFrom);
    if (fromv == 0) {
      fail();
      return;
    }
  }
  let value: usize = 0;
  if (op == OP_ADD || op == OP_REPLACE || op == OP_TEST) {
    value = objectGet(o, kValue);
    if (value == 0) {
      fail();
      return;
    }
  }
  const path = parsePath(pathv);
  if (failed) return;
  if (op == OP_ADD) insertAt(path, value);
  else if (op == OP_REMOVE) deleteAt(path);
  else if (op == OP_REPLACE) {
    deleteAt(path);
    if (!failed) insertAt(path, value);
  } else if (op == OP_MOVE || op == OP_COPY) {
    const from = parsePath(fromv);
    if (failed) return;
    const chunk = renderAt(from);
    if (failed) return;
    if (op == OP_MOVE) {
      deleteAt(from);
      if (failed) return;
    }
    insertAt(path, chunk);
  } else {
    const chunk = renderAt(path);
    if (failed) return;
    if (!equal(chunk, value)) fail();
  }
}

export function writ_bi_json_patch(doc: usize, ops: usize): usize {
  if (doc == 0 || ops == 0) return 0;
  if (load<u32>(ops) != T_ARRAY) return operandError("json.patch", 2, "array", ops);
  failed = false;
  root = doc;
  rootDeleted = false;
  const kOp = newStringAscii("op");
  const kPath = newStringAscii("path");
  const kFrom = newStringAscii("from");
  const kValue = newStringAscii("value");
  const a = changetype<Arr>(ops);
  for (let i: u32 = 0; i < a.count; i++) {
    const o = elemAt(ops, i);
    if (load<u32>(o) != T_OBJECT) return 0;
    applyOp(o, kOp, kPath, kFrom, kValue);
    if (failed) return 0;
  }
  if (rootDeleted) return 0;
  return render(root);
}
