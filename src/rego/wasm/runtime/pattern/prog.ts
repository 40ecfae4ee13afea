// Pattern programs: the Thompson NFA that regex.* and glob.* compile to and
// the VM runs. A program is one position-independent block (jump targets
// are relative, rune classes are indexes into the block's range pool), so a
// compiled program can be copied into the pattern cache as bytes.
//
//   [u32 ninstr][u32 nranges][u32 flags][u32 reserved]
//   ninstr × [i32 op, i32 a, i32 b]
//   nranges × [u32 lo, u32 hi]
//   32 bytes: the bytes a match can start with (PROG_FIRST_BYTES)
import { calloc, malloc } from "../alloc";

export const OP_CLASS: i32 = 1; // a: first range, b: range count; one rune in the ranges
export const OP_SPLIT: i32 = 2; // a, b: relative targets, a preferred
export const OP_JMP: i32 = 3; // a: relative target
export const OP_ASSERT: i32 = 4; // a: ASSERT_*
export const OP_MATCH: i32 = 5;
export const OP_NOP: i32 = 6;

export const ASSERT_BOT: i32 = 1; // beginning of text
export const ASSERT_EOT: i32 = 2; // end of text
export const ASSERT_BOL: i32 = 3; // beginning of line (multi-line ^)
export const ASSERT_EOL: i32 = 4; // end of line (multi-line $)
export const ASSERT_WORD: i32 = 5; // \b
export const ASSERT_NOWORD: i32 = 6; // \B

/** Program flag: every match starts at the beginning of the text. */
export const PROG_ANCHORED: u32 = 1;
/** Program flag: a match can only start at a byte in the first-bytes
 *  bitmap (a search skips the others while no thread is alive). */
export const PROG_FIRST_BYTES: u32 = 2;
const FIRST_BYTES_SIZE: usize = 32;

export const PROG_HEADER: usize = 16;
export const INSTR_SIZE: usize = 12;

@inline
export function progCount(p: usize): u32 {
  return load<u32>(p);
}

@inline
export function progFlags(p: usize): u32 {
  return load<u32>(p, 8);
}

@inline
export function instrAt(p: usize, pc: i32): usize {
  return p + PROG_HEADER + <usize>pc * INSTR_SIZE;
}

@inline
export function rangesOf(p: usize): usize {
  return p + PROG_HEADER + <usize>progCount(p) * INSTR_SIZE;
}

export function progSize(p: usize): usize {
  return PROG_HEADER + <usize>progCount(p) * INSTR_SIZE + (<usize>load<u32>(p, 4) << 3) + FIRST_BYTES_SIZE;
}

/** The first-bytes bitmap (valid with PROG_FIRST_BYTES). */
@inline
export function firstBytesOf(p: usize): usize {
  return rangesOf(p) + (<usize>load<u32>(p, 4) << 3);
}

// --- building ---------------------------------------------------------------------

/** The program being built: instructions and the range pool, each growable. */
let ins: usize = 0;
let insCount: i32 = 0;
let insCap: i32 = 0;
let pool: usize = 0;
let poolCount: u32 = 0;
let poolCap: u32 = 0;

export function buildBegin(): void {
  insCap = 64;
  ins = malloc(<usize>insCap * INSTR_SIZE);
  insCount = 0;
  poolCap = 64;
  pool = malloc(<usize>poolCap << 3);
  poolCount = 0;
}

export function pc(): i32 {
  return insCount;
}

function reserve(n: i32): void {
  if (insCount + n <= insCap) return;
  let cap = insCap << 1;
  while (cap < insCount + n) cap <<= 1;
  const p = malloc(<usize>cap * INSTR_SIZE);
  memory.copy(p, ins, <usize>insCount * INSTR_SIZE);
  ins = p;
  insCap = cap;
}

@inline
function at(i: i32): usize {
  return ins + <usize>i * INSTR_SIZE;
}

export function emit(op: i32, a: i32, b: i32): i32 {
  reserve(1);
  const p = at(insCount);
  store<i32>(p, op);
  store<i32>(p, a, 4);
  store<i32>(p, b, 8);
  return insCount++;
}

export function patch(i: i32, a: i32, b: i32): void {
  store<i32>(at(i), a, 4);
  store<i32>(at(i), b, 8);
}

/** Inserts one instruction at `i`, moving [i, end) up by one; relative
 *  jumps inside the moved block stay valid. */
export function insertAt(i: i32, op: i32, a: i32, b: i32): void {
  reserve(1);
  memory.copy(at(i + 1), at(i), <usize>(insCount - i) * INSTR_SIZE);
  insCount++;
  store<i32>(at(i), op);
  store<i32>(at(i), a, 4);
  store<i32>(at(i), b, 8);
}

/** Appends a copy of the instructions [from, to). */
export function copyBlock(from: i32, to: i32): void {
  const n = to - from;
  reserve(n);
  memory.copy(at(insCount), at(from), <usize>n * INSTR_SIZE);
  insCount += n;
}

/** Drops the instructions from `i` on. */
export function truncateAt(i: i32): void {
  insCount = i;
}

