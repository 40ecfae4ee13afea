// Runs a pattern program over UTF-8 text: a Thompson NFA simulation (Pike
// VM without captures), so time is linear in the text for a given program.
// Answers only whether a match exists.
import { malloc } from "../alloc";
import { decodeRune, runeSize } from "../utf8";
import {
  ASSERT_BOL, ASSERT_BOT, ASSERT_EOL, ASSERT_EOT, ASSERT_NOWORD, ASSERT_WORD, OP_ASSERT, OP_CLASS, OP_JMP, OP_MATCH,
  OP_NOP, OP_SPLIT, PROG_ANCHORED, PROG_FIRST_BYTES, firstBytesOf, instrAt, progCount, progFlags, rangesOf,
} from "./prog";

// the run's state: two thread sets (sparse sets over pcs) and a stack
let prog: usize = 0;
let text: usize = 0;
let textLen: usize = 0;
let stack: usize = 0;
let matched = false;

@inline
function isWordByte(c: u32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
}

function assertHolds(kind: i32, i: usize): bool {
  switch (kind) {
    case ASSERT_BOT: return i == 0;
    case ASSERT_EOT: return i == textLen;
    case ASSERT_BOL: return i == 0 || load<u8>(text + i - 1) == 10;
    case ASSERT_EOL: return i == textLen || load<u8>(text + i) == 10;
  }
  const before = i > 0 && isWordByte(<u32>load<u8>(text + i - 1));
  const after = i < textLen && isWordByte(<u32>load<u8>(text + i));
  return kind == ASSERT_WORD ? before != after : before == after;
}

/** Sparse set: dense pcs at set, then count at set-4; sparse index after. */
@inline
function setHas(dense: usize, sparse: usize, count: u32, pc: i32): bool {
  const k = load<u32>(sparse + (<usize>pc << 2));
  return k < count && load<i32>(dense + (<usize>k << 2)) == pc;
}

let setCount: u32 = 0;

/** Adds pc and everything reachable from it without consuming a rune. */
function addThread(dense: usize, sparse: usize, start: i32, i: usize): void {
  let sp: usize = 0;
  store<i32>(stack, start);
  sp = 1;
  while (sp > 0) {
    sp--;
    const pc = load<i32>(stack + (sp << 2));
    if (setHas(dense, sparse, setCount, pc)) continue;
    store<i32>(dense + (<usize>setCount << 2), pc);
    store<u32>(sparse + (<usize>pc << 2), setCount);
    setCount++;
    const ip = instrAt(prog, pc);
    const op = load<i32>(ip);
    if (op == OP_JMP) {
      store<i32>(stack + (sp << 2), pc + load<i32>(ip, 4));
      sp++;
    } else if (op == OP_SPLIT) {
      store<i32>(stack + (sp << 2), pc + load<i32>(ip, 8));
      store<i32>(stack + ((sp + 1) << 2), pc + load<i32>(ip, 4));
      sp += 2;
    } else if (op == OP_ASSERT) {
      if (assertHolds(load<i32>(ip, 4), i)) {
        store<i32>(stack + (sp << 2), pc + 1);
        sp++;
      }
    } else if (op == OP_NOP) {
      store<i32>(stack + (sp << 2), pc + 1);
      sp++;
    } else if (op == OP_MATCH) matched = true;
  }
}

@inline
function hasBit(bits: usize, c: u32): bool {
  return (load<u8>(bits + (c >> 3)) & (1 << (c & 7))) != 0;
}

function classHas(ip: usize, r: u32): bool {
  let q = rangesOf(prog) + (<usize>load<u32>(ip, 4) << 3);
  const n = load<u32>(ip, 8);
  for (let k: u32 = 0; k < n; k++, q += 8) {
    if (r < load<u32>(q)) return false;
    if (r <= load<u32>(q, 4)) return true;
  }
  return false;
}

// --- closures for the DFA (dfa.ts) ------------------------------------------------------
// A DFA state is the set of pcs a closure visits. Programs the DFA runs have
// no assertions but ^/\A and $/\z, so a closure depends only on whether
// it starts the text, sits inside it or ends it.

export const CTX_START: i32 = 0;
export const CTX_MIDDLE: i32 = 1;
export const CTX_END: i32 = 2;

/** Two bytes of text for the closures' positions 0, 1, 2 (of length 2). */
const CTX_TEXT: usize = memory.data<u8>([32, 32]);

/** Adds the closure of `pc` to the set (dense/sparse, holding `count`);
 *  returns the new count. `scratch` holds 2n + 2 i32s. */
export function closeInto(program: usize, dense: usize, sparse: usize, count: u32, pc: i32, ctx: i32, scratch: usize): u32 {
  prog = program;
  text = CTX_TEXT;
  textLen = 2;
  stack = scratch;
  matched = false;
  setCount = count;
  addThread(dense, sparse, pc, <usize>ctx);
  return setCount;
}

/** Whether the last closeInto reached MATCH. */
export function closureMatched(): bool {
  return matched;
}

/** Whether the CLASS instruction at ip admits rune r. */
export function classAdmits(program: usize, ip: usize, r: u32): bool {
  prog = program;
  return classHas(ip, r);
}

/** Whether the program matches somewhere in the text (only at its start
 *  when the program is anchored). */
export function progMatches(program: usize, s: usize, len: usize): bool {
  prog = program;
  text = s;
  textLen = len;
  matched = false;
  const n = <usize>progCount(program);
  const mem = malloc(n * 24 + 8);
  let cur = mem;
  let curSparse = mem + n * 4;
  let next = mem + n * 8;
  let nextSparse = mem + n * 12;
  // each pc is expanded once and pushes at most two: 2n + 1 entries
  stack = mem + n * 16;
  const anchored = (progFlags(program) & PROG_ANCHORED) != 0;
  const first = (progFlags(program) & PROG_FIRST_BYTES) != 0 ? firstBytesOf(program) : 0;
  const end = s + len;
  let curCount: u32 = 0;
  let i: usize = 0;
  while (true) {
    if (first != 0 && curCount == 0 && !anchored) {
      // no thread alive: on to the next byte a match can start with
      while (i < len && !hasBit(first, <u32>load<u8>(s + i))) i++;
      if (i >= len) return false;
    }
    if (!anchored || i == 0) {
      setCount = curCount;
      addThread(cur, curSparse, 0, i);
      curCount = setCount;
    }
    if (matched) return true;
    if (i >= len || curCount == 0) {
      if (i >= len || anchored) return false;
      // no thread alive: skip to the next rune
      decodeRune(s + i, end);
      i += runeSize;
      continue;
    }
    const r = decodeRune(s + i, end);
    const w = <usize>runeSize;
    setCount = 0;
    for (let k: u32 = 0; k < curCount; k++) {
      const pc = load<i32>(cur + (<usize>k << 2));
      const ip = instrAt(program, pc);
      if (load<i32>(ip) == OP_CLASS && classHas(ip, r)) addThread(next, nextSparse, pc + 1, i + w);
    }
    curCount = setCount;
    let t = cur;
    cur = next;
    next = t;
    t = curSparse;
    curSparse = nextSparse;
    nextSparse = t;
    i += w;
  }
  return false;
}
