// JSON text -> values. In Rego mode (opa_value_parse) it also reads set
// literals ({1, 2}, set()) and objects with non-string keys.
import { malloc } from "./alloc";
import { collFinalize, objectInsert, setAdd } from "./coll";
import { newNumber, numberFromText } from "./num";
import { jsonStringSpecial } from "./str";
import { encodeRune } from "./utf8";
import {
  FALSE_VALUE, NULL_VALUE, T_OBJECT, T_SET, TRUE_VALUE, arrayAppend, newArray, newCollection, newString,
} from "./value";

let pos: usize = 0;
let end: usize = 0;
let failed = false;
let regoSyntax = false;
let eagerCaches = false;

/** Parses len bytes at p; 0 when the text is not a single valid value.
 *  `eager` builds lookup and order caches now (for values that outlive the
 *  evaluation that creates them). */
export function parseValue(p: usize, len: usize, rego: bool, eager: bool): usize {
  pos = p;
  end = p + len;
  failed = false;
  regoSyntax = rego;
  eagerCaches = eager;
  const v = value(0);
  skipWs();
  if (failed || pos != end) return 0;
  return v;
}

@inline
function fail(): usize {
  failed = true;
  return 0;
}

// The parser's position lives in globals; hot loops work on a local copy.

function skipWs(): void {
  let p = pos;
  const e = end;
  while (p < e) {
    const c = load<u8>(p);
    if (c > 32 || (c != 32 && c != 10 && c != 13 && c != 9)) break;
    p++;
  }
  pos = p;
}

function literal(text: string, v: usize): usize {
  const n = <usize>text.length;
  if (pos + n > end) return fail();
  for (let i: usize = 0; i < n; i++) if (<u32>load<u8>(pos + i) != <u32>text.charCodeAt(<i32>i)) return fail();
  pos += n;
  return v;
}

const MAX_DEPTH: u32 = 10000;

function value(depth: u32): usize {
  if (depth > MAX_DEPTH) return fail();
  skipWs();
  if (pos >= end) return fail();
  const c = load<u8>(pos);
  switch (c) {
    case 34: // "
      return str();
    case 123: // {
      return objectOrSet(depth);
    case 91: // [
      return array(depth);
    case 116: // t
      return literal("true", TRUE_VALUE);
    case 102: // f
      return literal("false", FALSE_VALUE);
    case 110: // n
      return literal("null", NULL_VALUE);
    case 115: // s: set()
      if (regoSyntax) return literal("set()", newCollection(T_SET, 0));
      return fail();
    default:
      if (c == 45 || (c >= 48 && c <= 57)) return number();
      return fail();
  }
}

@inline
function isDigit(c: u32): bool {
  return c >= 48 && c <= 57;
}

function number(): usize {
  const e = end;
  const start = pos;
  let p = start;
  const neg = load<u8>(p) == 45;
  if (neg) p++;
  if (p >= e) return fail();
  let c = <u32>load<u8>(p);
  // integers of up to 15 digits are exact in f64: the common case
  let v: i64 = 0;
  if (c == 48) p++;
  else if (isDigit(c)) {
    do {
      v = v * 10 + <i64>(c - 48);
      p++;
      if (p >= e) break;
      c = <u32>load<u8>(p);
    } while (isDigit(c));
  } else return fail();
  const intEnd = p;
  let plain = true;
  if (p < e && load<u8>(p) == 46) {
    plain = false;
    p++;
    if (p >= e || !isDigit(load<u8>(p))) return fail();
    while (p < e && isDigit(load<u8>(p))) p++;
  }
  if (p < e && (load<u8>(p) | 0x20) == 101) {
    plain = false;
    p++;
    if (p < e && (load<u8>(p) == 43 || load<u8>(p) == 45)) p++;
    if (p >= e || !isDigit(load<u8>(p))) return fail();
    while (p < e && isDigit(load<u8>(p))) p++;
  }
  pos = p;
  if (plain && intEnd - start - (neg ? 1 : 0) <= 15) return newNumber(neg ? -<f64>v : <f64>v);
  return numberFromText(start, p - start);
}

