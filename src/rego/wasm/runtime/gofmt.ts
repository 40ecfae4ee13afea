// Go's fmt verbs for the three kinds of operand OPA's sprintf hands to
// fmt.Sprintf: int (int64), *big.Int and float64 for numbers, string for
// strings and for every other value (its Rego text). The flags, width and
// precision of the verb being printed are module state, as in Go's fmt.
import { Buf, bufAscii, bufByte, bufBytes, bufNew } from "./buf";
import { big, bigAdd, bigDivSmall, bigLen, bigMulSmall, bigSetU64 } from "./bignum";
import { writeGoFloat } from "./floatfmt";
import { writeGoQuoted } from "./rego_text";
import { decodeRune, encodeRune, runeCount, runeOffset, runeSize } from "./utf8";

export const K_INT: u32 = 0;
export const K_BIG: u32 = 1;
export const K_FLOAT: u32 = 2;
export const K_STRING: u32 = 3;

/** One operand. K_INT: `neg` and the magnitude `mag`; K_BIG: `neg` and the
 *  decimal digits of the magnitude at ptr/len; K_FLOAT: `f`; K_STRING:
 *  UTF-8 at ptr/len. */
@unmanaged
export class GoArg {
  kind: u32;
  neg: u32;
  mag: u64;
  f: f64;
  ptr: usize;
  len: usize;
}

// --- the verb's flags ----------------------------------------------------------
export let fMinus = false;
export let fPlus = false;
export let fSharp = false;
export let fSpace = false;
export let fZero = false;
export let fSharpV = false;
export let fPlusV = false;
/** -1: absent */
export let fWid: i32 = -1;
export let fPrec: i32 = -1;

export function clearFlags(): void {
  fMinus = fPlus = fSharp = fSpace = fZero = fSharpV = fPlusV = false;
  fWid = fPrec = -1;
}

export function setFlag(c: u32): bool {
  switch (c) {
    case 35: fSharp = true; return true;
    case 48: fZero = !fMinus; return true;
    case 43: fPlus = true; return true;
    case 45: fMinus = true; fZero = false; return true;
    case 32: fSpace = true; return true;
  }
  return false;
}

export function setWidth(w: i32): void {
  if (w < 0) {
    fWid = -w;
    fMinus = true;
    fZero = false;
  } else fWid = w;
}

export function setPrecision(p: i32): void {
  fPrec = p;
}

/** %v: # means Go syntax and + field names, neither of which a flag. */
export function enterV(): void {
  fSharpV = fSharp;
  fSharp = false;
  fPlusV = fPlus;
  fPlus = false;
}

// --- padding -------------------------------------------------------------------

function writePadding(out: Buf, n: i32, zero: bool): void {
  for (let i = 0; i < n; i++) bufByte(out, zero ? 48 : 32);
}

/** Go's fmt.pad: the bytes, padded to the width counted in runes. */
function pad(out: Buf, p: usize, n: usize): void {
  const fill = fWid < 0 ? 0 : fWid - <i32>runeCount(p, n);
  if (fill > 0 && !fMinus) writePadding(out, fill, fZero);
  bufBytes(out, p, n);
  if (fill > 0 && fMinus) writePadding(out, fill, false);
}

function padNoZero(out: Buf, p: usize, n: usize): void {
  const z = fZero;
  fZero = false;
  pad(out, p, n);
  fZero = z;
}

// --- integers ------------------------------------------------------------------

const LDIGITS: string = "0123456789abcdefx";
const UDIGITS: string = "0123456789ABCDEFX";

