// Helpers that compiled policy code calls. Exported as writ_*; the linker
// resolves them by export name and removes those exports from the module.
import { abortText } from "./abort";
import { LASTING_STATE, calloc, ensureMemory, heapGet, heapSet, setCacheFloor } from "./alloc";
import { collCopy, collFind, collOrder, objectGet, objectInsert, orderedPos, setAdd } from "./coll";
import { clearBuiltinError, raisePendingError } from "./errors";
import { resetNondeterministicCache } from "./ndcache";
import { dumpValue } from "./json_dump";
import { parseValue } from "./json_parse";
import { initNumbers, newNumberInt } from "./num";
import { initPatternCache } from "./pattern/cache";
import { equal } from "./order";
import { runeCount } from "./utf8";
import {
  Arr, NUM_F64, Num, Obj, Str, T_ARRAY, T_NUMBER, T_OBJECT, T_SET, T_STRING, arrayAppend, newArray, newCollection,
} from "./value";

// --- module and evaluation lifecycle ---------------------------------------

/** Called first by the start function: the heap begins above the policy's
 *  data segment at `heapStart`. */
export function writ_init(heapStart: usize): void {
  const p = (heapStart + 15) & ~(<usize>15);
  ensureMemory(p);
  heapSet(p);
  initNumbers();
  initPatternCache();
}

/** A policy constant (JSON text in the data segment), built once. */
export function writ_parse_const(p: usize, len: usize): usize {
  const v = parseValue(p, len, true, true);
  if (v == 0) abortText("internal: invalid policy constant");
  return v;
}

/** opa_eval's prologue: the host hands over the heap pointer. */
export function writ_opa_eval_begin(reserved: i32, heapPtr: usize): void {
  if (reserved != 0) abortText("invalid reserved argument");
  heapSet(heapPtr);
  setCacheFloor(heapPtr);
}

/** The input of opa_eval: length 0 means undefined (the SDK passes 0/0 for
 *  any falsy input). Set literals are accepted, as opa_value_parse does. */
export function writ_eval_input(p: usize, len: usize): usize {
  if (len == 0) return 0;
  const v = parseValue(p, len, true, false);
  if (v == 0) abortText("invalid input: not a JSON value");
  return v;
}

export function writ_eval_output(resultSet: usize, format: i32): usize {
  const s = dumpValue(resultSet, format == 1);
  setCacheFloor(0);
  return s;
}

/** eval(ctx)'s prologue: values made before now (input, data) were parsed
 *  with their caches built. */
export function writ_ctx_eval_begin(): void {
  setCacheFloor(heapGet());
}

// --- memoisation --------------------------------------------------------------
// One slot per memoised function: [value, generation]. A `with` block runs in
// a fresh generation, so results computed outside it are not used inside it
// (and results computed inside are discarded after it).
// The state lives in memory at MEMO_STATE, [table, generation, counter], so
// that generated code reads and writes slots inline (no call per memoised
// reference); the linker learns the address from writ_memo_state.

const MEMO_STATE: usize = memory.data(12);

@inline
function memoTable(): usize {
  return load<usize>(MEMO_STATE);
}

@inline
function memoGen(): u32 {
  return load<u32>(MEMO_STATE, 4);
}

@inline
function setMemoGen(g: u32): void {
  store<u32>(MEMO_STATE, g, 4);
}

export function writ_memo_state(): usize {
  return MEMO_STATE;
}

/** The address of [floor, epoch] (alloc.ts LASTING_STATE), for the linker. */
export function writ_lasting_state(): usize {
  return LASTING_STATE;
}

export function writ_eval_begin(memoSlots: u32): void {
  store<usize>(MEMO_STATE, memoSlots ? calloc(<usize>memoSlots << 3) : 0);
  setMemoGen(1);
  store<u32>(MEMO_STATE, 1, 8);
  clearBuiltinError();
  resetNondeterministicCache();
}

/** Enters a fresh generation; returns the one to restore. */
export function writ_memo_push(): u32 {
  const prev = memoGen();
  const next = load<u32>(MEMO_STATE, 8) + 1;
  store<u32>(MEMO_STATE, next, 8);
  setMemoGen(next);
  return prev;
}

export function writ_memo_pop(prev: u32): void {
  setMemoGen(prev);
}

/** After a builtin returned undefined: raise its pending error if the
 *  policy has strict builtin errors, or if the error is a conflict. */
export function writ_raise_builtin_error(location: usize, strict: i32): void {
  raisePendingError(location, strict != 0);
}

// --- statements ----------------------------------------------------------------

export function writ_equal(a: usize, b: usize): i32 {
  return equal(a, b) ? 1 : 0;
}

/** source[key]: object member, array element, set member; 0 when absent. */
export function writ_dot(src: usize, key: usize): usize {
  if (src == 0 || key == 0) return 0;
  switch (load<u32>(src)) {
    case T_OBJECT:
      return objectGet(src, key);
    case T_ARRAY: {
      if (load<u32>(key) != T_NUMBER) return 0;
      const n = changetype<Num>(key);
      if (n.kind != NUM_F64) return 0;
      const x = n.value;
      const a = changetype<Arr>(src);
      if (!(x >= 0 && x < <f64>a.count)) return 0;
      const i = <u32>x;
      if (<f64>i != x) return 0;
      return load<usize>(a.elems + (<usize>i << 2));
    }
    case T_SET: {
      const i = collFind(src, key);
      return i < 0 ? 0 : load<usize>(changetype<Obj>(src).keys + (<usize>i << 2));
    }
  }
  return 0;
}

