// Worker thread of the conformance runner: runs the cases the pool sends,
// one at a time.
import { parentPort, workerData } from "node:worker_threads";
import type { ConformanceCase } from "./cases.js";
import type { PoolReply, PoolRequest } from "./pool.js";
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