/** Go's fmt.fmtInteger for an int64 given as sign and magnitude. */
function fmtInteger(out: Buf, neg: bool, u: u64, base: u32, verb: u32, upper: bool): void {
  const digits = upper ? UDIGITS : LDIGITS;
  let prec: i32 = 0;
  if (fPrec >= 0) {
    prec = fPrec;
    if (prec == 0 && u == 0) {
      writePadding(out, fWid, false);
      return;
    }
  } else if (fZero && !fMinus && fWid >= 0) {
    prec = fWid;
    if (neg || fPlus || fSpace) prec--;
  }
  const size: usize = <usize>max<i32>(prec, 0) + 72;
  const buf = bufNew(size);
  let i = buf.ptr + size;
  const b = <u64>base;
  do {
    i--;
    store<u8>(i, <u8>digits.charCodeAt(<i32>(u % b)));
    u /= b;
  } while (u != 0);
  while (<i32>(buf.ptr + size - i) < prec) {
    i--;
    store<u8>(i, 48);
  }
  if (fSharp) {
    if (base == 2) {
      i--; store<u8>(i, 98);
      i--; store<u8>(i, 48);
    } else if (base == 8) {
      if (load<u8>(i) != 48) {
        i--; store<u8>(i, 48);
      }
    } else if (base == 16) {
      i--; store<u8>(i, <u8>digits.charCodeAt(16));
      i--; store<u8>(i, 48);
    }
  }
  if (verb == 79) {
    i--; store<u8>(i, 111);
    i--; store<u8>(i, 48);
  }
  if (neg) {
    i--; store<u8>(i, 45);
  } else if (fPlus) {
    i--; store<u8>(i, 43);
  } else if (fSpace) {
    i--; store<u8>(i, 32);
  }
  padNoZero(out, i, buf.ptr + size - i);
}

/** A rune as Go's %c and %q see an int: out of range is U+FFFD. */
function runeOf(a: GoArg): u32 {
  return a.neg != 0 || a.mag > 0x10ffff ? 0xfffd : <u32>a.mag;
}

function isPrintRune(r: u32): bool {
  return r >= 0x20 && !(r >= 0x7f && r <= 0x9f) && r != 0xad && !(r >= 0xd800 && r <= 0xdfff) && r <= 0x10ffff;
}

function hex(out: Buf, v: u32, n: i32): void {
  for (let k = n - 1; k >= 0; k--) bufByte(out, <u32>LDIGITS.charCodeAt(<i32>((v >> (<u32>k << 2)) & 15)));
}

/** strconv.Quote (asciiOnly: QuoteToASCII) of UTF-8 bytes, with `q` as the
 *  quote character (34 or 39). */
function quote(out: Buf, p: usize, n: usize, q: u32, asciiOnly: bool): void {
  if (q == 34 && !asciiOnly) {
    writeGoQuoted(out, p, n);
    return;
  }
  bufByte(out, q);
  const end = p + n;
  while (p < end) {
    const c = <u32>load<u8>(p);
    const r = decodeRune(p, end);
    const size = runeSize;
    if (r == q || r == 92) {
      bufByte(out, 92);
      bufByte(out, r);
    } else if (r == 0xfffd && size == 1) {
      bufAscii(out, "\\x");
      hex(out, c, 2);
    } else if (r < 0x80 && isPrintRune(r)) bufByte(out, r);
    else if (!asciiOnly && isPrintRune(r)) bufBytes(out, p, size);
    else if (r < 0x80) {
      // the control characters, escaped as writeGoQuoted does
      const t = bufNew(8);
      writeGoQuoted(t, p, 1);
      bufBytes(out, t.ptr + 1, t.len - 2);
    } else if (r < 0x10000) {
      bufAscii(out, "\\u");
      hex(out, r, 4);
    } else {
      bufAscii(out, "\\U");
      hex(out, r, 8);
    }
    p += size;
  }
  bufByte(out, q);
}

function fmtRune(out: Buf, verb: u32, a: GoArg): void {
  const t = bufNew(16);
  if (verb == 99) {
    t.len = encodeRune(t.ptr, runeOf(a));
    pad(out, t.ptr, t.len);
    return;
  }
  // %q: Go's QuoteRune
  const r = runeOf(a);
  const rb = bufNew(4);
  rb.len = encodeRune(rb.ptr, r);
  if (r == 34) bufAscii(t, "'\"'");
  else quote(t, rb.ptr, rb.len, 39, fPlus);
  pad(out, t.ptr, t.len);
}

