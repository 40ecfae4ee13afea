// Worker thread of the conformance runner: runs the cases the pool sends,
// one at a time.
import { parentPort, workerData } from "node:worker_threads";
import type { ConformanceCase } from "./cases.js";
import { READY, type PoolReply, type PoolRequest } from "./pool.js";
import { type CaseOutcome, errorMessage, runCase } from "./run-case.js";

parentPort?.on("message", async (req: PoolRequest<ConformanceCase>) => {
  let result: CaseOutcome;
  try {
    result = await runCase(req.job, (workerData as { bare?: boolean } | undefined)?.bare ?? false);
  } catch (e) {
    result = { status: "fail", reason: `runner error: ${errorMessage(e)}` };
  }
  const reply: PoolReply<CaseOutcome> = { id: req.id, result };
  parentPort!.postMessage(reply);
});

// Compile and run one small case before saying ready, so that the first
// real case is not timed with the compiler's cold start.
await runCase({ note: "warm-up", query: "data.t.p = x", modules: ["package t\n\np contains x if some x in [1, 2]\n"] } as ConformanceCase, false).catch(() => undefined);
parentPort?.postMessage(READY);
