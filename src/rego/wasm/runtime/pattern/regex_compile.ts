// RE2 syntax (Go's regexp/syntax with the Perl flags OPA compiles with) to
// a pattern program. What RE2 rejects is INVALID (backreferences,
// lookaround, nested repetition, bad ranges…); what RE2 accepts but this
// compiler does not handle is UNSUPPORTED — Unicode classes (\p), case
// folding of non-ASCII runes, \C, huge programs — and goes to the host.
// Leftmost-first priorities are kept in the program (preferred SPLIT
// branch first), although only whether a match exists is asked today.
import { casemap } from "util/casemap";
import { decodeRune, runeSize } from "../utf8";
import {
  ASSERT_BOL, ASSERT_BOT, ASSERT_EOL, ASSERT_EOT, ASSERT_NOWORD, ASSERT_WORD, OP_ASSERT, OP_JMP, OP_NOP, OP_SPLIT,
  PROG_ANCHORED, altEnd, altNext, buildBegin, buildEnd, copyBlock, emit, emitClass, emitRune, insertAt, instrCount, patch, pc,
  truncateAt,
} from "./prog";
import { MAX_RUNE, rl, rlAdd, rlBegin, rlCount, rlFoldAscii, rlNegate, rlNegateFrom, rlNormalize } from "./ranges";

export const RE_OK: i32 = 0;
export const RE_INVALID: i32 = 1;
export const RE_UNSUPPORTED: i32 = 2;

const MAX_INSTRUCTIONS: i32 = 20000;
const MAX_REPEAT: i32 = 1000;
const MAX_DEPTH: i32 = 1000;

const F_FOLD: u32 = 1;
const F_MULTILINE: u32 = 2;
const F_DOTNL: u32 = 4;
const F_UNGREEDY: u32 = 8;

let src: usize = 0;
let end: usize = 0;
let p: usize = 0;
let flags: u32 = 0;
let status: i32 = RE_OK;
let depth: i32 = 0;
/** The program compiled by the last successful compileRegex. */
export let compiledProgram: usize = 0;

function fail(s: i32): void {
  // INVALID wins: RE2 would reject the pattern whatever else it holds
  if (status != RE_INVALID) status = s;
}

@inline
function peek(): u32 {
  return p < end ? <u32>load<u8>(p) : 0xffffffff;
}

function nextRune(): u32 {
  const r = decodeRune(p, end);
  if (r == 0xfffd && runeSize == 1 && load<u8>(p) >= 0x80) fail(RE_INVALID); // invalid UTF-8
  p += runeSize;
  return r;
}

/** Compiles pattern bytes; the status is returned, the program left in
 *  compiledProgram. */
export function compileRegex(pattern: usize, len: usize): i32 {
  src = pattern;
  end = pattern + len;
  p = pattern;
  flags = 0;
  status = RE_OK;
  depth = 0;
  compiledProgram = 0;
  buildBegin();
  parseAlternation();
  if (status == RE_OK && p < end) fail(RE_INVALID); // an unexpected )
  if (status == RE_OK && instrCount() > MAX_INSTRUCTIONS) fail(RE_UNSUPPORTED);
  if (status != RE_OK) return status;
  // a leading ^ (not repeated, no top-level |) anchors every match
  const second = len > 1 ? <u32>load<u8>(pattern + 1) : 0;
  const startsAnchored = len > 0 && load<u8>(pattern) == 94 && second != 42 && second != 63 && second != 123 && !hasTopLevelBar(pattern, len);
  compiledProgram = buildEnd(startsAnchored ? PROG_ANCHORED : 0);
  return RE_OK;
}

/** Whether a | sits outside every group (then a leading ^ anchors only
 *  the first branch). Conservative: any | counts. */
function hasTopLevelBar(pattern: usize, len: usize): bool {
  for (let i: usize = 0; i < len; i++) if (load<u8>(pattern + i) == 124) return true;
  return false;
}

// --- alternation and concatenation -------------------------------------------------

/** branch ( | branch )* */
function parseAlternation(): void {
  let branch = pc();
  let chain: i32 = -1;
  parseConcat();
  while (status == RE_OK && peek() == 124) {
    p++;
    chain = altNext(branch, chain);
    branch = pc();
    parseConcat();
  }
  altEnd(chain);
}

