// base64.encode/decode/is_valid and base64url.encode/decode, as Go's
// encoding/base64 (StdEncoding, URLEncoding, RawURLEncoding).
import { malloc } from "../alloc";
import { beginError, ERR_BUILTIN } from "../errors";
import { bufAscii, bufI64 } from "../buf";
import { Str, boolValue, newString } from "../value";
import { stringOperand } from "./operands";

const STD: usize = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
  121, 122, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);

function sym(i: u32, url: bool): u8 {
  if (url && i == 62) return 45; // -
  if (url && i == 63) return 95; // _
  return load<u8>(STD + i);
}

function encode(s: usize, url: bool): usize {
  const x = changetype<Str>(s);
  const n = <usize>x.len;
  const out = malloc(((n + 2) / 3) * 4);
  let o = out;
  let i: usize = 0;
  for (; i + 3 <= n; i += 3) {
    const v = (<u32>load<u8>(x.ptr + i) << 16) | (<u32>load<u8>(x.ptr + i + 1) << 8) | <u32>load<u8>(x.ptr + i + 2);
    store<u8>(o++, sym(v >> 18, url));
    store<u8>(o++, sym((v >> 12) & 63, url));
    store<u8>(o++, sym((v >> 6) & 63, url));
    store<u8>(o++, sym(v & 63, url));
  }
  const rest = n - i;
  if (rest > 0) {
    let v = <u32>load<u8>(x.ptr + i) << 16;
    if (rest == 2) v |= <u32>load<u8>(x.ptr + i + 1) << 8;
    store<u8>(o++, sym(v >> 18, url));
    store<u8>(o++, sym((v >> 12) & 63, url));
    store<u8>(o++, rest == 2 ? sym((v >> 6) & 63, url) : 61);
    store<u8>(o++, 61);
  }
  return newString(out, o - out);
}

function value(c: u32, url: bool): i32 {
  if (c >= 65 && c <= 90) return <i32>c - 65;
  if (c >= 97 && c <= 122) return <i32>c - 71;
  if (c >= 48 && c <= 57) return <i32>c + 4;
  if (c == (url ? 45 : 43)) return 62;
  if (c == (url ? 95 : 47)) return 63;
  return -1;
}

/** Decoded length, set by decode. */
let decodedLen: usize = 0;
/** Offset of the first illegal input byte, or -1. */
let illegalAt: isize = -1;

/** Decodes like Go: newlines ignored; with `padded`, the input must be
 *  padded to a multiple of four. */
function decode(p: usize, n: usize, url: bool, padded: bool): usize {
  const out = malloc(n);
  let o = out;
  let acc: u32 = 0;
  let bits: u32 = 0;
  let count: usize = 0;
  let pad: usize = 0;
  illegalAt = -1;
  for (let i: usize = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 10 || c == 13) continue;
    if (c == 61) {
      if (!padded || count % 4 < 2) {
        illegalAt = <isize>i;
        return 0;
      }
      pad++;
      count++;
      continue;
    }
    const v = value(c, url);
    if (v < 0 || pad > 0) {
      illegalAt = <isize>i;
      return 0;
    }
    acc = (acc << 6) | <u32>v;
    bits += 6;
    count++;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(o++, <u8>(acc >> bits));
    }
  }
  if (padded) {
    if (count % 4 != 0) {
      illegalAt = <isize>n;
      return 0;
    }
    // padding only completes a quantum
    if (pad > 2 || (pad > 0 && (count - pad) % 4 + pad != 4)) {
      illegalAt = <isize>n;
      return 0;
    }
  } else if (count % 4 == 1) {
    illegalAt = <isize>n;
    return 0;
  }
  decodedLen = o - out;
  return out;
}

function decodeBuiltin(name: string, s: usize, url: bool): usize {
  if (!stringOperand(name, s, 1)) return 0;
  const x = changetype<Str>(s);
  const padded = !url || x.len % 4 == 0;
  const out = decode(x.ptr, x.len, url, padded);
  if (out == 0) {
    const b = beginError(ERR_BUILTIN, name);
    bufAscii(b, "illegal base64 data at input byte ");
    bufI64(b, <i64>illegalAt);
    return 0;
  }
  return newString(out, decodedLen);
}

export function writ_bi_base64_encode(s: usize): usize {
  return stringOperand("base64.encode", s, 1) ? encode(s, false) : 0;
}

export function writ_bi_base64_decode(s: usize): usize {
  return decodeBuiltin("base64.decode", s, false);
}

export function writ_bi_base64_is_valid(s: usize): usize {
  if (!stringOperand("base64.is_valid", s, 1)) return 0;
  const x = changetype<Str>(s);
  return boolValue(decode(x.ptr, x.len, false, true) != 0);
}

export function writ_bi_base64url_encode(s: usize): usize {
  return stringOperand("base64url.encode", s, 1) ? encode(s, true) : 0;
}

export function writ_bi_base64url_decode(s: usize): usize {
  return decodeBuiltin("base64url.decode", s, true);
}
