// Exact conversions between decimal text and f64: correctly rounded parsing
// and shortest round-trip printing (Burger & Dybvig's free-format algorithm
// on bignums). OPA keeps number literals as text, so writ needs to know
// whether an f64 reproduces a literal exactly, and must print f64 results the
// way JavaScript and Go read them back.
import {
  big, bigAdd, bigAddCmp, bigCmp, bigCopy, bigLen, bigMulPow10, bigMulPow5, bigMulSmall, bigSetU64, bigShl, bigSub,
} from "./bignum";
import { malloc } from "./alloc";

// --- normalised decimal scanning ------------------------------------------

/** Result of scanDecimal: value = (neg ? -1 : 1) * 0.D * 10^decPoint, where
 *  D = decCount digit bytes ('0'..'9') at decDigits, without leading or
 *  trailing zeros (decCount == 0 for zero). */
export let decNeg: bool = false;
export let decDigits: usize = 0;
export let decCount: u32 = 0;
export let decPoint: i32 = 0;

const SMALL_DIGITS: usize = memory.data(64);
const SMALL_DIGITS_2: usize = memory.data(64);

/** Scans a JSON-grammar number into the dec* globals. `slot` (0 or 1) picks
 *  one of two scratch buffers so that two numbers can be held at once. */
export function scanDecimal(p: usize, len: usize, slot: u32): void {
  const end = p + len;
  let out: usize = len <= 64 ? (slot ? SMALL_DIGITS_2 : SMALL_DIGITS) : malloc(len);
  decNeg = false;
  if (p < end && load<u8>(p) == 45) {
    decNeg = true;
    p++;
  }
  let n: u32 = 0;
  let point: i32 = 0;
  let seenPoint = false;
  let leading = true;
  for (; p < end; p++) {
    const c = <u32>load<u8>(p);
    if (c == 46) {
      seenPoint = true;
      continue;
    }
    if (c < 48 || c > 57) break;
    if (leading && c == 48) {
      if (seenPoint) point--;
      continue;
    }
    leading = false;
    store<u8>(out + n, <u8>c);
    n++;
    if (!seenPoint) point++;
  }
  if (p < end) {
    // exponent
    p++;
    let eneg = false;
    if (p < end && (load<u8>(p) == 45 || load<u8>(p) == 43)) {
      eneg = load<u8>(p) == 45;
      p++;
    }
    let e: i64 = 0;
    for (; p < end; p++) {
      if (e < 100000000) e = e * 10 + <i64>(load<u8>(p) - 48);
    }
    point += <i32>(eneg ? -e : e);
  }
  while (n > 0 && load<u8>(out + n - 1) == 48) n--;
  if (n == 0) point = 0;
  decDigits = out;
  decCount = n;
  decPoint = point;
}

/** Compares two normalised decimals given as (neg, digits, count, point). */
export function compareDecimals(
  n1: bool, d1: usize, c1: u32, p1: i32,
  n2: bool, d2: usize, c2: u32, p2: i32,
): i32 {
  const z1 = c1 == 0;
  const z2 = c2 == 0;
  if (z1 && z2) return 0;
  const s1: i32 = z1 ? 0 : n1 ? -1 : 1;
  const s2: i32 = z2 ? 0 : n2 ? -1 : 1;
  if (s1 != s2) return s1 < s2 ? -1 : 1;
  let mag: i32 = 0;
  if (p1 != p2) mag = p1 < p2 ? -1 : 1;
  else {
    const m = c1 < c2 ? c1 : c2;
    for (let i: u32 = 0; i < m && mag == 0; i++) {
      const a = load<u8>(d1 + i);
      const b = load<u8>(d2 + i);
      if (a != b) mag = a < b ? -1 : 1;
    }
    if (mag == 0 && c1 != c2) mag = c1 < c2 ? -1 : 1;
  }
  return s1 < 0 ? -mag : mag;
}

/** Compares two number texts exactly. */
export function compareDecimalTexts(p1: usize, l1: usize, p2: usize, l2: usize): i32 {
  scanDecimal(p1, l1, 0);
  const n1 = decNeg;
  const d1 = decDigits;
  const c1 = decCount;
  const q1 = decPoint;
  scanDecimal(p2, l2, 1);
  return compareDecimals(n1, d1, c1, q1, decNeg, decDigits, decCount, decPoint);
}