/** Atoms and their repetitions up to | or ) or the end. */
function parseConcat(): void {
  let atomStart: i32 = -1;
  /** the previous token was a repetition operator (RE2 rejects a**) */
  let repeated = false;
  while (status == RE_OK && p < end) {
    const c = <u32>load<u8>(p);
    if (c == 124 || c == 41) return;
    if (c == 42 || c == 43 || c == 63) {
      if (atomStart < 0 || repeated) return fail(RE_INVALID);
      p++;
      let min: i32 = 0;
      let max: i32 = -1;
      if (c == 43) min = 1;
      else if (c == 63) max = 1;
      repeat(atomStart, min, max, nonGreedySuffix());
      repeated = true;
      continue;
    }
    if (c == 123) {
      const save = p;
      if (parseRepeatCount()) {
        if (atomStart < 0 || repeated) return fail(RE_INVALID);
        if (repMin > MAX_REPEAT || repMax > MAX_REPEAT || (repMax >= 0 && repMax < repMin)) return fail(RE_INVALID);
        repeat(atomStart, repMin, repMax, nonGreedySuffix());
        repeated = true;
        continue;
      }
      p = save;
    }
    repeated = false;
    const previous = atomStart;
    atomStart = pc();
    if (c == 40) {
      // a flag group (?i) is no atom: a repetition after it applies to the
      // atom before it, as in Go
      if (!parseGroup()) atomStart = previous;
    } else if (c == 91) parseClass();
    else if (c == 46) {
      p++;
      rlBegin();
      if (flags & F_DOTNL) rlAdd(0, MAX_RUNE);
      else {
        rlAdd(0, 9);
        rlAdd(11, MAX_RUNE);
      }
      emitClass(rl, rlCount);
    } else if (c == 94) {
      p++;
      emit(OP_ASSERT, flags & F_MULTILINE ? ASSERT_BOL : ASSERT_BOT, 0);
    } else if (c == 36) {
      p++;
      emit(OP_ASSERT, flags & F_MULTILINE ? ASSERT_EOL : ASSERT_EOT, 0);
    } else if (c == 92) {
      const last = parseEscapeAtom();
      if (last >= 0) atomStart = last;
    } else literal(nextRune());
  }
}

/** After a repetition operator: `?` makes it non-greedy ((?U) swaps). */
function nonGreedySuffix(): bool {
  let lazy = false;
  if (peek() == 63) {
    p++;
    lazy = true;
  }
  return (flags & F_UNGREEDY) != 0 ? !lazy : lazy;
}

let repMin: i32 = 0;
let repMax: i32 = 0;

/** {n}, {n,}, {n,m} at p (advancing past it); false if it is not one
 *  (then `{` is a literal). */
function parseRepeatCount(): bool {
  p++;
  repMin = readInt();
  if (repMin < 0) return false;
  if (peek() == 125) {
    p++;
    repMax = repMin;
    return true;
  }
  if (peek() != 44) return false;
  p++;
  if (peek() == 125) {
    p++;
    repMax = -1;
    return true;
  }
  repMax = readInt();
  if (repMax < 0 || peek() != 125) return false;
  p++;
  return true;
}

/** Decimal digits at p (capped to stay in i32), -1 if none. */
function readInt(): i32 {
  let n: i32 = -1;
  while (p < end && load<u8>(p) >= 48 && load<u8>(p) <= 57) {
    const d = <i32>load<u8>(p) - 48;
    n = n < 0 ? d : n > 100000 ? n : n * 10 + d;
    p++;
  }
  return n;
}

/** Repeats the block [start, pc()) min..max times (max -1: unbounded). */
function repeat(start: i32, min: i32, max: i32, lazy: bool): void {
  const endBlock = pc();
  const n = endBlock - start;
  if (<i64>n * <i64>(max > min ? max : min + 1) > <i64>MAX_INSTRUCTIONS) return fail(RE_UNSUPPORTED);
  if (min == 0 && max == 0) {
    truncateAt(start);
    return;
  }
  if (min == 0 && max < 0) {
    // L: SPLIT body, out; body; JMP L
    insertAt(start, OP_SPLIT, 0, 0);
    emit(OP_JMP, start - pc(), 0);
    const out = pc() - start;
    patch(start, lazy ? out : 1, lazy ? 1 : out);
    return;
  }
  if (min == 0 && max == 1) {
    insertAt(start, OP_SPLIT, 0, 0);
    const out = pc() - start;
    patch(start, lazy ? out : 1, lazy ? 1 : out);
    return;
  }
  // the block once is the first mandatory copy; copies follow it
  const template = start;
  for (let i = 1; i < min; i++) copyBlock(template, template + n);
  if (max < 0) {
    // x{n,}: the last copy loops (x+)
    const last = pc() - n;
    const s = emit(OP_SPLIT, 0, 0);
    patch(s, lazy ? 1 : last - s, lazy ? last - s : 1);
    return;
  }
  if (min == 0) {
    // x{0,m}: the block itself becomes the first optional copy
    insertAt(start, OP_SPLIT, 0, 0);
    const out = pc() - start;
    patch(start, lazy ? out : 1, lazy ? 1 : out);
    min = 1;
    // further optional copies of the block (without its SPLIT)
    for (let i = min; i < max; i++) optionalCopy(start + 1, n, lazy);
    return;
  }
  for (let i = min; i < max; i++) optionalCopy(template, n, lazy);
}

