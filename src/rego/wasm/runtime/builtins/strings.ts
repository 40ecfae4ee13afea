// String builtins with Go's semantics (strings.*): offsets and lengths count
// runes, comparisons are byte-wise, case mapping is Unicode's simple mapping.
// (Trimming: trim.ts; splitting and replacing: replace.ts.)
import { casemap } from "util/casemap";
import { malloc } from "../alloc";
import { collOrder, orderedPos } from "../coll";
import { beginError, builtinError, ERR_TYPE, operandError } from "../errors";
import { bufAscii } from "../buf";
import { bytesEqual } from "../str";
import { decodeRune, encodeRune, runeCount, runeOffset, runeSize } from "../utf8";
import { numF64, numIsInteger, numToI64, i64ok, newNumberInt } from "../num";
import { Arr, Obj, Str, T_ARRAY, T_SET, T_STRING, boolValue, newString } from "../value";
import { elementError } from "./aggregates";
import { intOperand, isType, numberOperand, operandOk, stringOperand } from "./operands";

@inline
function sptr(v: usize): usize {
  return changetype<Str>(v).ptr;
}

@inline
function slen(v: usize): usize {
  return changetype<Str>(v).len;
}

function twoStrings(name: string, a: usize, b: usize): bool {
  return stringOperand(name, a, 1) && stringOperand(name, b, 2);
}

/** Byte offset of the first occurrence of needle in hay, or -1. */
export function find(hay: usize, hlen: usize, needle: usize, nlen: usize, from: usize): isize {
  if (nlen == 0) return <isize>from;
  if (nlen > hlen) return -1;
  const first = load<u8>(needle);
  const last = hlen - nlen;
  for (let i = from; i <= last; i++) {
    if (load<u8>(hay + i) == first && bytesEqual(hay + i, needle, nlen)) return <isize>i;
  }
  return -1;
}

export function writ_bi_startswith(a: usize, b: usize): usize {
  if (!twoStrings("startswith", a, b)) return 0;
  const n = slen(b);
  return boolValue(n <= slen(a) && bytesEqual(sptr(a), sptr(b), n));
}

export function writ_bi_endswith(a: usize, b: usize): usize {
  if (!twoStrings("endswith", a, b)) return 0;
  const n = slen(b);
  const m = slen(a);
  return boolValue(n <= m && bytesEqual(sptr(a) + m - n, sptr(b), n));
}

export function writ_bi_contains(a: usize, b: usize): usize {
  if (!twoStrings("contains", a, b)) return 0;
  return boolValue(find(sptr(a), slen(a), sptr(b), slen(b), 0) >= 0);
}

export function writ_bi_indexof(a: usize, b: usize): usize {
  if (!twoStrings("indexof", a, b)) return 0;
  if (slen(b) == 0) return builtinError("indexof", "empty search character");
  const i = find(sptr(a), slen(a), sptr(b), slen(b), 0);
  if (i < 0) return newNumberInt(-1);
  return newNumberInt(<i32>runeCount(sptr(a), <usize>i));
}

export function writ_bi_substring(s: usize, start: usize, length: usize): usize {
  if (!stringOperand("substring", s, 1)) return 0;
  const from = intOperand("substring", start, 2);
  if (!operandOk) return 0;
  const n = intOperand("substring", length, 3);
  if (!operandOk) return 0;
  if (from < 0) return builtinError("substring", "negative offset");
  const p = sptr(s);
  const len = slen(s);
  const total = <i64>runeCount(p, len);
  if (from >= total) return newString(p, 0);
  const b0 = runeOffset(p, len, <u32>from);
  if (n < 0 || from + n >= total) return newString(p + b0, len - b0);
  const b1 = b0 + runeOffset(p + b0, len - b0, <u32>n);
  return newString(p + b0, b1 - b0);
}