// --- shortest printing -----------------------------------------------------

/** Output of shortestDigits: value = 0.D * 10^shortPoint, D = shortCount
 *  digit bytes at SHORT_DIGITS. */
export const SHORT_DIGITS: usize = memory.data(32);
export let shortCount: u32 = 0;
export let shortPoint: i32 = 0;

/** splitF64's result: v = f64Mant × 2^f64Exp, f64Biased the raw exponent. */
export let f64Mant: u64 = 0;
export let f64Exp: i32 = 0;
export let f64Biased: i32 = 0;

/** Splits finite v > 0 into an integer mantissa and a power of two. */
export function splitF64(v: f64): void {
  const bits = reinterpret<u64>(v);
  f64Biased = <i32>((bits >> 52) & 0x7ff);
  f64Mant = bits & 0xfffffffffffff;
  if (f64Biased == 0) f64Exp = -1074;
  else {
    f64Mant |= 0x10000000000000;
    f64Exp = f64Biased - 1075;
  }
}

/** Shortest digits that read back as v (v finite, > 0). */
export function shortestDigits(v: f64): void {
  splitF64(v);
  const be = f64Biased;
  const f = f64Mant;
  const e = f64Exp;
  const round = (f & 1) == 0;
  const unequal = f == 0x10000000000000 && be > 1;
  const r = big(0);
  const s = big(1);
  const mp = big(2);
  const mm = big(3);
  if (e >= 0) {
    bigSetU64(r, f);
    bigSetU64(mm, 1);
    bigShl(mm, <u32>e);
    if (!unequal) {
      bigShl(r, <u32>e + 1);
      bigSetU64(s, 2);
      bigCopy(mp, mm);
    } else {
      bigShl(r, <u32>e + 2);
      bigSetU64(s, 4);
      bigCopy(mp, mm);
      bigShl(mp, 1);
    }
  } else {
    bigSetU64(s, 1);
    if (!unequal) {
      bigSetU64(r, f << 1);
      bigShl(s, <u32>(1 - e));
      bigSetU64(mp, 1);
      bigSetU64(mm, 1);
    } else {
      bigSetU64(r, f << 2);
      bigShl(s, <u32>(2 - e));
      bigSetU64(mp, 2);
      bigSetU64(mm, 1);
    }
  }
  let k = <i32>Math.ceil(Math.log10(v) - 1e-10);
  if (k >= 0) bigMulPow10(s, <u32>k);
  else {
    bigMulPow10(r, <u32>-k);
    bigMulPow10(mp, <u32>-k);
    bigMulPow10(mm, <u32>-k);
  }
  const hi = bigAddCmp(r, mp, s);
  if (round ? hi >= 0 : hi > 0) {
    bigMulSmall(s, 10);
    k++;
  }
  let n: u32 = 0;
  while (n < 30) {
    bigMulSmall(r, 10);
    bigMulSmall(mp, 10);
    bigMulSmall(mm, 10);
    let d: u32 = 0;
    while (bigCmp(r, s) >= 0) {
      bigSub(r, s);
      d++;
    }
    const lo = bigCmp(r, mm);
    const tc1 = round ? lo <= 0 : lo < 0;
    const up = bigAddCmp(r, mp, s);
    const tc2 = round ? up >= 0 : up > 0;
    if (!tc1 && !tc2) {
      store<u8>(SHORT_DIGITS + <usize>(n++), <u8>(48 + d));
      continue;
    }
    if (tc1 && tc2) {
      // between both boundaries: take the nearer digit
      const r2 = big(4);
      bigAdd(r2, r, r);
      if (bigCmp(r2, s) >= 0) d++;
    } else if (tc2) d++;
    store<u8>(SHORT_DIGITS + <usize>(n++), <u8>(48 + d));
    break;
  }
  shortCount = n;
  shortPoint = k;
}

// --- correctly rounded parsing --------------------------------------------

const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/** The longest digit string compared exactly; longer ones are cut and
 *  marked with a sticky digit (enough to decide the rounding). */
const MAX_EXACT_DIGITS: u32 = 780;

