// A pool of worker threads with a time limit per case: a case that hangs is
// stopped by terminating its worker, a crashed worker is replaced, and
// either way the case fails with the reason and the run goes on.
import { Worker } from "node:worker_threads";
import type { ConformanceCase } from "./cases.js";
import type { CaseOutcome } from "./run-case.js";
import type { CaseReply, CaseRequest } from "./worker.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);

export async function runInPool(
  cases: ConformanceCase[],
  options: {
    workers: number;
    timeoutMs: number;
    onResult?: (index: number, outcome: CaseOutcome) => void;
    /** the worker script (tests substitute their own) */
    workerUrl?: URL;
  },
): Promise<CaseOutcome[]> {
  const results: CaseOutcome[] = new Array(cases.length);
  let nextIndex = 0;

  const lane = (): Promise<void> =>
    new Promise((resolveLane) => {
      let worker: Worker | undefined;
      let current = -1;
      let timer: NodeJS.Timeout | undefined;

      const settle = (outcome: CaseOutcome) => {
        if (current < 0) return;
        clearTimeout(timer);
        results[current] = outcome;
        options.onResult?.(current, outcome);
        current = -1;
      };
      const replace = () => {
        const dead = worker;
        worker = undefined;
        dead?.removeAllListeners();
        void dead?.terminate();
      };
      const spawn = () => {
        const w = new Worker(options.workerUrl ?? WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
        w.on("message", (reply: CaseReply) => {
          if (reply.id !== current) return;
          settle({ status: reply.status, ...(reply.reason !== undefined ? { reason: reply.reason } : {}) });
          feed();
        });
        w.on("error", (e: Error) => {
          settle({ status: "fail", reason: `worker crashed: ${e.message}` });
          replace();
          feed();
        });
        w.on("exit", (code) => {
          if (worker !== w) return;
          settle({ status: "fail", reason: `worker exited (code ${code})` });
          worker = undefined;
          feed();
        });
        worker = w;
      };
      const feed = () => {
        if (nextIndex >= cases.length) {
          replace();
          resolveLane();
          return;
        }
        current = nextIndex++;
        if (!worker) spawn();
        const id = current;
        timer = setTimeout(() => {
          if (current !== id) return;
          settle({ status: "fail", reason: `timed out after ${options.timeoutMs} ms` });
          replace();
          feed();
        }, options.timeoutMs);
        const request: CaseRequest = { id, case: cases[id]! };
        worker!.postMessage(request);
      };
      feed();
    });

  await Promise.all(Array.from({ length: Math.max(1, options.workers) }, lane));
  return results;
}
