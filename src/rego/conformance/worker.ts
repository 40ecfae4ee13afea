// Worker thread: runs the cases the pool sends, one at a time.
import { parentPort } from "node:worker_threads";
import type { ConformanceCase } from "./cases.js";
import { errorMessage, runCase } from "./run-case.js";

export interface CaseRequest {
  id: number;
  case: ConformanceCase;
}
export interface CaseReply {
  id: number;
  status: "pass" | "fail";
  reason?: string;
}

parentPort?.on("message", async (req: CaseRequest) => {
  let reply: CaseReply;
  try {
    reply = { id: req.id, ...(await runCase(req.case)) };
  } catch (e) {
    reply = { id: req.id, status: "fail", reason: `runner error: ${errorMessage(e)}` };
  }
  parentPort!.postMessage(reply);
});