/** Compares D * 10^E with M * 2^B exactly (D: decimal digits at d). */
function compareScaled(d: usize, n: u32, sticky: bool, E: i32, M: u64, B: i32): i32 {
  const L = big(5);
  const R = big(6);
  bigSetU64(L, 0);
  let i: u32 = 0;
  while (i < n) {
    let chunk: u32 = 0;
    let mul: u32 = 1;
    for (let j: u32 = 0; j < 9 && i < n; j++, i++) {
      chunk = chunk * 10 + <u32>(load<u8>(d + i) - 48);
      mul *= 10;
    }
    bigMulSmall(L, mul);
    if (bigLen(L) == 0) bigSetU64(L, chunk);
    else {
      const c = big(4);
      bigSetU64(c, chunk);
      bigAdd(L, L, c);
    }
  }
  if (sticky) {
    bigMulSmall(L, 10);
    const c = big(4);
    bigSetU64(c, 1);
    bigAdd(L, L, c);
    E--;
  }
  bigSetU64(R, M);
  let two: i32 = E;
  if (E >= 0) bigMulPow5(L, <u32>E);
  else bigMulPow5(R, <u32>-E);
  const net = two - B;
  if (net >= 0) bigShl(L, <u32>net);
  else bigShl(R, <u32>-net);
  return bigCmp(L, R);
}

function nextUp(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) + 1);
}

function nextDown(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) - 1);
}

/** The f64 nearest to the normalised decimal in the dec* globals (ties to
 *  even), ignoring the sign. */
export function decimalToF64(): f64 {
  const n = decCount;
  if (n == 0) return 0;
  const point = decPoint;
  if (point > 310) return Infinity;
  if (point < -324) return 0;
  // value = D * 10^E with D the n-digit integer
  const E = point - <i32>n;
  const lead = n < 19 ? n : 19;
  let m: u64 = 0;
  for (let i: u32 = 0; i < lead; i++) m = m * 10 + <u64>(load<u8>(decDigits + i) - 48);
  const e10 = E + <i32>(n - lead);
  if (n <= 15 && E >= -22 && E <= 22) {
    // Clinger's fast path: both operands exact, one rounding
    return E >= 0 ? <f64>m * POW10[E] : <f64>m / POW10[-E];
  }
  if (n <= 15 && E > 22 && E <= 22 + 15 - <i32>n) {
    // still exact: move zeros into the mantissa first
    const shift = E - 22;
    return <f64>m * POW10[shift] * POW10[22];
  }
  let x: f64;
  if (e10 >= -22 && e10 <= 22) x = e10 >= 0 ? <f64>m * POW10[e10] : <f64>m / POW10[-e10];
  else if (e10 > 0) x = <f64>m * Math.pow(10, <f64>e10);
  else x = (<f64>m / 1e22) * Math.pow(10, <f64>(e10 + 22));
  if (!isFinite(x)) x = 1.7976931348623157e308;
  if (x == 0) x = 5e-324;
  const cut = n > MAX_EXACT_DIGITS ? MAX_EXACT_DIGITS : n;
  let sticky = false;
  if (cut < n) {
    for (let i = cut; i < n; i++) if (load<u8>(decDigits + i) != 48) sticky = true;
  }
  const Ecut = E + <i32>(n - cut);
  for (let iter = 0; iter < 8; iter++) {
    const bits = reinterpret<u64>(x);
    const be = <i32>((bits >> 52) & 0x7ff);
    if (be == 0x7ff) return x;
    let f = bits & 0xfffffffffffff;
    let e: i32;
    if (be == 0) e = -1074;
    else {
      f |= 0x10000000000000;
      e = be - 1075;
    }
    const upper = compareScaled(decDigits, cut, sticky, Ecut, (f << 1) + 1, e - 1);
    if (upper > 0) {
      x = nextUp(x);
      continue;
    }
    if (upper == 0) return (f & 1) != 0 ? nextUp(x) : x;
    let lower: i32;
    if (f == 0x10000000000000 && be > 1) lower = compareScaled(decDigits, cut, sticky, Ecut, (f << 2) - 1, e - 2);
    else lower = compareScaled(decDigits, cut, sticky, Ecut, (f << 1) - 1, e - 1);
    if (lower < 0) {
      if (f == 0 && be == 0) return 0;
      x = nextDown(x);
      continue;
    }
    if (lower == 0) return (f & 1) != 0 ? nextDown(x) : x;
    return x;
  }
  return x;
}
