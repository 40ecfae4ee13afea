// glob.match patterns (gobwas/glob, as OPA uses it) to pattern programs,
// matched against the whole text:
//   *  any run of runes that are not delimiters   ** any run of runes
//   ?  one rune that is not a delimiter           \x a literal x
//   [abc] [a-z] [!abc] [!a-z]  one rune in (not in) the class
//   {a,b*,c}  any of the alternatives, nested patterns allowed
// A pattern gobwas rejects compiles to nothing (false): the host answers
// those, with gobwas's error texts.
import { decodeRune, runeSize } from "../utf8";
import {
  ASSERT_BOT, ASSERT_EOT, OP_ASSERT, OP_JMP, OP_SPLIT, PROG_ANCHORED, altEnd, altNext, buildBegin, buildEnd, emit,
  emitClass, emitRune, patch, pc,
} from "./prog";
import { MAX_RUNE, rl, rlAdd, rlBegin, rlCount, rlNegate, rlNormalize } from "./ranges";

let p: usize = 0;
let end: usize = 0;
let ok = true;
/** delimiter runes: the sorted ranges of the "not a delimiter" class */
let notDelim: usize = 0;
let notDelimCount: u32 = 0;

export let compiledGlob: usize = 0;

/** Compiles pattern bytes with the delimiters (UTF-8 runes, each given by
 *  its bytes at delims[i], packed as u32 runes); false if gobwas would
 *  reject the pattern. */
export function compileGlob(pattern: usize, len: usize, delimRunes: usize, delimCount: u32): bool {
  p = pattern;
  end = pattern + len;
  ok = true;
  rlBegin();
  for (let i: u32 = 0; i < delimCount; i++) {
    const r = load<u32>(delimRunes + (<usize>i << 2));
    rlAdd(r, r);
  }
  rlNormalize();
  rlNegate();
  notDelim = rl;
  notDelimCount = rlCount;
  buildBegin();
  emit(OP_ASSERT, ASSERT_BOT, 0);
  parseSequence(0);
  if (ok && p < end) ok = false;
  if (!ok) return false;
  emit(OP_ASSERT, ASSERT_EOT, 0);
  compiledGlob = buildEnd(PROG_ANCHORED);
  return true;
}

function starLoop(any: bool): void {
  // L: SPLIT body, out; body; JMP L
  const s = emit(OP_SPLIT, 1, 0);
  if (any) anyRune();
  else emitClass(notDelim, notDelimCount);
  emit(OP_JMP, s - pc(), 0);
  patch(s, 1, pc() - s);
}

function anyRune(): void {
  rlBegin();
  rlAdd(0, MAX_RUNE);
  emitClass(rl, rlCount);
}

/** Terms up to the end, or (inside braces) up to , or }. */
function parseSequence(depth: i32): void {
  while (ok && p < end) {
    const c = <u32>load<u8>(p);
    if (depth > 0 && (c == 44 || c == 125)) return;
    if (c == 42) {
      p++;
      if (p < end && load<u8>(p) == 42) {
        p++;
        starLoop(true);
      } else starLoop(false);
    } else if (c == 63) {
      p++;
      emitClass(notDelim, notDelimCount);
    } else if (c == 91) parseClass();
    else if (c == 123) parseAlternatives(depth + 1);
    else if (c == 92) {
      p++;
      if (p >= end) {
        ok = false;
        return;
      }
      emitRune(nextRune());
    } else emitRune(nextRune());
  }
}

function nextRune(): u32 {
  const r = decodeRune(p, end);
  p += runeSize;
  return r;
}

/** {a,b,…} */
function parseAlternatives(depth: i32): void {
  p++;
  let branch = pc();
  let chain: i32 = -1;
  parseSequence(depth);
  while (ok && p < end && load<u8>(p) == 44) {
    p++;
    chain = altNext(branch, chain);
    branch = pc();
    parseSequence(depth);
  }
  if (!ok || p >= end) {
    ok = false;
    return;
  }
  p++; // }
  altEnd(chain);
}

/** [abc] [a-z] [!abc] [!a-z], as gobwas parses them: a range is exactly
 *  lo-hi]; otherwise a list with backslash escapes. */
function parseClass(): void {
  p++;
  let negate = false;
  if (p < end && load<u8>(p) == 33) {
    negate = true;
    p++;
  }
  if (p >= end) {
    ok = false;
    return;
  }
  rlBegin();
  const save = p;
  const lo = nextRune();
  if (p < end && load<u8>(p) == 45) {
    p++;
    if (p >= end) {
      ok = false;
      return;
    }
    const hi = nextRune();
    if (p >= end || load<u8>(p) != 93 || hi < lo) {
      ok = false;
      return;
    }
    p++;
    rlAdd(lo, hi);
  } else {
    p = save;
    let escaped = false;
    let any = false;
    while (p < end) {
      const c = <u32>load<u8>(p);
      if (!escaped && c == 92) {
        escaped = true;
        p++;
        continue;
      }
      if (!escaped && c == 93) break;
      escaped = false;
      const r = nextRune();
      rlAdd(r, r);
      any = true;
    }
    if (p >= end || !any) {
      ok = false;
      return;
    }
    p++;
  }
  rlNormalize();
  if (negate) rlNegate();
  emitClass(rl, rlCount);
}
