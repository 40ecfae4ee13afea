// trim trim_left trim_right trim_prefix trim_suffix trim_space, with Go's
// strings.Trim* semantics (cutsets are sets of runes).
import { Str, newString } from "../value";
import { bytesEqual } from "../str";
import { decodeRune, runeSize } from "../utf8";
import { stringOperand } from "./operands";

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

/** Whether rune c occurs in the UTF-8 cutset. */
function inCutset(c: u32, cut: usize, clen: usize): bool {
  const end = cut + clen;
  let q = cut;
  while (q < end) {
    const r = decodeRune(q, end);
    if (r == c) return true;
    q += runeSize;
  }
  return false;
}

/** Byte offset after the leading runes of s that are in the cutset. */
function trimLeftOffset(p: usize, len: usize, cut: usize, clen: usize): usize {
  const end = p + len;
  let q = p;
  while (q < end) {
    const r = decodeRune(q, end);
    if (!inCutset(r, cut, clen)) break;
    q += runeSize;
  }
  return q - p;
}

/** Start of the last rune ending at byte `end` (end > p). */
function lastRuneStart(p: usize, end: usize): usize {
  let q = end - 1;
  let k = 0;
  while (q > p && k < 3 && (load<u8>(q) & 0xc0) == 0x80) {
    q--;
    k++;
  }
  decodeRune(q, end);
  return q + runeSize == end ? q : end - 1;
}

/** Byte length of s without the trailing runes in the cutset. */
function trimRightLength(p: usize, len: usize, cut: usize, clen: usize): usize {
  let end = p + len;
  while (end > p) {
    const q = lastRuneStart(p, end);
    if (!inCutset(decodeRune(q, end), cut, clen)) break;
    end = q;
  }
  return end - p;
}

function trim(name: string, s: usize, c: usize, left: bool, right: bool): usize {
  if (!twoStrings(name, s, c)) return 0;
  let p = sptr(s);
  let len = slen(s);
  if (left) {
    const off = trimLeftOffset(p, len, sptr(c), slen(c));
    p += off;
    len -= off;
  }
  if (right) len = trimRightLength(p, len, sptr(c), slen(c));
  return len == slen(s) ? s : newString(p, len);
}

export function writ_bi_trim(s: usize, c: usize): usize {
  return trim("trim", s, c, true, true);
}

export function writ_bi_trim_left(s: usize, c: usize): usize {
  return trim("trim_left", s, c, true, false);
}

export function writ_bi_trim_right(s: usize, c: usize): usize {
  return trim("trim_right", s, c, false, true);
}

export function writ_bi_trim_prefix(s: usize, pre: usize): usize {
  if (!twoStrings("trim_prefix", s, pre)) return 0;
  const n = slen(pre);
  if (n <= slen(s) && bytesEqual(sptr(s), sptr(pre), n) && n > 0) return newString(sptr(s) + n, slen(s) - n);
  return s;
}

export function writ_bi_trim_suffix(s: usize, suf: usize): usize {
  if (!twoStrings("trim_suffix", s, suf)) return 0;
  const n = slen(suf);
  const m = slen(s);
  if (n <= m && n > 0 && bytesEqual(sptr(s) + m - n, sptr(suf), n)) return newString(sptr(s), m - n);
  return s;
}

/** Go's unicode.IsSpace. */
function isSpace(c: u32): bool {
  if (c < 0x80) return c == 32 || (c >= 9 && c <= 13);
  if (c == 0x85 || c == 0xa0 || c == 0x1680 || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000) {
    return true;
  }
  return c >= 0x2000 && c <= 0x200a;
}

export function writ_bi_trim_space(s: usize): usize {
  if (!stringOperand("trim_space", s, 1)) return 0;
  let p = sptr(s);
  let end = p + slen(s);
  while (p < end) {
    const r = decodeRune(p, end);
    if (!isSpace(r)) break;
    p += runeSize;
  }
  while (end > p) {
    const q = lastRuneStart(p, end);
    if (!isSpace(decodeRune(q, end))) break;
    end = q;
  }
  return end - p == slen(s) ? s : newString(p, end - p);
}
