// Worker of bench/compile.ts: times one compile job, so that a compile that
// hangs is stopped by the pool's time limit instead of stalling the bench.
import { performance } from "node:perf_hooks";
import { parentPort } from "node:worker_threads";
import { compileRego, type CompileOptions } from "../src/rego/compile.js";
import type { PoolReply, PoolRequest } from "../src/rego/conformance/pool.js";

export interface CompileJob {
  options: CompileOptions;
  /** how many times to compile (the times of every run are returned) */
  runs: number;
}
export interface CompileTiming {
  ms: number[];
  error?: string;
}

parentPort?.on("message", async (req: PoolRequest<CompileJob>) => {
  const result: CompileTiming = { ms: [] };
  try {
    for (let i = 0; i < req.job.runs; i++) {
      const t = performance.now();
      await compileRego(req.job.options);
      result.ms.push(performance.now() - t);
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  }
  const reply: PoolReply<CompileTiming> = { id: req.id, result };
  parentPort!.postMessage(reply);
});
