// Go's strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G, which
// fmt uses for %e %f %g %v of float64s: digits with a precision come from the
// exact decimal expansion of the double, rounded half to even as Go's
// decimal.Round does; the shortest form is the shortest round-trip digits.
import { malloc } from "./alloc";
import { big, bigDivSmall, bigLen, bigMulPow5, bigSetU64, bigShl } from "./bignum";
import { Buf, bufByte, bufBytes } from "./buf";
import { SHORT_DIGITS, f64Exp, f64Mant, shortCount, shortPoint, shortestDigits, splitF64 } from "./decimal";

/** The digits being formatted: value = 0.D × 10^fdPoint, D = fdCount ASCII
 *  digits at fdDigits without trailing zeros (fdCount 0: zero). */
let fdDigits: usize = 0;
let fdCount: i32 = 0;
let fdPoint: i32 = 0;

/** Exact decimal digits of finite x > 0. */
function exactDigits(x: f64): void {
  splitF64(x);
  const f = f64Mant;
  const e = f64Exp;
  // x = n × 10^pow10 with n an integer
  const n = big(5);
  bigSetU64(n, f);
  let pow10: i32 = 0;
  if (e >= 0) bigShl(n, <u32>e);
  else {
    bigMulPow5(n, <u32>-e);
    pow10 = e;
  }
  const cap = <usize>bigLen(n) * 10 + 9;
  const buf = malloc(cap);
  let p = buf + cap;
  while (bigLen(n) > 0) {
    let chunk = bigDivSmall(n, 1000000000);
    for (let k = 0; k < 9; k++) {
      p--;
      store<u8>(p, <u8>(48 + chunk % 10));
      chunk /= 10;
    }
  }
  while (p < buf + cap && load<u8>(p) == 48) p++;
  let count = <i32>(buf + cap - p);
  fdPoint = count + pow10;
  while (count > 0 && load<u8>(p + <usize>count - 1) == 48) count--;
  fdDigits = p;
  fdCount = count;
}

function shortest(x: f64): void {
  shortestDigits(x);
  const p = malloc(shortCount + 1);
  memory.copy(p, SHORT_DIGITS, shortCount);
  fdDigits = p;
  fdCount = <i32>shortCount;
  fdPoint = shortPoint;
}

@inline
function digitAt(i: i32): u32 {
  return <u32>load<u8>(fdDigits + <usize>i);
}

/** Go's decimal.Round(nd): keeps nd digits, half to even on exact ties. */
function roundTo(nd: i32): void {
  if (nd < 0 || nd >= fdCount) return;
  let up: bool;
  if (digitAt(nd) == 53 && nd + 1 == fdCount) up = nd > 0 && (digitAt(nd - 1) - 48) % 2 == 1;
  else up = digitAt(nd) >= 53;
  if (up) {
    let i = nd - 1;
    while (i >= 0 && digitAt(i) == 57) i--;
    if (i < 0) {
      store<u8>(fdDigits, 49);
      fdCount = 1;
      fdPoint++;
    } else {
      store<u8>(fdDigits + <usize>i, <u8>(digitAt(i) + 1));
      fdCount = i + 1;
    }
  } else {
    fdCount = nd;
    while (fdCount > 0 && digitAt(fdCount - 1) == 48) fdCount--;
  }
}

function writeExp(b: Buf, prec: i32, e: u32): void {
  bufByte(b, fdCount == 0 ? 48 : digitAt(0));
  if (prec > 0) {
    bufByte(b, 46);
    let i = 1;
    const m = fdCount < prec + 1 ? fdCount : prec + 1;
    if (i < m) {
      bufBytes(b, fdDigits + 1, <usize>(m - 1));
      i = m;
    }
    for (; i <= prec; i++) bufByte(b, 48);
  }
  bufByte(b, e);
  let exp = fdCount == 0 ? 0 : fdPoint - 1;
  if (exp < 0) {
    bufByte(b, 45);
    exp = -exp;
  } else bufByte(b, 43);
  if (exp < 10) {
    bufByte(b, 48);
    bufByte(b, 48 + exp);
  } else if (exp < 100) {
    bufByte(b, 48 + exp / 10);
    bufByte(b, 48 + exp % 10);
  } else {
    bufByte(b, 48 + exp / 100);
    bufByte(b, 48 + (exp / 10) % 10);
    bufByte(b, 48 + exp % 10);
  }
}

function writeFixed(b: Buf, prec: i32): void {
  if (fdPoint > 0) {
    let m = fdCount < fdPoint ? fdCount : fdPoint;
    bufBytes(b, fdDigits, <usize>m);
    for (; m < fdPoint; m++) bufByte(b, 48);
  } else bufByte(b, 48);
  if (prec > 0) {
    bufByte(b, 46);
    for (let i = 1; i <= prec; i++) {
      const j = fdPoint + i - 1;
      bufByte(b, j >= 0 && j < fdCount ? digitAt(j) : 48);
    }
  }
}

/** strconv.FormatFloat(x, verb, prec, 64); verb is one of e E f g G (ASCII),
 *  prec -1 for the shortest form. */
export function writeGoFloat(b: Buf, x: f64, verb: u32, prec: i32): void {
  if (x != x) {
    bufByte(b, 78); bufByte(b, 97); bufByte(b, 78); // NaN
    return;
  }
  if (!isFinite(x)) {
    bufByte(b, x > 0 ? 43 : 45);
    bufByte(b, 73); bufByte(b, 110); bufByte(b, 102); // Inf
    return;
  }
  if (x < 0 || (x == 0 && 1 / x < 0)) bufByte(b, 45);
  const ax = Math.abs(x);
  const lower = verb | 0x20;
  const shortestForm = prec < 0;
  if (ax == 0) {
    fdCount = 0;
    fdPoint = 0;
  } else if (shortestForm) shortest(ax);
  else exactDigits(ax);
  if (shortestForm) {
    if (lower == 101) prec = fdCount > 1 ? fdCount - 1 : 0;
    else if (lower == 102) prec = fdCount - fdPoint > 0 ? fdCount - fdPoint : 0;
    else prec = fdCount;
  } else if (lower == 101) roundTo(prec + 1);
  else if (lower == 102) roundTo(fdPoint + prec);
  else {
    if (prec == 0) prec = 1;
    roundTo(prec);
  }
  if (lower == 101) {
    writeExp(b, prec, verb);
    return;
  }
  if (lower == 102) {
    writeFixed(b, prec);
    return;
  }
  // %g: %e when the exponent is below -4 or at least the precision
  let eprec = prec;
  if (eprec > fdCount && fdCount >= fdPoint) eprec = fdCount;
  if (shortestForm) eprec = 6;
  const exp = fdPoint - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > fdCount) prec = fdCount;
    writeExp(b, prec - 1, verb + 101 - 103);
    return;
  }
  if (prec > fdPoint) prec = fdCount;
  writeFixed(b, prec - fdPoint > 0 ? prec - fdPoint : 0);
}
