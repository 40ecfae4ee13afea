// A stand-in for a pool worker, used by conformance-pool.test: the job's
// note says how to behave. (Run directly, it does nothing.)
import { parentPort } from "node:worker_threads";
import { READY } from "../src/rego/conformance/pool.js";

parentPort?.on("message", (req: { id: number; job: { note: string } }) => {
  const note = req.job.note;
  if (note === "hang") for (;;);
  if (note === "exit") process.exit(3);
  if (note === "throw") setTimeout(() => { throw new Error("boom"); });
  else parentPort!.postMessage({ id: req.id, result: { status: note === "pass" ? "pass" : "fail", reason: note === "pass" ? undefined : "said so" } });
});
parentPort?.postMessage(READY);
