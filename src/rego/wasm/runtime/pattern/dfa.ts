// A lazily built DFA over ASCII bytes for a cached pattern program: each
// state is the set of pcs an NFA closure visits, made on first need and
// kept with the program in the pattern cache, so a pattern matched again
// costs one table lookup per byte. Programs with context assertions other
// than ^ and $ (\b, multi-line), or too many instructions, have no DFA; a
// text with a non-ASCII byte, or a state table that is full, sends the
// call back to the NFA (vm.ts).
import { malloc } from "../alloc";
import {
  ASSERT_BOT, ASSERT_EOT, OP_ASSERT, OP_CLASS, OP_MATCH, PROG_ANCHORED, instrAt, progCount, progFlags, rangesOf,
} from "./prog";
import { CTX_END, CTX_MIDDLE, CTX_START, classAdmits, closeInto, closureMatched } from "./vm";

const MAX_STATES: u32 = 64;
const MAX_INSTRUCTIONS: u32 = 64;
const UNKNOWN: u8 = 0xff;

// region: [u32 ready][u32 nstates][u32 poolUsed][u32 start][u32 nclasses][u32 pad]
//         128 bytes: the byte class of each ASCII byte
//         MAX_STATES × [u32 setOffset][u16 setLen][u8 flags][u8 pad]
//         MAX_STATES × nclasses transitions (u8 state, UNKNOWN)
//         pool: MAX_STATES × ninstr u16 pcs
// Bytes that no class of the program tells apart share a byte class
// (RE2's trick), which keeps the transition table small.
const HEADER: usize = 24;
const CLASS_MAP: usize = HEADER;
const STATES: usize = CLASS_MAP + 128;
const STATE_SIZE: usize = 8;
const TRANS: usize = STATES + <usize>MAX_STATES * STATE_SIZE;

@inline
function classes(region: usize): usize {
  return <usize>load<u32>(region, 16);
}

@inline
function poolOf(region: usize): usize {
  return region + TRANS + <usize>MAX_STATES * classes(region);
}

@inline
function stateAt(region: usize, s: u32): usize {
  return region + STATES + <usize>s * STATE_SIZE;
}

@inline
function transAt(region: usize, s: u32, cls: u32): usize {
  return region + TRANS + <usize>s * classes(region) + <usize>cls;
}

/** Marks in `marks` (129 bytes) where a class range of the program starts
 *  or ends within ASCII; returns the number of byte classes. */
function markBoundaries(program: usize, marks: usize): u32 {
  memory.fill(marks, 0, 129);
  const n = progCount(program);
  for (let pc: u32 = 0; pc < n; pc++) {
    const ip = instrAt(program, <i32>pc);
    if (load<i32>(ip) != OP_CLASS) continue;
    let q = rangesOf(program) + (<usize>load<u32>(ip, 4) << 3);
    for (let k: u32 = 0; k < <u32>load<i32>(ip, 8); k++, q += 8) {
      const lo = load<u32>(q);
      const hi = load<u32>(q, 4);
      if (lo < 128) store<u8>(marks + <usize>lo, 1);
      if (hi < 127) store<u8>(marks + <usize>hi + 1, 1);
    }
  }
  let count: u32 = 1;
  for (let b: usize = 1; b < 128; b++) if (load<u8>(marks + b)) count++;
  return count;
}

const F_MATCH: u8 = 1;
const F_MATCH_AT_END: u8 = 2;

/** Bytes of DFA region the program needs (0: no DFA for it). */
export function dfaRegionSize(program: usize): usize {
  const n = progCount(program);
  if (n > MAX_INSTRUCTIONS) return 0;
  const k = markBoundaries(program, malloc(129));
  for (let pc: u32 = 0; pc < n; pc++) {
    const ip = instrAt(program, <i32>pc);
    if (load<i32>(ip) == OP_ASSERT) {
      const kind = load<i32>(ip, 4);
      if (kind != ASSERT_BOT && kind != ASSERT_EOT) return 0;
    }
  }
  return TRANS + <usize>MAX_STATES * <usize>k + <usize>MAX_STATES * <usize>n * 2;
}

// scratch for making states, allocated on the evaluation's heap when a
// call first needs a new state (dropped with the heap afterwards)
let dense: usize = 0;
let sparse: usize = 0;
let scratch: usize = 0;

function needScratch(program: usize): void {
  if (dense != 0) return;
  const n = <usize>progCount(program);
  dense = malloc(n * 8);
  sparse = dense + n * 4;
  scratch = malloc((2 * n + 2) * 4);
}

/** The state holding the set dense[0..count) (sorted here), made if new;
 *  -1 when the table is full. */
