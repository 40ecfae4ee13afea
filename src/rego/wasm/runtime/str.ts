// String values: hashing and byte-wise ordering (Go compares strings byte by
// byte, which for UTF-8 is code point order).
import { Str } from "./value";

export function bytesHash(p: usize, n: usize): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i: usize = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 0x01000193;
  return h;
}

export function stringHash(v: usize): u32 {
  const s = changetype<Str>(v);
  let h = s.hash;
  if (h == 0) {
    h = bytesHash(s.ptr, s.len) | 1;
    s.hash = h;
  }
  return h;
}

export function compareBytes(p1: usize, n1: usize, p2: usize, n2: usize): i32 {
  const n = n1 < n2 ? n1 : n2;
  let i: usize = 0;
  // eight bytes at a time while they are equal
  while (i + 8 <= n && load<u64>(p1 + i) == load<u64>(p2 + i)) i += 8;
  for (; i < n; i++) {
    const a = <i32>load<u8>(p1 + i);
    const b = <i32>load<u8>(p2 + i);
    if (a != b) return a < b ? -1 : 1;
  }
  return n1 == n2 ? 0 : n1 < n2 ? -1 : 1;
}

export function bytesEqual(p1: usize, p2: usize, n: usize): bool {
  let i: usize = 0;
  while (i + 8 <= n) {
    if (load<u64>(p1 + i) != load<u64>(p2 + i)) return false;
    i += 8;
  }
  for (; i < n; i++) if (load<u8>(p1 + i) != load<u8>(p2 + i)) return false;
  return true;
}

export function stringCompare(a: usize, b: usize): i32 {
  const x = changetype<Str>(a);
  const y = changetype<Str>(b);
  return compareBytes(x.ptr, x.len, y.ptr, y.len);
}

export function stringEqual(a: usize, b: usize): bool {
  const x = changetype<Str>(a);
  const y = changetype<Str>(b);
  if (x.len != y.len) return false;
  if (x.ptr == y.ptr) return true;
  if (x.hash != 0 && y.hash != 0 && x.hash != y.hash) return false;
  return bytesEqual(x.ptr, y.ptr, x.len);
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/** Position of the first byte in [p, end) that a JSON string cannot hold
 *  as is ('"', '\\' or a control character), or end. Eight bytes at a
 *  time while none of them is special. */
export function jsonStringSpecial(p: usize, end: usize): usize {
  while (p + 8 <= end) {
    const x = load<u64>(p);
    const quote = x ^ 0x2222222222222222;
    const slash = x ^ 0x5c5c5c5c5c5c5c5c;
    const special = ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | ((x - 0x2020202020202020) & ~x);
    if ((special & HIGHS) != 0) break;
    p += 8;
  }
  while (p < end) {
    const c = load<u8>(p);
    if (c == 34 || c == 92 || c < 0x20) return p;
    p++;
  }
  return end;
}
