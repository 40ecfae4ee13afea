// UTF-8 decoding with Go's rules: an invalid byte decodes to U+FFFD and
// consumes one byte (so counts and offsets agree with OPA's).
export const RUNE_ERROR: u32 = 0xfffd;

/** Size of the last decoded rune, set by decodeRune. */
export let runeSize: u32 = 0;

/** Decodes the rune at p (p < end); its size is left in runeSize. */
export function decodeRune(p: usize, end: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) {
    runeSize = 1;
    return b0;
  }
  const avail = end - p;
  if (b0 >= 0xc2 && b0 <= 0xdf && avail >= 2) {
    const b1 = <u32>load<u8>(p, 1);
    if ((b1 & 0xc0) == 0x80) {
      runeSize = 2;
      return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
    }
  } else if (b0 >= 0xe0 && b0 <= 0xef && avail >= 3) {
    const b1 = <u32>load<u8>(p, 1);
    const b2 = <u32>load<u8>(p, 2);
    const lo: u32 = b0 == 0xe0 ? 0xa0 : 0x80;
    const hi: u32 = b0 == 0xed ? 0x9f : 0xbf;
    if (b1 >= lo && b1 <= hi && (b2 & 0xc0) == 0x80) {
      runeSize = 3;
      return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    }
  } else if (b0 >= 0xf0 && b0 <= 0xf4 && avail >= 4) {
    const b1 = <u32>load<u8>(p, 1);
    const b2 = <u32>load<u8>(p, 2);
    const b3 = <u32>load<u8>(p, 3);
    const lo: u32 = b0 == 0xf0 ? 0x90 : 0x80;
    const hi: u32 = b0 == 0xf4 ? 0x8f : 0xbf;
    if (b1 >= lo && b1 <= hi && (b2 & 0xc0) == 0x80 && (b3 & 0xc0) == 0x80) {
      runeSize = 4;
      return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
    }
  }
  runeSize = 1;
  return RUNE_ERROR;
}

/** Bytes needed to encode rune c. */
export function runeLen(c: u32): u32 {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c < 0x10000) return 3;
  return 4;
}

/** Writes rune c at p; returns its size. Surrogates become U+FFFD. */
export function encodeRune(p: usize, c: u32): u32 {
  if (c >= 0xd800 && c <= 0xdfff) c = RUNE_ERROR;
  if (c < 0x80) {
    store<u8>(p, <u8>c);
    return 1;
  }
  if (c < 0x800) {
    store<u8>(p, <u8>(0xc0 | (c >> 6)));
    store<u8>(p, <u8>(0x80 | (c & 0x3f)), 1);
    return 2;
  }
  if (c < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (c >> 12)));
    store<u8>(p, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
    store<u8>(p, <u8>(0x80 | (c & 0x3f)), 2);
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (c >> 18)));
  store<u8>(p, <u8>(0x80 | ((c >> 12) & 0x3f)), 1);
  store<u8>(p, <u8>(0x80 | ((c >> 6) & 0x3f)), 2);
  store<u8>(p, <u8>(0x80 | (c & 0x3f)), 3);
  return 4;
}

/** Number of runes in len bytes at p. */
export function runeCount(p: usize, len: usize): u32 {
  const end = p + len;
  let n: u32 = 0;
  while (p < end) {
    if (load<u8>(p) < 0x80) p++;
    else {
      decodeRune(p, end);
      p += runeSize;
    }
    n++;
  }
  return n;
}

/** Byte offset of the rune with index `runes` (or len when past the end). */
export function runeOffset(p: usize, len: usize, runes: u32): usize {
  const start = p;
  const end = p + len;
  while (runes > 0 && p < end) {
    if (load<u8>(p) < 0x80) p++;
    else {
      decodeRune(p, end);
      p += runeSize;
    }
    runes--;
  }
  return p - start;
}