function fmtUnicode(out: Buf, a: GoArg): void {
  // the two's complement of a negative int, as Go's uint64(v)
  const u: u64 = a.neg != 0 ? <u64>0 - a.mag : a.mag;
  let prec = fPrec > 4 ? fPrec : 4;
  const t = bufNew(<usize>prec + 32);
  bufAscii(t, "U+");
  let digits: i32 = 1;
  for (let v = u; v >= 16; v >>= 4) digits++;
  for (let k = digits; k < prec; k++) bufByte(t, 48);
  for (let k = digits - 1; k >= 0; k--) bufByte(t, <u32>UDIGITS.charCodeAt(<i32>((u >> (<u64>k << 2)) & 15)));
  if (fSharp && u <= 0x10ffff && isPrintRune(<u32>u)) {
    bufAscii(t, " '");
    bufReserveRune(t, <u32>u);
    bufByte(t, 39);
  }
  padNoZero(out, t.ptr, t.len);
}

function bufReserveRune(t: Buf, r: u32): void {
  const s = bufNew(4);
  bufBytes(t, s.ptr, encodeRune(s.ptr, r));
}

/** printArg for an int. */
function printInt(out: Buf, verb: u32, a: GoArg): bool {
  const neg = a.neg != 0;
  switch (verb) {
    case 118: case 100: fmtInteger(out, neg, a.mag, 10, verb, false); return true;
    case 98: fmtInteger(out, neg, a.mag, 2, verb, false); return true;
    case 111: case 79: fmtInteger(out, neg, a.mag, 8, verb, false); return true;
    case 120: fmtInteger(out, neg, a.mag, 16, verb, false); return true;
    case 88: fmtInteger(out, neg, a.mag, 16, verb, true); return true;
    case 99: fmtRune(out, verb, a); return true;
    case 113:
      if (neg || a.mag > 0x10ffff) return false;
      fmtRune(out, verb, a);
      return true;
    case 85: fmtUnicode(out, a); return true;
  }
  return false;
}

/** big.Int's Format: [left pad][sign][prefix][zeros][digits][right pad]. */
function printBig(out: Buf, verb: u32, a: GoArg): void {
  let base: u32 = 10;
  switch (verb) {
    case 98: base = 2; break;
    case 111: case 79: base = 8; break;
    case 100: case 115: case 118: base = 10; break;
    case 120: case 88: base = 16; break;
    default:
      bufAscii(out, "%!");
      writeRuneTo(out, verb);
      bufAscii(out, "(big.Int=");
      if (a.neg) bufByte(out, 45);
      bufBytes(out, a.ptr, a.len);
      bufByte(out, 41);
      return;
  }
  const sharp = fSharp || fSharpV;
  const plus = fPlus || fPlusV;
  let sign = "";
  if (a.neg) sign = "-";
  else if (plus) sign = "+";
  else if (fSpace) sign = " ";
  let prefix = "";
  if (sharp) {
    if (verb == 98) prefix = "0b";
    else if (verb == 111) prefix = "0";
    else if (verb == 120) prefix = "0x";
    else if (verb == 88) prefix = "0X";
  }
  if (verb == 79) prefix = "0o";
  const digits = bigDigits(a.ptr, a.len, base, verb == 88);
  let zeros: i32 = 0;
  if (fPrec >= 0) {
    if (<i32>digits.len < fPrec) zeros = fPrec - <i32>digits.len;
    else if (digits.len == 1 && load<u8>(digits.ptr) == 48 && fPrec == 0) return;
  }
  const length = sign.length + prefix.length + zeros + <i32>digits.len;
  let left: i32 = 0;
  let right: i32 = 0;
  if (fWid >= 0 && length < fWid) {
    const d = fWid - length;
    if (fMinus) right = d;
    else if (fZero && fPrec < 0) zeros = d;
    else left = d;
  }
  writePadding(out, left, false);
  bufAscii(out, sign);
  bufAscii(out, prefix);
  writePadding(out, zeros, true);
  bufBytes(out, digits.ptr, digits.len);
  writePadding(out, right, false);
}