/** Appends (block)? for the n instructions at `from`. */
function optionalCopy(from: i32, n: i32, lazy: bool): void {
  const s = emit(OP_SPLIT, 0, 0);
  copyBlock(from, from + n);
  const out = pc() - s;
  patch(s, lazy ? out : 1, lazy ? 1 : out);
}

// --- groups ----------------------------------------------------------------------

/** ( … ), (?: … ), (?P<name> … ), (?<name> … ), (?flags) and (?flags: … ).
 *  Returns false for a bare flag group, which compiles to nothing. */
function parseGroup(): bool {
  p++;
  const saved = flags;
  if (peek() == 63) {
    p++;
    const c = peek();
    if (c == 80 || c == 60) {
      // named capture: (?P<name>re) or (?<name>re)
      if (c == 80) {
        p++;
        if (peek() != 60) {
          fail(RE_INVALID);
          return true;
        }
      }
      p++;
      const nameStart = p;
      while (p < end && load<u8>(p) != 62) {
        const ch = <u32>load<u8>(p);
        if (!(isWordChar(ch))) {
          fail(RE_INVALID);
          return true;
        }
        p++;
      }
      if (p >= end || p == nameStart) {
        fail(RE_INVALID);
        return true;
      }
      p++;
    } else {
      // flags
      let neg = false;
      let any = false;
      let f = flags;
      while (true) {
        if (p >= end) {
          fail(RE_INVALID);
          return true;
        }
        const ch = <u32>load<u8>(p);
        p++;
        if (ch == 105) f = neg ? f & ~F_FOLD : f | F_FOLD;
        else if (ch == 109) f = neg ? f & ~F_MULTILINE : f | F_MULTILINE;
        else if (ch == 115) f = neg ? f & ~F_DOTNL : f | F_DOTNL;
        else if (ch == 85) f = neg ? f & ~F_UNGREEDY : f | F_UNGREEDY;
        else if (ch == 45) {
          if (neg) {
            fail(RE_INVALID);
            return true;
          }
          neg = true;
          any = false;
          continue;
        } else if (ch == 41 || ch == 58) {
          // (?-) and (?i-) are errors, (?) and (?:…) are not
          if (neg && !any) {
            fail(RE_INVALID);
            return true;
          }
          flags = f;
          if (ch == 41) return false;
          break;
        } else {
          // lookaround and every other (?x: RE2 does not support them
          fail(RE_INVALID);
          return true;
        }
        any = true;
      }
    }
  }
  if (++depth > MAX_DEPTH) {
    fail(RE_UNSUPPORTED);
    return true;
  }
  parseAlternation();
  depth--;
  if (status != RE_OK) return true;
  if (peek() != 41) {
    fail(RE_INVALID); // missing closing )
    return true;
  }
  p++;
  flags = saved;
  return true;
}

// --- literals, escapes, classes -------------------------------------------------------

@inline
function isWordChar(c: u32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
}

/** A literal rune, case-folded under (?i). */
function literal(r: u32): void {
  if ((flags & F_FOLD) == 0) {
    emitRune(r);
    return;
  }
  rlBegin();
  rlAdd(r, r);
  if (r >= 0x80) {
    // non-ASCII runes with a case are folded by the host
    if (<u32>(casemap(r, 0) & 0x1fffff) != r || <u32>(casemap(r, 1) & 0x1fffff) != r) return fail(RE_UNSUPPORTED);
    emitRune(r);
    return;
  }
  rlFoldAscii();
  emitClass(rl, rlCount);
}

/** An escape outside a class. Returns the start of the last atom for
 *  \Q…\E (whose last rune a repetition applies to), else -1. */