function intern(program: usize, region: usize, count: u32): i32 {
  // sort the pcs
  for (let i: u32 = 1; i < count; i++) {
    const v = load<i32>(dense + (<usize>i << 2));
    let j = i;
    while (j > 0 && load<i32>(dense + (<usize>(j - 1) << 2)) > v) {
      store<i32>(dense + (<usize>j << 2), load<i32>(dense + (<usize>(j - 1) << 2)));
      j--;
    }
    store<i32>(dense + (<usize>j << 2), v);
  }
  const n = load<u32>(region, 4);
  for (let s: u32 = 0; s < n; s++) {
    const st = stateAt(region, s);
    if (<u32>load<u16>(st, 4) != count) continue;
    const set = region + <usize>load<u32>(st);
    let same = true;
    for (let i: u32 = 0; i < count && same; i++) same = <i32>load<u16>(set + (<usize>i << 1)) == load<i32>(dense + (<usize>i << 2));
    if (same) return <i32>s;
  }
  if (n >= MAX_STATES) return -1;
  const used = load<u32>(region, 8);
  const set = poolOf(region) + <usize>used * 2;
  let flags: u8 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const pc = load<i32>(dense + (<usize>i << 2));
    store<u16>(set + (<usize>i << 1), <u16>pc);
    const ip = instrAt(program, pc);
    if (load<i32>(ip) == OP_MATCH) flags |= F_MATCH;
  }
  // $ pending: does the closure past it at the end of the text match?
  for (let i: u32 = 0; i < count && (flags & F_MATCH_AT_END) == 0; i++) {
    const pc = load<i32>(dense + (<usize>i << 2));
    const ip = instrAt(program, pc);
    if (load<i32>(ip) == OP_ASSERT && load<i32>(ip, 4) == ASSERT_EOT) {
      const tmpDense = malloc(<usize>progCount(program) * 8);
      closeInto(program, tmpDense, tmpDense + <usize>progCount(program) * 4, 0, pc + 1, CTX_END, scratch);
      if (closureMatched()) flags |= F_MATCH_AT_END;
    }
  }
  const st = stateAt(region, n);
  store<u32>(st, <u32>(set - region));
  store<u16>(st, <u16>count, 4);
  store<u8>(st, flags, 6);
  memory.fill(transAt(region, n, 0), UNKNOWN, classes(region));
  store<u32>(region, used + count, 8);
  store<u32>(region, n + 1, 4);
  return <i32>n;
}

/** The state after byte c from state s; -1 when the table is full. */
function step(program: usize, region: usize, s: u32, c: u32): i32 {
  needScratch(program);
  const st = stateAt(region, s);
  const set = region + <usize>load<u32>(st);
  const len = <u32>load<u16>(st, 4);
  let count: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    const pc = <i32>load<u16>(set + (<usize>i << 1));
    const ip = instrAt(program, pc);
    if (load<i32>(ip) == OP_CLASS && classAdmits(program, ip, c)) {
      count = closeInto(program, dense, sparse, count, pc + 1, CTX_MIDDLE, scratch);
    }
  }
  // a search may start a match at every position
  if ((progFlags(program) & PROG_ANCHORED) == 0) count = closeInto(program, dense, sparse, count, 0, CTX_MIDDLE, scratch);
  const next = intern(program, region, count);
  if (next >= 0) store<u8>(transAt(region, s, <u32>load<u8>(region + CLASS_MAP + <usize>c)), <u8>next);
  return next;
}

/** 1: the program matches in the text, 0: it does not, -1: ask the NFA. */
export function dfaMatches(program: usize, region: usize, text: usize, len: usize): i32 {
  if (len == 0) return -1;
  dense = 0;
  if (load<u32>(region) == 0) {
    needScratch(program);
    store<u32>(region, 1);
    store<u32>(region, 0, 4);
    store<u32>(region, 0, 8);
    // the byte classes: bytes between two boundaries share one
    const marks = malloc(129);
    store<u32>(region, markBoundaries(program, marks), 16);
    let cls: u8 = 0;
    for (let b: usize = 0; b < 128; b++) {
      if (b > 0 && load<u8>(marks + b)) cls++;
      store<u8>(region + CLASS_MAP + b, cls);
    }
    const count = closeInto(program, dense, sparse, 0, 0, CTX_START, scratch);
    const start = intern(program, region, count);
    if (start < 0) return -1;
    store<u32>(region, <u32>start, 12);
  }
  let s = load<u32>(region, 12);
  const map = region + CLASS_MAP;
  for (let i: usize = 0; i < len; i++) {
    if (load<u8>(stateAt(region, s), 6) & F_MATCH) return 1;
    const c = <u32>load<u8>(text + i);
    if (c >= 0x80) return -1;
    let next = <i32>load<u8>(transAt(region, s, <u32>load<u8>(map + <usize>c)));
    if (next == <i32>UNKNOWN) {
      next = step(program, region, s, c);
      if (next < 0) return -1;
    }
    s = <u32>next;
    // no thread alive (an anchored program that failed): no match
    if (load<u16>(stateAt(region, s), 4) == 0) return 0;
  }
  return (load<u8>(stateAt(region, s), 6) & (F_MATCH | F_MATCH_AT_END)) != 0 ? 1 : 0;
}
