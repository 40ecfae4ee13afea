// The shared memory between the event loop and the signing thread. Posting a
// message per batch cost as much main-thread time as the signatures it saved
// (structured clone and port wake-ups, ~35 µs a decision on the 2-core VM), so
// jobs go through a ring of fixed slots in a SharedArrayBuffer instead, with
// Atomics to publish and to wait:
//   ctl[POSTED]  jobs published by the loop (the worker waits on it)
//   ctl[DONE]    jobs finished by the worker, in order (the loop may wait on it)
//   ctl[WAITING] the worker is (about to be) blocked waiting for jobs
//   slot i       [input length:int32][key index:int32][input bytes…]
//   result i     [state:int32][pad][64-byte signature]
// A job's state says who signs it: the loop writes OPEN, and whoever moves it
// from OPEN first (compareExchange) signs it — the worker (CLAIMED, then OK or
// FAILED), or the loop itself when it needs the answer before the worker got
// to the job (TAKEN). So the loop never waits for a worker that has not
// started, e.g. one the OS has not scheduled yet on a busy machine: it waits
// only for a signature under way (tens of µs). Ed25519 is deterministic, so
// even a job signed on both sides gives one and the same JWS.
export const SLOTS = 1024;
export const SLOT_BYTES = 4096;
export const SLOT_HEADER = 8;
export const RESULT_BYTES = 72;
export const POSTED = 0;
export const DONE = 1;
export const STOP = 2;
/** 1 while the worker waits for jobs: only then does publishing wake it */
export const WAITING = 3;
/** job states (first int32 of its result) */
export const OPEN = 0;
export const OK = 1;
export const FAILED = 2;
export const CLAIMED = 3;
export const TAKEN = 4;

export interface ChannelViews {
  ctl: Int32Array;
  slots: Uint8Array;
  slotInts: Int32Array;
  results: Uint8Array;
  resultInts: Int32Array;
}

export function newChannel(): { sab: SharedArrayBuffer; views: ChannelViews } {
  const sab = new SharedArrayBuffer(64 + SLOTS * SLOT_BYTES + SLOTS * RESULT_BYTES);
  return { sab, views: channelViews(sab) };
}

export function channelViews(sab: SharedArrayBuffer): ChannelViews {
  const slotsAt = 64;
  const resultsAt = slotsAt + SLOTS * SLOT_BYTES;
  return {
    ctl: new Int32Array(sab, 0, 16),
    slots: new Uint8Array(sab, slotsAt, SLOTS * SLOT_BYTES),
    slotInts: new Int32Array(sab, slotsAt, (SLOTS * SLOT_BYTES) / 4),
    results: new Uint8Array(sab, resultsAt, SLOTS * RESULT_BYTES),
    resultInts: new Int32Array(sab, resultsAt, (SLOTS * RESULT_BYTES) / 4),
  };
}
