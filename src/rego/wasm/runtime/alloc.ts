// Bump allocator. OPA's hosts reset the heap pointer to a recorded mark around
// each evaluation, so nothing is freed one by one; memory is grown here,
// because the host grows it only for the input it writes.
import { abortText } from "./abort";

let heapPtr: usize = 0;
/** The memory's size in bytes as last seen: memory.size is not free, and
 *  memory only grows, so a stale value merely sends malloc to the slow path. */
let heapEnd: usize = 0;

/** Objects and sets older than this address must not get lazily built
 *  caches: those would be allocated in the evaluation's heap, which the host
 *  drops afterwards, leaving dangling pointers in long-lived values. */
let cacheFloor: usize = 0;

export function heapGet(): usize {
  return heapPtr;
}

export function heapSet(p: usize): void {
  heapPtr = p;
}

export function setCacheFloor(p: usize): void {
  cacheFloor = p;
  store<usize>(LASTING_STATE, p);
}

/** [floor, epoch] for the lasting memos of generated code (results of
 *  argument-pure functions for long-lived arguments, kept across
 *  evaluations): floor is cacheFloor (values below it outlive the
 *  evaluation); the epoch changes whenever long-lived values may have been
 *  replaced or changed (the host resets the heap, a path of data is
 *  written), which retires every entry recorded before. */
export const LASTING_STATE: usize = memory.data<u32>([0, 1]);

export function newLastingEpoch(): void {
  store<u32>(LASTING_STATE, load<u32>(LASTING_STATE, 4) + 1, 4);
}

/** True when lazily built caches may be stored in the value at `addr`. */
@inline
export function mayCache(addr: usize): bool {
  return addr >= cacheFloor;
}

export function ensureMemory(end: usize): void {
  let have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) abortText("out of memory");
    have = (<usize>memory.size()) << 16;
  }
  heapEnd = have;
}

/** 8-aligned, uninitialised. */
export function malloc(size: usize): usize {
  const p = (heapPtr + 7) & ~(<usize>7);
  const end = p + size;
  if (end > heapEnd) ensureMemory(end);
  heapPtr = end;
  return p;
}

/** 8-aligned, zero-filled (the heap is reused after every evaluation). */
export function calloc(size: usize): usize {
  const p = malloc(size);
  memory.fill(p, 0, size);
  return p;
}
