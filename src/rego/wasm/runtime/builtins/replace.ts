// split replace strings.replace_n, with Go's strings.Split and
// strings.Replacer semantics.
import { malloc } from "../alloc";
import { bufAscii, bufByte, bufBytes, bufNew } from "../buf";
import { beginError, ERR_TYPE, operandError } from "../errors";
import { collOrder, orderedPos } from "../coll";
import { bytesEqual } from "../str";
import { decodeRune, runeCount, runeSize } from "../utf8";
import { Obj, Str, T_OBJECT, T_STRING, arrayAppend, newArray, newString } from "../value";
import { isType, stringOperand } from "./operands";
import { find } from "./strings";

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

export function writ_bi_split(s: usize, d: usize): usize {
  if (!twoStrings("split", s, d)) return 0;
  const p = sptr(s);
  const len = slen(s);
  const dp = sptr(d);
  const dl = slen(d);
  const out = newArray(0);
  if (dl == 0) {
    // one element per UTF-8 sequence
    const end = p + len;
    let q = p;
    while (q < end) {
      decodeRune(q, end);
      arrayAppend(out, newString(q, runeSize));
      q += runeSize;
    }
    return out;
  }
  let from: usize = 0;
  let i = find(p, len, dp, dl, 0);
  if (i < 0) {
    arrayAppend(out, s);
    return out;
  }
  while (i >= 0) {
    arrayAppend(out, newString(p + from, <usize>i - from));
    from = <usize>i + dl;
    i = find(p, len, dp, dl, from);
  }
  arrayAppend(out, newString(p + from, len - from));
  return out;
}

export function writ_bi_replace(s: usize, old: usize, nw: usize): usize {
  if (!stringOperand("replace", s, 1) || !stringOperand("replace", old, 2) || !stringOperand("replace", nw, 3)) return 0;
  const p = sptr(s);
  const len = slen(s);
  const op = sptr(old);
  const ol = slen(old);
  const np = sptr(nw);
  const nl = slen(nw);
  if (ol == 0) {
    // matches before every UTF-8 sequence and at the end
    const runes = runeCount(p, len);
    const out = malloc(len + nl * (<usize>runes + 1));
    let o = out;
    const end = p + len;
    let q = p;
    while (q < end) {
      memory.copy(o, np, nl);
      o += nl;
      decodeRune(q, end);
      memory.copy(o, q, runeSize);
      o += runeSize;
      q += runeSize;
    }
    memory.copy(o, np, nl);
    o += nl;
    return newString(out, o - out);
  }
  let i = find(p, len, op, ol, 0);
  if (i < 0) return s;
  let count: usize = 0;
  for (let j = i; j >= 0; j = find(p, len, op, ol, <usize>j + ol)) count++;
  const out = malloc(len - count * ol + count * nl);
  let o = out;
  let from: usize = 0;
  while (i >= 0) {
    memory.copy(o, p + from, <usize>i - from);
    o += <usize>i - from;
    memory.copy(o, np, nl);
    o += nl;
    from = <usize>i + ol;
    i = find(p, len, op, ol, from);
  }
  memory.copy(o, p + from, len - from);
  o += len - from;
  return newString(out, o - out);
}

/** strings.replace_n(patterns, s): Go's strings.Replacer over the patterns
 *  in key order; at each position the first matching pattern wins. */
export function writ_bi_strings_replace_n(patterns: usize, s: usize): usize {
  if (!isType(patterns, T_OBJECT)) return operandError("strings.replace_n", 1, "object", patterns);
  if (!stringOperand("strings.replace_n", s, 2)) return 0;
  const o = changetype<Obj>(patterns);
  const order = collOrder(patterns);
  const n = o.count;
  const olds = malloc(<usize>n << 2);
  const news = malloc(<usize>n << 2);
  for (let i: u32 = 0; i < n; i++) {
    const pos = orderedPos(order, i);
    const k = load<usize>(o.keys + (<usize>pos << 2));
    const v = load<usize>(o.vals + (<usize>pos << 2));
    if (load<u32>(k) != T_STRING) {
      bufAscii(beginError(ERR_TYPE, "strings.replace_n"), "operand 1 non-string key found in pattern object");
      return 0;
    }
    if (load<u32>(v) != T_STRING) {
      bufAscii(beginError(ERR_TYPE, "strings.replace_n"), "operand 1 non-string value found in pattern object");
      return 0;
    }
    store<usize>(olds + (<usize>i << 2), k);
    store<usize>(news + (<usize>i << 2), v);
  }
  const p = sptr(s);
  const len = slen(s);
  const b = bufNew(len + 16);
  let i: usize = 0;
  let changed = false;
  while (i <= len) {
    let matched = -1;
    for (let j: u32 = 0; j < n; j++) {
      const k = load<usize>(olds + (<usize>j << 2));
      const kl = slen(k);
      if (kl == 0) continue;
      if (kl <= len - i && bytesEqual(p + i, sptr(k), kl)) {
        matched = <i32>j;
        break;
      }
    }
    if (matched >= 0) {
      const nv = load<usize>(news + (<usize>matched << 2));
      bufBytes(b, sptr(nv), slen(nv));
      i += slen(load<usize>(olds + (<usize>matched << 2)));
      changed = true;
      continue;
    }
    if (i < len) bufByte(b, load<u8>(p + i));
    i++;
  }
  return changed ? newString(b.ptr, b.len) : s;
}
