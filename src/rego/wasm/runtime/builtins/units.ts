// units.parse and units.parse_bytes natively, with OPA's exact arithmetic:
// the amount is a decimal times a unit, computed on decimal digits; bytes
// are truncated to an integer, SI values keep 10 decimal places (rounded
// half away from zero) when not integral.
import { malloc } from "../alloc";
import { Buf, bufAscii, bufByte } from "../buf";
import { beginError, ERR_BUILTIN } from "../errors";
import { numberFromText } from "../num";
import { Str } from "../value";
import { stringOperand } from "./operands";

const MAX_EXPONENT_DIGITS: usize = 6;

@inline
function isDigit(c: u32): bool {
  return c >= 48 && c <= 57;
}

/** OPA's message already names the builtin, and topdown names it again. */
function failure(name: string): Buf {
  const b = beginError(ERR_BUILTIN, name);
  bufAscii(b, name);
  bufAscii(b, ": ");
  return b;
}

function fail(name: string, msg: string): usize {
  bufAscii(failure(name), msg);
  return 0;
}

/** Where the amount ends in s (OPA's split of "10.5Ki"); -1 when an
 *  exponent has too many digits. */
function amountEnd(s: usize, n: usize): isize {
  for (let i: usize = 0; i < n; i++) {
    const c = <u32>load<u8>(s + i);
    if (!isDigit(c) && c != 46 && c != 101 && c != 69 && c != 43 && c != 45) return <isize>i;
    if (c == 101 || c == 69) {
      const next = i + 1 < n ? <u32>load<u8>(s + i + 1) : 0;
      if (i == n - 1 || (!isDigit(next) && next != 43 && next != 45)) return <isize>i;
      if (next == 43 || next == 45) i++;
      let e = i + 1;
      while (e < n && isDigit(<u32>load<u8>(s + e))) e++;
      if (e - (i + 1) > MAX_EXPONENT_DIGITS) return -1;
    }
  }
  return <isize>n;
}

// the parsed amount: sign, digits (ASCII, little-endian after multiply), exponent
let neg = false;
let digits: usize = 0;
let ndigits: usize = 0;
let exp10: i32 = 0;

/** [+-]digits[.digits][(e|E)[+-]digits] with some digit before the exponent. */
function parseAmount(p: usize, n: usize): bool {
  let i: usize = 0;
  neg = false;
  if (i < n && (load<u8>(p) == 43 || load<u8>(p) == 45)) {
    neg = load<u8>(p) == 45;
    i++;
  }
  digits = malloc(n + 40);
  ndigits = 0;
  let frac: i32 = 0;
  let any = false;
  while (i < n && isDigit(<u32>load<u8>(p + i))) {
    store<u8>(digits + ndigits++, load<u8>(p + i++));
    any = true;
  }
  if (i < n && load<u8>(p + i) == 46) {
    i++;
    while (i < n && isDigit(<u32>load<u8>(p + i))) {
      store<u8>(digits + ndigits++, load<u8>(p + i++));
      frac++;
      any = true;
    }
  }
  if (!any) return false;
  let e: i32 = 0;
  if (i < n && (load<u8>(p + i) | 0x20) == 101) {
    i++;
    let eneg = false;
    if (i < n && (load<u8>(p + i) == 43 || load<u8>(p + i) == 45)) {
      eneg = load<u8>(p + i) == 45;
      i++;
    }
    if (i >= n) return false;
    while (i < n && isDigit(<u32>load<u8>(p + i))) e = e * 10 + (<i32>load<u8>(p + i++) - 48);
    if (eneg) e = -e;
  }
  if (i != n) return false;
  exp10 = e - frac;
  return true;
}

/** digits × m (m < 2^60), digits big-endian ASCII in and out. */
function multiply(m: u64): void {
  const out = malloc(ndigits + 24);
  let k: usize = 0;
  let carry: u64 = 0;
  for (let i = <isize>ndigits - 1; i >= 0; i--) {
    const t = <u64>(load<u8>(digits + <usize>i) - 48) * m + carry;
    store<u8>(out + k++, <u8>(48 + t % 10));
    carry = t / 10;
  }
  while (carry != 0) {
    store<u8>(out + k++, <u8>(48 + carry % 10));
    carry /= 10;
  }
  // reverse into big-endian, without leading zeros
  while (k > 1 && load<u8>(out + k - 1) == 48) k--;
  const be = malloc(k + 24);
  for (let i: usize = 0; i < k; i++) store<u8>(be + i, load<u8>(out + k - 1 - i));
  digits = be;
  ndigits = k;
}

/** The value digits × 10^exp10 as a number: truncated to an integer
 *  (places < 0), or with up to `places` decimals rounded half away from
 *  zero. */
