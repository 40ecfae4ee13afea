// Rune class ranges under construction: [lo, hi] pairs that are added in
// any order, then sorted and merged, case-folded (ASCII) and negated.
import { malloc } from "../alloc";

export const MAX_RUNE: u32 = 0x10ffff;

/** The list being built (one at a time). */
export let rl: usize = 0;
export let rlCount: u32 = 0;
let rlCap: u32 = 0;

export function rlBegin(): void {
  rlCap = 8;
  rl = malloc(<usize>rlCap << 3);
  rlCount = 0;
}

export function rlAdd(lo: u32, hi: u32): void {
  if (rlCount == rlCap) {
    const p = malloc(<usize>rlCap << 4);
    memory.copy(p, rl, <usize>rlCount << 3);
    rl = p;
    rlCap <<= 1;
  }
  store<u32>(rl + (<usize>rlCount << 3), lo);
  store<u32>(rl + (<usize>rlCount << 3), hi, 4);
  rlCount++;
}

@inline
function lo(i: u32): u32 {
  return load<u32>(rl + (<usize>i << 3));
}

@inline
function hi(i: u32): u32 {
  return load<u32>(rl + (<usize>i << 3), 4);
}

/** Sorts by lo and merges overlapping or adjacent ranges. */
export function rlNormalize(): void {
  for (let i: u32 = 1; i < rlCount; i++) {
    const l = lo(i);
    const h = hi(i);
    let j = i;
    while (j > 0 && lo(j - 1) > l) {
      store<u64>(rl + (<usize>j << 3), load<u64>(rl + (<usize>(j - 1) << 3)));
      j--;
    }
    store<u32>(rl + (<usize>j << 3), l);
    store<u32>(rl + (<usize>j << 3), h, 4);
  }
  if (rlCount == 0) return;
  let w: u32 = 0;
  for (let i: u32 = 1; i < rlCount; i++) {
    if (lo(i) <= hi(w) + 1) {
      if (hi(i) > hi(w)) store<u32>(rl + (<usize>w << 3), hi(i), 4);
    } else {
      w++;
      store<u64>(rl + (<usize>w << 3), load<u64>(rl + (<usize>i << 3)));
    }
  }
  rlCount = w + 1;
}

/** The complement over [0, MAX_RUNE] (of a normalized list). */
export function rlNegate(): void {
  rlNegateFrom(0);
}

/** Replaces the ranges from index `start` on (ascending and disjoint)
 *  with their complement over [0, MAX_RUNE]. */
export function rlNegateFrom(start: u32): void {
  const n = rlCount - start;
  const old = malloc(<usize>n << 3);
  memory.copy(old, rl + (<usize>start << 3), <usize>n << 3);
  rlCount = start;
  let next: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const l = load<u32>(old + (<usize>i << 3));
    const h = load<u32>(old + (<usize>i << 3), 4);
    if (l > next) rlAdd(next, l - 1);
    next = h + 1;
  }
  if (next <= MAX_RUNE) rlAdd(next, MAX_RUNE);
}

/** Adds the other case of ASCII letters, with RE2's extra members of the
 *  k and s orbits (KELVIN SIGN, LONG S). False when a range holds non-ASCII
 *  runes, whose folding this runtime leaves to the host. */
export function rlFoldAscii(): bool {
  const n = rlCount;
  for (let i: u32 = 0; i < n; i++) {
    const l = lo(i);
    const h = hi(i);
    if (h >= 0x80) return false;
    // a-z ∩ [l, h] → upper case, A-Z ∩ [l, h] → lower case
    const la = l > 97 ? l : 97;
    const ha = h < 122 ? h : 122;
    if (la <= ha) rlAdd(la - 32, ha - 32);
    const lA = l > 65 ? l : 65;
    const hA = h < 90 ? h : 90;
    if (lA <= hA) rlAdd(lA + 32, hA + 32);
    if ((l <= 107 && h >= 107) || (l <= 75 && h >= 75)) rlAdd(0x212a, 0x212a);
    if ((l <= 115 && h >= 115) || (l <= 83 && h >= 83)) rlAdd(0x17f, 0x17f);
  }
  rlNormalize();
  return true;
}