/** A rune class of the ranges (sorted, disjoint) at p. */
export function emitClass(p: usize, n: u32): i32 {
  if (poolCount + n > poolCap) {
    let cap = poolCap << 1;
    while (cap < poolCount + n) cap <<= 1;
    const q = malloc(<usize>cap << 3);
    memory.copy(q, pool, <usize>poolCount << 3);
    pool = q;
    poolCap = cap;
  }
  memory.copy(pool + (<usize>poolCount << 3), p, <usize>n << 3);
  const first = poolCount;
  poolCount += n;
  return emit(OP_CLASS, <i32>first, <i32>n);
}

export function emitRune(r: u32): i32 {
  const p = malloc(8);
  store<u32>(p, r);
  store<u32>(p, r, 4);
  return emitClass(p, 1);
}

/** The finished program (on the heap). */
export function buildEnd(flags: u32): usize {
  emit(OP_MATCH, 0, 0);
  const size = PROG_HEADER + <usize>insCount * INSTR_SIZE + (<usize>poolCount << 3) + FIRST_BYTES_SIZE;
  const p = malloc(size);
  store<u32>(p, <u32>insCount);
  store<u32>(p, poolCount, 4);
  store<u32>(p, flags, 8);
  store<u32>(p, 0, 12);
  memory.copy(p + PROG_HEADER, ins, <usize>insCount * INSTR_SIZE);
  memory.copy(p + PROG_HEADER + <usize>insCount * INSTR_SIZE, pool, <usize>poolCount << 3);
  if (firstBytes(p)) store<u32>(p, flags | PROG_FIRST_BYTES, 8);
  return p;
}

/** Fills the first-bytes bitmap from the instructions reachable from pc 0
 *  without consuming a rune; false when a match may start anywhere (an
 *  assertion or an empty match on the way, or a class admitting U+FFFD,
 *  which invalid bytes decode to). Non-ASCII runes admit their UTF-8 lead
 *  bytes, so a skip never stops inside a rune. */
function firstBytes(p: usize): bool {
  const bits = firstBytesOf(p);
  memory.fill(bits, 0, FIRST_BYTES_SIZE);
  const n = <i32>progCount(p);
  const seen = calloc(<usize>n);
  const stack = malloc(<usize>(2 * n + 2) << 2);
  let sp = 0;
  store<i32>(stack, 0);
  sp = 1;
  while (sp > 0) {
    sp--;
    const i = load<i32>(stack + (<usize>sp << 2));
    if (load<u8>(seen + <usize>i)) continue;
    store<u8>(seen + <usize>i, 1);
    const ip = instrAt(p, i);
    const op = load<i32>(ip);
    if (op == OP_JMP || op == OP_NOP) {
      store<i32>(stack + (<usize>sp << 2), op == OP_JMP ? i + load<i32>(ip, 4) : i + 1);
      sp++;
    } else if (op == OP_SPLIT) {
      store<i32>(stack + (<usize>sp << 2), i + load<i32>(ip, 4));
      store<i32>(stack + (<usize>(sp + 1) << 2), i + load<i32>(ip, 8));
      sp += 2;
    } else if (op == OP_CLASS) {
      let q = rangesOf(p) + (<usize>load<u32>(ip, 4) << 3);
      for (let k: u32 = 0; k < <u32>load<i32>(ip, 8); k++, q += 8) {
        const lo = load<u32>(q);
        const hi = load<u32>(q, 4);
        if (lo <= 0xfffd && hi >= 0xfffd) return false;
        for (let c = lo; c <= hi && c < 0x80; c++) setBit(bits, c);
        if (hi >= 0x80) {
          // the lead bytes of every rune in [max(lo, 0x80), hi]
          const from = lo < 0x80 ? <u32>0x80 : lo;
          for (let b = leadByte(from); b <= leadByte(hi); b++) setBit(bits, b);
        }
      }
    } else return false; // ASSERT, MATCH
  }
  return true;
}

@inline
function setBit(bits: usize, c: u32): void {
  store<u8>(bits + (c >> 3), <u8>(<u32>load<u8>(bits + (c >> 3)) | (<u32>1 << (c & 7))));
}

/** The first byte of rune c's UTF-8 encoding (monotonic in c). */
function leadByte(c: u32): u32 {
  if (c < 0x80) return c;
  if (c < 0x800) return 0xc0 | (c >> 6);
  if (c < 0x10000) return 0xe0 | (c >> 12);
  return 0xf0 | (c >> 18);
}

export function instrCount(): i32 {
  return insCount;
}

/** The `a` field of instruction i of the program being built. */
export function builtA(i: i32): i32 {
  return load<i32>(at(i), 4);
}

// --- alternation -----------------------------------------------------------------
// Alternatives compile to SPLIT(branch, rest) before each branch but the
// last and a JMP to the end after each. The JMPs wait in a chain through
// their `a` fields (absolute positions; later insertions all lie after
// them) until the end is known.

/** Closes the branch that starts at `branch` and opens the next one (at
 *  pc() afterwards); returns the JMP chain with this branch's JMP. */
export function altNext(branch: i32, chain: i32): i32 {
  insertAt(branch, OP_SPLIT, 1, 0);
  const j = emit(OP_JMP, chain, 0);
  patch(branch, 1, pc() - branch);
  return j;
}

/** Points every JMP of the chain at the current end. */
export function altEnd(chain: i32): void {
  while (chain >= 0) {
    const prev = builtA(chain);
    patch(chain, pc() - chain, 0);
    chain = prev;
  }
}