function valueText(places: i32): usize {
  const zero = ndigits == 1 && load<u8>(digits) == 48;
  if (exp10 >= 0) {
    if (zero) return textNumber(digits, 1, false);
    const n = ndigits + <usize>exp10;
    const t = malloc(n);
    memory.copy(t, digits, ndigits);
    memory.fill(t + ndigits, 48, <usize>exp10);
    return textNumber(t, n, neg);
  }
  const k = <usize>-exp10;
  // integer part and k fraction digits
  const total = ndigits > k ? ndigits : k + 1;
  const t = malloc(total + 2);
  memory.fill(t, 48, total - ndigits);
  memory.copy(t + total - ndigits, digits, ndigits);
  const intLen = total - k;
  let keep: usize = places < 0 ? 0 : <usize>places;
  if (keep > k) keep = k;
  const roundUp = places >= 0 && keep < k && load<u8>(t + intLen + keep) >= 53;
  let n = intLen + keep;
  if (roundUp) {
    let j = <isize>n - 1;
    while (j >= 0 && load<u8>(t + <usize>j) == 57) {
      store<u8>(t + <usize>j, 48);
      j--;
    }
    if (j >= 0) store<u8>(t + <usize>j, load<u8>(t + <usize>j) + 1);
    else {
      // 99.99 → 100.00: one more integer digit
      const u = malloc(n + 2);
      store<u8>(u, 49);
      memory.copy(u + 1, t, n);
      return fractionText(u, n + 1, intLen + 1);
    }
  }
  return fractionText(t, n, intLen);
}

/** Digits with the point after intLen of them, trailing zeros dropped. */
function fractionText(t: usize, n: usize, intLen: usize): usize {
  while (n > intLen && load<u8>(t + n - 1) == 48) n--;
  let start: usize = 0;
  while (start + 1 < intLen && load<u8>(t + start) == 48) start++;
  if (n == intLen) return textNumber(t + start, intLen - start, neg);
  const out = malloc(n - start + 1);
  memory.copy(out, t + start, intLen - start);
  store<u8>(out + intLen - start, 46);
  memory.copy(out + intLen - start + 1, t + intLen, n - intLen);
  return textNumber(out, n - start + 1, neg);
}

function textNumber(t: usize, n: usize, negative: bool): usize {
  // -0 is 0
  let allZero = true;
  for (let i: usize = 0; i < n; i++) if (load<u8>(t + i) != 48 && load<u8>(t + i) != 46) allZero = false;
  if (!negative || allZero) return numberFromText(t, n);
  const out = malloc(n + 1);
  store<u8>(out, 45);
  memory.copy(out + 1, t, n);
  return numberFromText(out, n + 1);
}

/** The unit's factor as 1000^k or 1024^k; 0 if unknown. Units are the
 *  lower-cased text for bytes; for SI only the first letter keeps its case
 *  ("m" milli, "M" mega). `milli` is set for "m". */
let milli = false;

function unitFactor(u: usize, n: usize, bytes: bool): u64 {
  milli = false;
  if (n == 0) return 1;
  const first = <u32>load<u8>(u);
  let rest: usize = 1;
  let binary = false;
  if (n > 1 && (load<u8>(u + 1) | 0x20) == 105) {
    binary = true;
    rest = 2;
  }
  if (bytes && rest < n && load<u8>(u + rest) == 98) rest++;
  if (rest != n) return 0;
  if (!bytes && n == 1 && first == 109) {
    milli = true;
    return 1;
  }
  const letters = "kmgtpe";
  const lower = first | 0x20;
  for (let i = 0; i < 6; i++) {
    if (<u32>letters.charCodeAt(i) == lower) {
      // units.parse: a lower-case single letter other than m is decimal too
      let f: u64 = 1;
      for (let k = 0; k <= i; k++) f *= binary ? 1024 : 1000;
      return f;
    }
  }
  return 0;
}

function parseUnits(name: string, v: usize, bytes: bool): usize {
  if (!stringOperand(name, v, 1)) return 0;
  const s = changetype<Str>(v);
  // drop quotes; bytes are case-insensitive
  const t = malloc(s.len);
  let n: usize = 0;
  for (let i: usize = 0; i < s.len; i++) {
    let c = <u32>load<u8>(s.ptr + i);
    if (c == 34) continue;
    if (c == 32) return fail(name, "spaces not allowed in resource strings");
    if (bytes && c >= 65 && c <= 90) c += 32;
    store<u8>(t + n++, <u8>c);
  }
  const cut = amountEnd(t, n);
  if (cut < 0) return fail(name, "exponent too large");
  if (cut == 0) return fail(name, bytes ? "no byte amount provided" : "no amount provided");
  const factor = unitFactor(t + <usize>cut, n - <usize>cut, bytes);
  if (factor == 0) return unitError(name, t + <usize>cut, n - <usize>cut, bytes);
  if (!parseAmount(t, <usize>cut)) return fail(name, bytes ? "could not parse byte amount to a number" : "could not parse amount to a number");
  multiply(factor);
  if (milli) exp10 -= 3;
  return valueText(bytes ? -1 : 10);
}

function unitError(name: string, u: usize, n: usize, bytes: bool): usize {
  // "byte unit kx not recognized" / "unit Kx not recognized" (SI: only the
  // first letter keeps its case)
  const b = failure(name);
  bufAscii(b, bytes ? "byte unit " : "unit ");
  for (let i: usize = 0; i < n; i++) {
    let c = <u32>load<u8>(u + i);
    if (i > 0 && c >= 65 && c <= 90) c += 32;
    bufByte(b, c);
  }
  bufAscii(b, " not recognized");
  return 0;
}

export function writ_bi_units_parse_bytes(v: usize): usize {
  return parseUnits("units.parse_bytes", v, true);
}

export function writ_bi_units_parse(v: usize): usize {
  return parseUnits("units.parse", v, false);
}
