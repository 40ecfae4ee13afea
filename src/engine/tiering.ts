// How V8 compiles the policies a long-running service evaluates.
//
// By default V8 compiles Wasm with Liftoff, its baseline compiler, and moves
// a function to TurboFan only once it has run enough (dynamic tiering, a
// budget of ~1.8 MB of executed code per function). A policy's functions run
// a few times per evaluation, so they tier up slowly: the example policy took
// 40-62 µs an evaluation for its first 1,000 evaluations, 28-32 µs up to
// 5,000, 24-26 µs up to 20,000, and reached its ~17 µs only beyond that. A
// service deciding a few actions a second would stay on the slow code for
// hours, and one under load spends its first seconds there (and again after
// each bundle swap).
//
// `writ serve` therefore compiles every function of a policy with TurboFan
// when the module is compiled: ~17-18 µs from the first evaluation, for
// ~170 ms more compile time when a bundle is loaded (on V8's background
// threads; the loop goes on serving with the old bundle meanwhile). Only the
// service does: tools and tests that compile thousands of small modules keep
// V8's default.
import { setFlagsFromString } from "node:v8";

let set = false;

/** From now on, this process compiles Wasm eagerly with TurboFan. */
export function compileWasmOptimized(): void {
  if (set) return;
  set = true;
  // both are read when a module is compiled, so they apply to the modules
  // compiled after this call (measured: the evaluation times above)
  setFlagsFromString("--no-liftoff");
  setFlagsFromString("--no-wasm-lazy-compilation");
}