function parseEscapeAtom(): i32 {
  p++;
  if (p >= end) {
    fail(RE_INVALID); // trailing backslash
    return -1;
  }
  const c = <u32>load<u8>(p);
  switch (c) {
    case 65: p++; emit(OP_ASSERT, ASSERT_BOT, 0); return -1; // \A
    case 122: p++; emit(OP_ASSERT, ASSERT_EOT, 0); return -1; // \z
    case 98: p++; emit(OP_ASSERT, ASSERT_WORD, 0); return -1; // \b
    case 66: p++; emit(OP_ASSERT, ASSERT_NOWORD, 0); return -1; // \B
    case 81: {
      // \Q…\E: literal text
      p++;
      let last: i32 = -1;
      while (p < end) {
        if (load<u8>(p) == 92 && p + 1 < end && load<u8>(p + 1) == 69) {
          p += 2;
          break;
        }
        if (load<u8>(p) == 92 && p + 1 < end && load<u8>(p + 1) == 92) p++;
        last = pc();
        literal(nextRune());
      }
      if (last < 0) emit(OP_NOP, 0, 0);
      return last;
    }
  }
  rlBegin();
  if (perlClass()) {
    emitClass(rl, rlCount);
    return -1;
  }
  if (status != RE_OK) return -1;
  const r = escapeRune();
  if (status == RE_OK) literal(r);
  return -1;
}

/** \d \D \s \S \w \W at p (after the backslash) into the range list. */
function perlClass(): bool {
  const c = <u32>load<u8>(p);
  const lower = c | 0x20;
  if (lower != 100 && lower != 115 && lower != 119) {
    if (lower == 112) fail(RE_UNSUPPORTED); // \p \P: Unicode classes
    return false;
  }
  p++;
  // (?i)\W must also leave out the k and s orbits' non-ASCII members
  if (c == 87 && flags & F_FOLD) fail(RE_UNSUPPORTED);
  const start = rlCount;
  if (lower == 100) rlAdd(48, 57);
  else if (lower == 115) {
    rlAdd(9, 10);
    rlAdd(12, 13);
    rlAdd(32, 32);
  } else {
    rlAdd(48, 57);
    rlAdd(65, 90);
    rlAdd(95, 95);
    rlAdd(97, 122);
  }
  if (c != lower) rlNegateFrom(start);
  return true;
}

/** The rune of an escape at p (after the backslash): octal, \x, the C
 *  escapes and escaped punctuation; anything else is invalid. */
function escapeRune(): u32 {
  const c = <u32>load<u8>(p);
  p++;
  switch (c) {
    case 97: return 7;
    case 102: return 12;
    case 110: return 10;
    case 114: return 13;
    case 116: return 9;
    case 118: return 11;
  }
  if (c >= 49 && c <= 55) {
    // \1-\7: a backreference unless another octal digit follows
    if (p >= end || load<u8>(p) < 48 || load<u8>(p) > 55) {
      fail(RE_INVALID);
      return 0;
    }
  }
  if (c >= 48 && c <= 55) {
    let r = c - 48;
    for (let k = 0; k < 2 && p < end && load<u8>(p) >= 48 && load<u8>(p) <= 55; k++) {
      r = r * 8 + (<u32>load<u8>(p) - 48);
      p++;
    }
    return r;
  }
  if (c == 120) {
    // \xHH or \x{H…}
    if (peek() == 123) {
      p++;
      let r: u32 = 0;
      let digits = 0;
      while (p < end && load<u8>(p) != 125) {
        const h = hexValue(<u32>load<u8>(p));
        if (h < 0 || r > MAX_RUNE) {
          fail(RE_INVALID);
          return 0;
        }
        r = r * 16 + <u32>h;
        digits++;
        p++;
      }
      if (p >= end || digits == 0 || r > MAX_RUNE) {
        fail(RE_INVALID);
        return 0;
      }
      p++;
      return r;
    }
    if (end - p < 2) {
      fail(RE_INVALID);
      return 0;
    }
    const h1 = hexValue(<u32>load<u8>(p));
    const h2 = hexValue(<u32>load<u8>(p + 1));
    if (h1 < 0 || h2 < 0) {
      fail(RE_INVALID);
      return 0;
    }
    p += 2;
    return <u32>(h1 * 16 + h2);
  }
  // escaped punctuation (_ included: it is not alphanumeric)
  if (c < 0x80 && (c == 95 || !isWordChar(c))) return c;
  fail(RE_INVALID);
  return 0;
}

function hexValue(c: u32): i32 {
  if (c >= 48 && c <= 57) return <i32>c - 48;
  if (c >= 97 && c <= 102) return <i32>c - 87;
  if (c >= 65 && c <= 70) return <i32>c - 55;
  return -1;
}