/** The decimal digits at p/n in another base. */
function bigDigits(p: usize, n: usize, base: u32, upper: bool): Buf {
  const out = bufNew(n * 4 + 4);
  if (base == 10) {
    bufBytes(out, p, n);
    return out;
  }
  const v = big(6);
  const t = big(7);
  bigSetU64(v, 0);
  for (let i: usize = 0; i < n; i++) {
    bigMulSmall(v, 10);
    if (bigLen(v) == 0) bigSetU64(v, <u64>(load<u8>(p + i) - 48));
    else {
      bigSetU64(t, <u64>(load<u8>(p + i) - 48));
      bigAdd(v, v, t);
    }
  }
  const digits = upper ? UDIGITS : LDIGITS;
  do {
    bufByte(out, <u32>digits.charCodeAt(<i32>bigDivSmall(v, base)));
  } while (bigLen(v) > 0);
  // reverse
  for (let i: usize = 0, j = out.len - 1; i < j; i++, j--) {
    const c = load<u8>(out.ptr + i);
    store<u8>(out.ptr + i, load<u8>(out.ptr + j));
    store<u8>(out.ptr + j, c);
  }
  return out;
}

// --- floats --------------------------------------------------------------------

/** Go's fmt.fmtFloat. */
function fmtFloat(out: Buf, x: f64, verb: u32, prec: i32): void {
  if (fPrec >= 0) prec = fPrec;
  const num = bufNew(32);
  bufByte(num, 43);
  writeGoFloat(num, x, verb, prec);
  let p = num.ptr;
  let n = num.len;
  const c1 = load<u8>(p + 1);
  if (c1 == 45 || c1 == 43) {
    p++;
    n--;
  }
  if (fSpace && load<u8>(p) == 43 && !fPlus) store<u8>(p, 32);
  const c = load<u8>(p + 1);
  if (c == 73 || c == 78) {
    // Inf and NaN are not padded with zeros; NaN has no sign unless asked
    if (c == 78 && !fSpace && !fPlus) {
      p++;
      n--;
    }
    padNoZero(out, p, n);
    return;
  }
  if (fPlus || load<u8>(p) != 43) {
    if (fZero && !fMinus && fWid > <i32>n) {
      bufByte(out, load<u8>(p));
      writePadding(out, fWid - <i32>n, true);
      bufBytes(out, p + 1, n - 1);
      return;
    }
    pad(out, p, n);
    return;
  }
  pad(out, p + 1, n - 1);
}

function printFloat(out: Buf, verb: u32, x: f64): bool {
  switch (verb) {
    case 118: fmtFloat(out, x, 103, -1); return true;
    case 103: case 71: fmtFloat(out, x, fSharpV ? 103 : verb, -1); return true;
    case 101: case 69: case 102: fmtFloat(out, x, fSharpV ? 103 : verb, fSharpV ? -1 : 6); return true;
    case 70: fmtFloat(out, x, fSharpV ? 103 : 102, fSharpV ? -1 : 6); return true;
  }
  return false;
}

// --- strings -------------------------------------------------------------------

/** Byte length of the first fPrec runes (all of it without a precision). */
function truncated(p: usize, n: usize): usize {
  return fPrec >= 0 ? runeOffset(p, n, <u32>fPrec) : n;
}

function canBackquote(p: usize, n: usize): bool {
  const end = p + n;
  while (p < end) {
    const r = decodeRune(p, end);
    const size = runeSize;
    p += size;
    if (size > 1) {
      if (r == 0xfeff) return false;
      continue;
    }
    if (r == 0xfffd) return false;
    if ((r < 32 && r != 9) || r == 96 || r == 0x7f) return false;
  }
  return true;
}