export function writ_bi_concat(delim: usize, coll: usize): usize {
  if (!stringOperand("concat", delim, 1)) return 0;
  let elems: usize;
  let n: u32;
  let order: usize = 0;
  const isSet = isType(coll, T_SET);
  if (isType(coll, T_ARRAY)) {
    elems = changetype<Arr>(coll).elems;
    n = changetype<Arr>(coll).count;
  } else if (isSet) {
    elems = changetype<Obj>(coll).keys;
    n = changetype<Obj>(coll).count;
    order = collOrder(coll);
  } else return operandError("concat", 2, "one of {set, array}", coll);
  let total: usize = n > 0 ? slen(delim) * (n - 1) : 0;
  for (let i: u32 = 0; i < n; i++) {
    const e = load<usize>(elems + (<usize>i << 2));
    if (load<u32>(e) != T_STRING) return elementError("concat", 2, coll, "strings", e);
    total += slen(e);
  }
  const out = malloc(total);
  let o = out;
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) {
      memory.copy(o, sptr(delim), slen(delim));
      o += slen(delim);
    }
    const e = load<usize>(elems + (<usize>(isSet ? orderedPos(order, i) : i) << 2));
    memory.copy(o, sptr(e), slen(e));
    o += slen(e);
  }
  return newString(out, total);
}

function mapCase(name: string, s: usize, upper: bool): usize {
  if (!stringOperand(name, s, 1)) return 0;
  const p = sptr(s);
  const len = slen(s);
  // at most 4 bytes per rune whatever the mapping
  const out = malloc(len << 2);
  let o = out;
  let changed = false;
  const end = p + len;
  let q = p;
  while (q < end) {
    const c = <u32>load<u8>(q);
    if (c < 0x80) {
      let d = c;
      if (upper) {
        if (c >= 97 && c <= 122) d = c - 32;
      } else if (c >= 65 && c <= 90) d = c + 32;
      if (d != c) changed = true;
      store<u8>(o++, <u8>d);
      q++;
      continue;
    }
    const r = decodeRune(q, end);
    const size = runeSize;
    let m = r;
    if (r != 0xfffd || size != 1) {
      if (upper && r >= 0x24d0 && r <= 0x24e9) m = r - 26;
      else if (!upper && r >= 0x24b6 && r <= 0x24cf) m = r + 26;
      else m = <u32>(casemap(r, upper ? 1 : 0) & 0x1fffff);
    }
    if (m == r) {
      memory.copy(o, q, size);
      o += size;
    } else {
      changed = true;
      o += encodeRune(o, m);
    }
    q += size;
  }
  return changed ? newString(out, o - out) : s;
}

export function writ_bi_lower(s: usize): usize {
  return mapCase("lower", s, false);
}

export function writ_bi_upper(s: usize): usize {
  return mapCase("upper", s, true);
}

export function writ_bi_strings_reverse(s: usize): usize {
  if (!stringOperand("strings.reverse", s, 1)) return 0;
  const p = sptr(s);
  const len = slen(s);
  const out = malloc(len);
  const end = p + len;
  let q = p;
  let o = out + len;
  while (q < end) {
    decodeRune(q, end);
    const n = runeSize;
    o -= n;
    memory.copy(o, q, n);
    q += n;
  }
  return newString(out, len);
}

const DIGITS: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

export function writ_bi_format_int(v: usize, base: usize): usize {
  if (!numberOperand("format_int", v, 1) || !numberOperand("format_int", base, 2)) return 0;
  const bf = numF64(base);
  if (bf != 2 && bf != 8 && bf != 10 && bf != 16) {
    bufAscii(beginError(ERR_TYPE, "format_int"), "operand 2 must be one of {2, 8, 10, 16}");
    return 0;
  }
  const radix = <u64>bf;
  let neg = false;
  let m: u64;
  const i = numToI64(v);
  if (numIsInteger(v) && i64ok) {
    neg = i < 0;
    m = neg ? <u64>(-(i + 1)) + 1 : <u64>i;
  } else {
    const x = Math.trunc(numF64(v));
    neg = x < 0;
    const ax = Math.abs(x);
    m = ax >= 18446744073709551615.0 ? u64.MAX_VALUE : <u64>ax;
  }
  const buf = malloc(66);
  let o = buf + 66;
  do {
    o--;
    store<u8>(o, load<u8>(DIGITS + <usize>(m % radix)));
    m /= radix;
  } while (m != 0);
  if (neg) {
    o--;
    store<u8>(o, 45);
  }
  return newString(o, buf + 66 - o);
}