function hex4(p: usize): i32 {
  let v: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 48 && c <= 57) d = c - 48;
    else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

function str(): usize {
  pos++; // opening quote
  const start = pos;
  let escapes = false;
  while (true) {
    pos = jsonStringSpecial(pos, end);
    if (pos >= end) return fail();
    const c = load<u8>(pos);
    if (c == 34) break;
    if (c < 0x20) return fail();
    if (c == 92) {
      escapes = true;
      pos += 2;
      continue;
    }
    pos++;
  }
  if (pos > end) return fail();
  const rawEnd = pos;
  pos++; // closing quote
  if (!escapes) return newString(start, rawEnd - start);
  // escapes only shrink the text
  const out = malloc(rawEnd - start);
  let o = out;
  let p = start;
  while (p < rawEnd) {
    const c = load<u8>(p);
    if (c != 92) {
      store<u8>(o++, c);
      p++;
      continue;
    }
    const e = load<u8>(p + 1);
    p += 2;
    switch (e) {
      case 34: store<u8>(o++, 34); break;
      case 92: store<u8>(o++, 92); break;
      case 47: store<u8>(o++, 47); break;
      case 98: store<u8>(o++, 8); break;
      case 102: store<u8>(o++, 12); break;
      case 110: store<u8>(o++, 10); break;
      case 114: store<u8>(o++, 13); break;
      case 116: store<u8>(o++, 9); break;
      case 117: {
        if (p + 4 > rawEnd) return fail();
        let cp = hex4(p);
        if (cp < 0) return fail();
        p += 4;
        if (cp >= 0xd800 && cp < 0xdc00) {
          // a high surrogate: combine with a following low one
          if (p + 6 <= rawEnd && load<u8>(p) == 92 && load<u8>(p + 1) == 117) {
            const lo = hex4(p + 2);
            if (lo >= 0xdc00 && lo < 0xe000) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              p += 6;
            }
          }
        }
        o += encodeRune(o, <u32>cp);
        break;
      }
      default:
        return fail();
    }
  }
  return newString(out, o - out);
}

function array(depth: u32): usize {
  pos++;
  const a = newArray(0);
  skipWs();
  if (pos < end && load<u8>(pos) == 93) {
    pos++;
    return a;
  }
  while (true) {
    const v = value(depth + 1);
    if (failed) return 0;
    arrayAppend(a, v);
    skipWs();
    if (pos >= end) return fail();
    const c = load<u8>(pos++);
    if (c == 93) return a;
    if (c != 44) return fail();
  }
  return 0;
}

function objectOrSet(depth: u32): usize {
  pos++;
  skipWs();
  if (pos < end && load<u8>(pos) == 125) {
    pos++;
    return newCollection(T_OBJECT, 0);
  }
  let coll: usize = 0;
  let isSet = false;
  while (true) {
    skipWs();
    let k: usize;
    if (!regoSyntax) {
      if (pos >= end || load<u8>(pos) != 34) return fail();
      k = str();
    } else k = value(depth + 1);
    if (failed) return 0;
    skipWs();
    if (pos >= end) return fail();
    let c = load<u8>(pos);
    if (coll == 0) {
      isSet = regoSyntax && c != 58;
      coll = newCollection(isSet ? T_SET : T_OBJECT, 0);
    }
    if (isSet) setAdd(coll, k);
    else {
      if (c != 58) return fail();
      pos++;
      const v = value(depth + 1);
      if (failed) return 0;
      objectInsert(coll, k, v);
      skipWs();
      if (pos >= end) return fail();
      c = load<u8>(pos);
    }
    pos++;
    if (c == 125) break;
    if (c != 44) return fail();
  }
  if (eagerCaches) collFinalize(coll);
  return coll;
}