function fmtQ(out: Buf, p: usize, n: usize): void {
  n = truncated(p, n);
  const t = bufNew(n + 8);
  if (fSharp && canBackquote(p, n)) {
    bufByte(t, 96);
    bufBytes(t, p, n);
    bufByte(t, 96);
  } else quote(t, p, n, 34, fPlus);
  pad(out, t.ptr, t.len);
}

/** Go's fmt.fmtSbx: hex of the bytes, "% x" spaced, "%#x" prefixed. */
function fmtSx(out: Buf, p: usize, n: usize, upper: bool): void {
  const digits = upper ? UDIGITS : LDIGITS;
  let length = <i32>n;
  if (fPrec >= 0 && fPrec < length) length = fPrec;
  let width = 2 * length;
  if (width > 0) {
    if (fSpace) {
      if (fSharp) width *= 2;
      width += length - 1;
    } else if (fSharp) width += 2;
  } else {
    if (fWid >= 0) writePadding(out, fWid, fZero);
    return;
  }
  if (fWid > width && !fMinus) writePadding(out, fWid - width, fZero);
  if (fSharp) {
    bufByte(out, 48);
    bufByte(out, <u32>digits.charCodeAt(16));
  }
  for (let i = 0; i < length; i++) {
    if (fSpace && i > 0) {
      bufByte(out, 32);
      if (fSharp) {
        bufByte(out, 48);
        bufByte(out, <u32>digits.charCodeAt(16));
      }
    }
    const c = <u32>load<u8>(p + <usize>i);
    bufByte(out, <u32>digits.charCodeAt(<i32>(c >> 4)));
    bufByte(out, <u32>digits.charCodeAt(<i32>(c & 15)));
  }
  if (fWid > width && fMinus) writePadding(out, fWid - width, fZero);
}

function printString(out: Buf, verb: u32, p: usize, n: usize): bool {
  switch (verb) {
    case 118:
      if (fSharpV) fmtQ(out, p, n);
      else pad(out, p, truncated(p, n));
      return true;
    case 115: pad(out, p, truncated(p, n)); return true;
    case 113: fmtQ(out, p, n); return true;
    case 120: fmtSx(out, p, n, false); return true;
    case 88: fmtSx(out, p, n, true); return true;
  }
  return false;
}

// --- any operand -----------------------------------------------------------------

export function writeRuneTo(out: Buf, r: u32): void {
  bufReserveRune(out, r);
}

export function writeTypeName(out: Buf, a: GoArg): void {
  switch (a.kind) {
    case K_INT: bufAscii(out, "int"); break;
    case K_BIG: bufAscii(out, "*big.Int"); break;
    case K_FLOAT: bufAscii(out, "float64"); break;
    default: bufAscii(out, "string");
  }
}

/** Go's printArg: the operand under the verb, or %!verb(type=value). */
export function printArg(out: Buf, a: GoArg, verb: u32): void {
  if (verb == 84) {
    // %T: the type name as fmtS prints a string
    const t = bufNew(16);
    writeTypeName(t, a);
    pad(out, t.ptr, truncated(t.ptr, t.len));
    return;
  }
  if (a.kind == K_BIG) {
    printBig(out, verb, a);
    return;
  }
  let ok = false;
  if (a.kind == K_INT) ok = printInt(out, verb, a);
  else if (a.kind == K_FLOAT) ok = printFloat(out, verb, a.f);
  else ok = printString(out, verb, a.ptr, a.len);
  if (ok) return;
  bufAscii(out, "%!");
  writeRuneTo(out, verb);
  bufByte(out, 40);
  writeTypeName(out, a);
  bufByte(out, 61);
  printArg(out, a, 118);
  bufByte(out, 41);
}
