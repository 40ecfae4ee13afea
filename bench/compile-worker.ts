// Worker of bench/compile.ts: times one compile job, so that a compile that
// hangs is stopped by the pool's time limit instead of stalling the bench.
// While the Wasm back end is missing, it times the stages before it instead
// (parse → IR, with `compileToIR` where compile.ts has it).
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import * as toolchain from "../src/rego/compile.js";
import type { CompileOptions } from "../src/rego/compile.js";
import type { PoolReply, PoolRequest } from "../src/rego/conformance/pool.js";

export interface CompileJob {
  options: CompileOptions;
  /** how many times to compile (the times of every run are returned) */
  runs: number;
}
export interface CompileTiming {
  /** parse → Wasm, per run */
  ms: number[];
  /** parse → IR, per run, when the Wasm back end is missing */
  irMs?: number[];
  error?: string;
}

const compileToIR = (toolchain as unknown as Record<string, unknown>).compileToIR as
  | ((o: CompileOptions) => unknown)
  | undefined;

async function time(runs: number, f: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

parentPort?.on("message", async (req: PoolRequest<CompileJob>) => {
  const { options, runs } = req.job;
  const result: CompileTiming = { ms: [] };
  try {
    result.ms = await time(runs, () => toolchain.compileRego(options));
  } catch (e) {
    result.error = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    if (/emitter not implemented/.test(result.error) && compileToIR) {
      try {
        result.irMs = await time(runs, () => compileToIR(options));
      } catch {
        // the stages before the back end failed too: no IR time
      }
    }
  }
  const reply: PoolReply<CompileTiming> = { id: req.id, result };
  parentPort!.postMessage(reply);
});
