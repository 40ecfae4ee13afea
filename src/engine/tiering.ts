// How V8 compiles the policies a long-running service evaluates.
//
// By default V8 compiles Wasm with Liftoff, its baseline compiler, and moves
// a function to TurboFan only once it has run enough (dynamic tiering, a
// budget of ~1.8 MB of executed code per function). A policy's functions run
// a few times per evaluation, so they tier up slowly. The example policy,
// evaluated over and over in one process (three runs each way on the 2-core
// VM, whose speed drifts): 30-75 µs an evaluation for evaluations 10-1,000,
// 26-39 µs up to 5,000, and its ~17-26 µs only beyond 20,000; compiled with
// TurboFan up front, 25-30 µs from the 10th on and 19-27 µs later. A service
// deciding a few actions a second would stay on the slow code for hours, and
// one under load spends its first seconds there (again after each bundle
// swap). `npm run bench:tiering` compares the two.
//
// `writ serve` therefore compiles every function of a policy with TurboFan
// when the module is compiled, for ~200-270 ms more when the example bundle
// is loaded. V8 compiles on its background threads and a hot swap keeps
// serving the old bundle meanwhile, but the loop still stalls once, for up
// to ~45 ms, while the module is finished (~20-25 ms with V8's default;
// measured with a 1 ms timer around loadPolicy). Only the service does:
// tools and tests that compile thousands of small modules keep V8's default.
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