/** [ … ]: ranges, escapes, Perl and POSIX classes, ^ negation. */
function parseClass(): void {
  p++;
  rlBegin();
  let negate = false;
  if (peek() == 94) {
    p++;
    negate = true;
  }
  let first = true;
  while (status == RE_OK) {
    if (p >= end) return fail(RE_INVALID); // missing closing ]
    const c = <u32>load<u8>(p);
    if (c == 93 && !first) {
      p++;
      break;
    }
    first = false;
    if (c == 91 && p + 1 < end && load<u8>(p + 1) == 58) {
      if (posixClass()) continue;
    }
    let lo: u32;
    if (c == 92) {
      p++;
      if (p >= end) return fail(RE_INVALID);
      if (perlClass()) continue;
      if (status != RE_OK) return;
      lo = escapeRune();
    } else lo = nextRune();
    let hi = lo;
    if (peek() == 45 && p + 1 < end && load<u8>(p + 1) != 93) {
      p++;
      const d = <u32>load<u8>(p);
      if (d == 92) {
        p++;
        if (p >= end) return fail(RE_INVALID);
        const e = <u32>load<u8>(p) | 0x20;
        if (e == 100 || e == 115 || e == 119 || e == 112) return fail(RE_INVALID); // [a-\d]
        hi = escapeRune();
      } else hi = nextRune();
      if (hi < lo) return fail(RE_INVALID);
    }
    rlAdd(lo, hi);
  }
  if (status != RE_OK) return;
  rlNormalize();
  if (flags & F_FOLD && !rlFoldAscii()) return fail(RE_UNSUPPORTED);
  if (negate) rlNegate();
  emitClass(rl, rlCount);
}

const POSIX_NAMES: string = "alnum alpha ascii blank cntrl digit graph lower print punct space upper word xdigit ";

/** The index of the class name at p/n in POSIX_NAMES, -1 if unknown. */
function posixIndex(p: usize, n: usize): i32 {
  let index = 0;
  let start = 0;
  for (let i = 0; i < POSIX_NAMES.length; i++) {
    if (POSIX_NAMES.charCodeAt(i) != 32) continue;
    if (<usize>(i - start) == n) {
      let same = true;
      for (let k = 0; k < <i32>n; k++) if (<u32>load<u8>(p + <usize>k) != <u32>POSIX_NAMES.charCodeAt(start + k)) same = false;
      if (same) return index;
    }
    index++;
    start = i + 1;
  }
  return -1;
}

/** [:name:] or [:^name:] at p; false (p unchanged) if it is not one. */
function posixClass(): bool {
  const save = p;
  p += 2;
  let neg = false;
  if (peek() == 94) {
    neg = true;
    p++;
  }
  const nameStart = p;
  while (p < end && load<u8>(p) >= 97 && load<u8>(p) <= 122) p++;
  const n = p - nameStart;
  if (end - p < 2 || load<u8>(p) != 58 || load<u8>(p + 1) != 93) {
    p = save;
    return false;
  }
  const start = rlCount;
  const name = posixIndex(nameStart, n);
  if (name == 0) { rlAdd(48, 57); rlAdd(65, 90); rlAdd(97, 122); }
  else if (name == 1) { rlAdd(65, 90); rlAdd(97, 122); }
  else if (name == 2) rlAdd(0, 127);
  else if (name == 3) { rlAdd(9, 9); rlAdd(32, 32); }
  else if (name == 4) { rlAdd(0, 31); rlAdd(127, 127); }
  else if (name == 5) rlAdd(48, 57);
  else if (name == 6) rlAdd(33, 126);
  else if (name == 7) rlAdd(97, 122);
  else if (name == 8) rlAdd(32, 126);
  else if (name == 9) { rlAdd(33, 47); rlAdd(58, 64); rlAdd(91, 96); rlAdd(123, 126); }
  else if (name == 10) { rlAdd(9, 13); rlAdd(32, 32); }
  else if (name == 11) rlAdd(65, 90);
  else if (name == 12) { rlAdd(48, 57); rlAdd(65, 90); rlAdd(95, 95); rlAdd(97, 122); }
  else if (name == 13) { rlAdd(48, 57); rlAdd(65, 70); rlAdd(97, 102); }
  else {
    fail(RE_INVALID); // invalid character class range
    return true;
  }
  p += 2;
  if (neg) rlNegateFrom(start);
  return true;
}