export function writ_len(src: usize): usize {
  if (src == 0) return 0;
  switch (load<u32>(src)) {
    case T_ARRAY:
      return newNumberInt(<i32>changetype<Arr>(src).count);
    case T_OBJECT:
    case T_SET:
      return newNumberInt(<i32>changetype<Obj>(src).count);
    case T_STRING: {
      const s = changetype<Str>(src);
      return newNumberInt(<i32>runeCount(s.ptr, s.len));
    }
  }
  return 0;
}

/** Elements a Scan visits, or -1 when src is not a collection. */
export function writ_scan_count(src: usize): i32 {
  if (src == 0) return -1;
  switch (load<u32>(src)) {
    case T_ARRAY:
      return <i32>changetype<Arr>(src).count;
    case T_OBJECT:
    case T_SET:
      return <i32>changetype<Obj>(src).count;
  }
  return -1;
}

/** The visiting order of an object or set (entry positions in key order,
 *  0 for arrays and for collections already in order); a Scan asks once. */
export function writ_scan_order(src: usize): usize {
  return load<u32>(src) == T_ARRAY ? 0 : collOrder(src);
}

export function writ_scan_key(src: usize, order: usize, i: u32): usize {
  if (load<u32>(src) == T_ARRAY) return newNumberInt(<i32>i);
  return load<usize>(changetype<Obj>(src).keys + (<usize>orderedPos(order, i) << 2));
}

export function writ_scan_value(src: usize, order: usize, i: u32): usize {
  const t = load<u32>(src);
  if (t == T_ARRAY) return load<usize>(changetype<Arr>(src).elems + (<usize>i << 2));
  const o = changetype<Obj>(src);
  return load<usize>((t == T_OBJECT ? o.vals : o.keys) + (<usize>orderedPos(order, i) << 2));
}

export function writ_new_array(cap: u32): usize {
  return newArray(cap);
}

export function writ_new_object(): usize {
  return newCollection(T_OBJECT, 0);
}

export function writ_new_set(): usize {
  return newCollection(T_SET, 0);
}

// An undefined (0) element, key or value is never stored: no value may
// contain undefined.

export function writ_array_append(a: usize, v: usize): void {
  if (v != 0) arrayAppend(a, v);
}

export function writ_object_insert(o: usize, k: usize, v: usize): void {
  if (k != 0 && v != 0) objectInsert(o, k, v);
}

/** Inserts unless k is present with another value; 0 on such a conflict. */
export function writ_object_insert_once(o: usize, k: usize, v: usize): i32 {
  if (k == 0 || v == 0) return 1;
  const i = collFind(o, k);
  if (i < 0) {
    objectInsert(o, k, v);
    return 1;
  }
  return equal(load<usize>(changetype<Obj>(o).vals + (<usize>i << 2)), v) ? 1 : 0;
}

export function writ_set_add(s: usize, v: usize): void {
  if (v != 0) setAdd(s, v);
}

/** Deep merge of objects a and b; a's values win over b's non-object ones.
 *  0 unless both are objects. */
export function writ_object_merge(a: usize, b: usize): usize {
  if (a == 0 || b == 0 || load<u32>(a) != T_OBJECT || load<u32>(b) != T_OBJECT) return 0;
  return merge(a, b);
}

function merge(a: usize, b: usize): usize {
  const ob = changetype<Obj>(b);
  const out = collCopy(a, ob.count);
  for (let i: u32 = 0; i < ob.count; i++) {
    const k = load<usize>(ob.keys + (<usize>i << 2));
    const vb = load<usize>(ob.vals + (<usize>i << 2));
    const va = objectGet(a, k);
    if (va == 0) objectInsert(out, k, vb);
    else if (load<u32>(va) == T_OBJECT && load<u32>(vb) == T_OBJECT) objectInsert(out, k, merge(va, vb));
  }
  return out;
}

/** A copy of base with the value at path (n string values at `path`)
 *  replaced by v; missing or non-object nodes on the way become objects. */
export function writ_with(base: usize, path: usize, n: u32, v: usize): usize {
  return upsert(base, path, n, v);
}

function upsert(base: usize, path: usize, n: u32, v: usize): usize {
  if (n == 0) return v;
  const key = load<usize>(path);
  let node: usize;
  let child: usize = 0;
  if (base != 0 && load<u32>(base) == T_OBJECT) {
    node = collCopy(base, 1);
    child = objectGet(base, key);
  } else node = newCollection(T_OBJECT, 1);
  objectInsert(node, key, upsert(child, path + 4, n - 1, v));
  return node;
}

/** Host builtins get sets as JSON arrays; a result declared as a set comes
 *  back as an array and is turned into a set again. */
export function writ_array_to_set(v: usize): usize {
  if (v == 0 || load<u32>(v) != T_ARRAY) return v;
  const a = changetype<Arr>(v);
  const s = newCollection(T_SET, a.count);
  for (let i: u32 = 0; i < a.count; i++) setAdd(s, load<usize>(a.elems + (<usize>i << 2)));
  return s;
}

/** The end of the runtime's static data; the linker reads the constant this
 *  returns to place the policy's data segment above it. */
export function writ_heap_base(): usize {
  return __heap_base;
}
