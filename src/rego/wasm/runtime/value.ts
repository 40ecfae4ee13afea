// The Rego value model in linear memory. Every value starts with a u32 type
// tag; the tags are numbered in Rego's value order (null < boolean < number <
// string < array < object < set), so comparing two values of different types
// is comparing their tags. Address 0 means "undefined".
import { malloc } from "./alloc";

export const T_NULL: u32 = 1;
export const T_BOOLEAN: u32 = 2;
export const T_NUMBER: u32 = 3;
export const T_STRING: u32 = 4;
export const T_ARRAY: u32 = 5;
export const T_OBJECT: u32 = 6;
export const T_SET: u32 = 7;

@unmanaged
export class Bool {
  tag: u32;
  value: u32;
}

/** kind NUM_F64: `value` is the number. kind NUM_TEXT: a literal that no f64
 *  holds exactly (e.g. 28857836529306024611913): `text`/`len` are its
 *  authoritative spelling, `value` is the nearest f64. */
@unmanaged
export class Num {
  tag: u32;
  kind: u32;
  value: f64;
  text: usize;
  len: u32;
}
export const NUM_F64: u32 = 0;
export const NUM_TEXT: u32 = 1;

/** UTF-8 bytes at `ptr` (not NUL-terminated; they may point into the parsed
 *  JSON text). `hash` caches the string's hash, 0 when not yet computed. */
@unmanaged
export class Str {
  tag: u32;
  len: u32;
  ptr: usize;
  hash: u32;
}

@unmanaged
export class Arr {
  tag: u32;
  count: u32;
  cap: u32;
  elems: usize;
}

/** Objects and sets (T_SET: `vals` is 0). Entries stay in insertion order;
 *  `index` is an open-addressing hash table of entry positions + 1 (built
 *  once an object has more than SMALL entries), `order` the entry positions
 *  in key order (built when first iterated), `natural` is set while the
 *  insertion order already is key order. */
@unmanaged
export class Obj {
  tag: u32;
  count: u32;
  cap: u32;
  keys: usize;
  vals: usize;
  index: usize;
  icap: u32;
  order: usize;
  natural: u32;
}

export const NULL_VALUE: usize = memory.data<u32>([T_NULL, 0]);
export const TRUE_VALUE: usize = memory.data<u32>([T_BOOLEAN, 1]);
export const FALSE_VALUE: usize = memory.data<u32>([T_BOOLEAN, 0]);

@inline
export function tagOf(v: usize): u32 {
  return load<u32>(v);
}

@inline
export function boolValue(b: bool): usize {
  return b ? TRUE_VALUE : FALSE_VALUE;
}

export function isTrue(v: usize): bool {
  return v != 0 && load<u32>(v) == T_BOOLEAN && changetype<Bool>(v).value != 0;
}

export function newString(ptr: usize, len: usize): usize {
  const s = changetype<Str>(malloc(offsetof<Str>()));
  s.tag = T_STRING;
  s.len = <u32>len;
  s.ptr = ptr;
  s.hash = 0;
  return changetype<usize>(s);
}

/** A string over a fresh copy of `len` bytes at `src`. */
export function newStringCopy(src: usize, len: usize): usize {
  const p = malloc(len);
  memory.copy(p, src, len);
  return newString(p, len);
}

/** A string value of an ASCII AssemblyScript literal. */
export function newStringAscii(text: string): usize {
  const n = <usize>text.length;
  const p = malloc(n);
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, <u8>text.charCodeAt(<i32>i));
  return newString(p, n);
}

export function newArray(cap: u32): usize {
  const a = changetype<Arr>(malloc(offsetof<Arr>()));
  a.tag = T_ARRAY;
  a.count = 0;
  a.cap = cap;
  a.elems = cap ? malloc(<usize>cap << 2) : 0;
  return changetype<usize>(a);
}

@inline
export function arrayGet(a: usize, i: u32): usize {
  return load<usize>(changetype<Arr>(a).elems + (<usize>i << 2));
}

export function arrayAppend(av: usize, v: usize): void {
  const a = changetype<Arr>(av);
  if (a.count == a.cap) {
    const cap: u32 = a.cap < 4 ? 4 : a.cap << 1;
    const p = malloc(<usize>cap << 2);
    if (a.count) memory.copy(p, a.elems, <usize>a.count << 2);
    a.elems = p;
    a.cap = cap;
  }
  store<usize>(a.elems + (<usize>a.count << 2), v);
  a.count++;
}

export function newCollection(tag: u32, cap: u32): usize {
  const o = changetype<Obj>(malloc(offsetof<Obj>()));
  o.tag = tag;
  o.count = 0;
  o.cap = cap;
  o.keys = cap ? malloc(<usize>cap << 2) : 0;
  o.vals = tag == T_OBJECT && cap ? malloc(<usize>cap << 2) : 0;
  o.index = 0;
  o.icap = 0;
  o.order = 0;
  o.natural = 1;
  return changetype<usize>(o);
}

@inline
export function newObject(): usize {
  return newCollection(T_OBJECT, 0);
}

@inline
export function newSet(): usize {
  return newCollection(T_SET, 0);
}

@inline
export function collKey(o: usize, i: u32): usize {
  return load<usize>(changetype<Obj>(o).keys + (<usize>i << 2));
}

@inline
export function objVal(o: usize, i: u32): usize {
  return load<usize>(changetype<Obj>(o).vals + (<usize>i << 2));
}
