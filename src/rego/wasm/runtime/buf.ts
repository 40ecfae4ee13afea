// A growable byte buffer on the heap. Growth abandons the old storage: the
// bump allocator cannot reuse it, and doubling bounds the waste.
import { malloc } from "./alloc";

@unmanaged
export class Buf {
  ptr: usize;
  len: usize;
  cap: usize;
}

export function bufNew(cap: usize): Buf {
  const b = changetype<Buf>(malloc(offsetof<Buf>()));
  if (cap < 16) cap = 16;
  b.ptr = malloc(cap);
  b.len = 0;
  b.cap = cap;
  return b;
}

export function bufReserve(b: Buf, n: usize): void {
  const need = b.len + n;
  if (need <= b.cap) return;
  let cap = b.cap << 1;
  if (cap < need) cap = need;
  const p = malloc(cap);
  memory.copy(p, b.ptr, b.len);
  b.ptr = p;
  b.cap = cap;
}

@inline
export function bufByte(b: Buf, c: u32): void {
  if (b.len >= b.cap) bufReserve(b, 1);
  store<u8>(b.ptr + b.len, <u8>c);
  b.len++;
}

export function bufBytes(b: Buf, p: usize, n: usize): void {
  bufReserve(b, n);
  memory.copy(b.ptr + b.len, p, n);
  b.len += n;
}

/** Appends an ASCII AssemblyScript literal. */
export function bufAscii(b: Buf, text: string): void {
  const n = <usize>text.length;
  bufReserve(b, n);
  const dst = b.ptr + b.len;
  for (let i: usize = 0; i < n; i++) store<u8>(dst + i, <u8>text.charCodeAt(<i32>i));
  b.len += n;
}

export function bufU64(b: Buf, v: u64): void {
  // 20 digits hold any u64
  bufReserve(b, 20);
  let n: usize = 1;
  for (let t = v; t >= 10; t /= 10) n++;
  let p = b.ptr + b.len + n;
  do {
    p--;
    store<u8>(p, <u8>(48 + <u32>(v % 10)));
    v /= 10;
  } while (v != 0);
  b.len += n;
}

export function bufI64(b: Buf, v: i64): void {
  if (v < 0) {
    bufByte(b, 45);
    bufU64(b, <u64>(-(v + 1)) + 1);
  } else bufU64(b, <u64>v);
}

/** NUL-terminates and returns the address of the bytes. */
export function bufCString(b: Buf): usize {
  bufByte(b, 0);
  b.len--;
  return b.ptr;
}
