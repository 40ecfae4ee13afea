// Fixed-capacity unsigned big integers in static scratch memory, for exact
// decimal <-> binary conversion (correctly rounded parsing, shortest
// round-trip printing). A bignum is [len: u32][limbs: u32 x CAP], limbs
// little-endian; len == 0 is zero.
export const BIG_CAP: u32 = 256;
const BIG_SIZE: usize = 4 + (<usize>BIG_CAP << 2);

const POOL: usize = memory.data(<i32>(BIG_SIZE * 8), 8);

/** Scratch bignum number i (0..7). */
@inline
export function big(i: u32): usize {
  return POOL + <usize>i * BIG_SIZE;
}

@inline
function limb(b: usize, i: u32): u32 {
  return load<u32>(b + 4 + (<usize>i << 2));
}

@inline
function setLimb(b: usize, i: u32, v: u32): void {
  store<u32>(b + 4 + (<usize>i << 2), v);
}

@inline
export function bigLen(b: usize): u32 {
  return load<u32>(b);
}

export function bigSetU64(b: usize, v: u64): void {
  if (v == 0) store<u32>(b, 0);
  else if (v >> 32 == 0) {
    store<u32>(b, 1);
    setLimb(b, 0, <u32>v);
  } else {
    store<u32>(b, 2);
    setLimb(b, 0, <u32>v);
    setLimb(b, 1, <u32>(v >> 32));
  }
}

export function bigCopy(dst: usize, src: usize): void {
  memory.copy(dst, src, 4 + (<usize>load<u32>(src) << 2));
}

export function bigMulSmall(b: usize, m: u32): void {
  const n = bigLen(b);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const t = <u64>limb(b, i) * <u64>m + carry;
    setLimb(b, i, <u32>t);
    carry = t >> 32;
  }
  if (carry != 0 && n < BIG_CAP) {
    setLimb(b, n, <u32>carry);
    store<u32>(b, n + 1);
  }
}

export function bigMulPow10(b: usize, n: u32): void {
  while (n >= 9) {
    bigMulSmall(b, 1000000000);
    n -= 9;
  }
  let m: u32 = 1;
  while (n > 0) {
    m *= 10;
    n--;
  }
  if (m != 1) bigMulSmall(b, m);
}

export function bigMulPow5(b: usize, n: u32): void {
  while (n >= 13) {
    bigMulSmall(b, 1220703125); // 5^13
    n -= 13;
  }
  let m: u32 = 1;
  while (n > 0) {
    m *= 5;
    n--;
  }
  if (m != 1) bigMulSmall(b, m);
}

export function bigShl(b: usize, bits: u32): void {
  const n = bigLen(b);
  if (n == 0 || bits == 0) return;
  const words = bits >> 5;
  const sh = bits & 31;
  let top = n + words;
  if (sh != 0) {
    const hi = limb(b, n - 1) >> (32 - sh);
    if (hi != 0 && top < BIG_CAP) {
      setLimb(b, top, hi);
      store<u32>(b, top + 1);
    } else store<u32>(b, top);
    for (let i = <i32>n - 1; i > 0; i--) {
      setLimb(b, <u32>i + words, (limb(b, <u32>i) << sh) | (limb(b, <u32>i - 1) >> (32 - sh)));
    }
    setLimb(b, words, limb(b, 0) << sh);
  } else {
    store<u32>(b, top);
    for (let i = <i32>n - 1; i >= 0; i--) setLimb(b, <u32>i + words, limb(b, <u32>i));
  }
  for (let i: u32 = 0; i < words; i++) setLimb(b, i, 0);
}

export function bigCmp(a: usize, b: usize): i32 {
  const na = bigLen(a);
  const nb = bigLen(b);
  if (na != nb) return na < nb ? -1 : 1;
  for (let i = <i32>na - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** dst = a + b (dst may alias a). */
export function bigAdd(dst: usize, a: usize, b: usize): void {
  const na = bigLen(a);
  const nb = bigLen(b);
  const n = na > nb ? na : nb;
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const t = <u64>(i < na ? limb(a, i) : 0) + <u64>(i < nb ? limb(b, i) : 0) + carry;
    setLimb(dst, i, <u32>t);
    carry = t >> 32;
  }
  if (carry != 0 && n < BIG_CAP) {
    setLimb(dst, n, <u32>carry);
    store<u32>(dst, n + 1);
  } else store<u32>(dst, n);
}

/** a -= b, requires a >= b. */
export function bigSub(a: usize, b: usize): void {
  const na = bigLen(a);
  const nb = bigLen(b);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < na; i++) {
    let t = <i64>limb(a, i) - <i64>(i < nb ? limb(b, i) : 0) - borrow;
    borrow = 0;
    if (t < 0) {
      t += <i64>0x100000000;
      borrow = 1;
    }
    setLimb(a, i, <u32>t);
  }
  let n = na;
  while (n > 0 && limb(a, n - 1) == 0) n--;
  store<u32>(a, n);
}

/** Compares a + b with c (uses scratch bignum 7). */
export function bigAddCmp(a: usize, b: usize, c: usize): i32 {
  const t = big(7);
  bigAdd(t, a, b);
  return bigCmp(t, c);
}

/** dst = a * b (dst must not alias a or b); false when the product would
 *  not fit. */
export function bigMul(dst: usize, a: usize, b: usize): bool {
  const na = bigLen(a);
  const nb = bigLen(b);
  if (na == 0 || nb == 0) {
    store<u32>(dst, 0);
    return true;
  }
  if (na + nb > BIG_CAP) return false;
  for (let i: u32 = 0; i < na + nb; i++) setLimb(dst, i, 0);
  for (let i: u32 = 0; i < na; i++) {
    let carry: u64 = 0;
    const x = <u64>limb(a, i);
    for (let j: u32 = 0; j < nb; j++) {
      const t = x * <u64>limb(b, j) + <u64>limb(dst, i + j) + carry;
      setLimb(dst, i + j, <u32>t);
      carry = t >> 32;
    }
    setLimb(dst, i + nb, <u32>carry);
  }
  let n = na + nb;
  while (n > 0 && limb(dst, n - 1) == 0) n--;
  store<u32>(dst, n);
  return true;
}

/** b /= d; returns the remainder. */
export function bigDivSmall(b: usize, d: u32): u32 {
  let rem: u64 = 0;
  let n = bigLen(b);
  for (let i = <i32>n - 1; i >= 0; i--) {
    const cur = (rem << 32) | <u64>limb(b, <u32>i);
    setLimb(b, <u32>i, <u32>(cur / <u64>d));
    rem = cur % <u64>d;
  }
  while (n > 0 && limb(b, n - 1) == 0) n--;
  store<u32>(b, n);
  return <u32>rem;
}

/** Whether b fits in `bits` bits. */
export function bigBits(b: usize): u32 {
  const n = bigLen(b);
  if (n == 0) return 0;
  return (n - 1) * 32 + (32 - <u32>clz(limb(b, n - 1)));
}

/** The low 64 bits of b. */
export function bigLow64(b: usize): u64 {
  const n = bigLen(b);
  if (n == 0) return 0;
  if (n == 1) return <u64>limb(b, 0);
  return (<u64>limb(b, 1) << 32) | <u64>limb(b, 0);
}
