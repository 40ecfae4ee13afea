// A pool of worker threads with a time limit per job: a job that hangs is
// stopped by terminating its worker, a crashed worker is replaced, and
// either way the job gets a failure result and the run goes on. Results come
// back in job order, whatever order the workers finish in.
//
// Protocol: a worker first posts `{ ready: true }` (its modules loaded and
// warmed up: on a busy machine that alone can take seconds, which must not
// count against the first job); then the pool posts `{ id, job }` and the
// worker answers `{ id, result }`. A worker that is not ready within
// STARTUP_MS fails the job it was started for.
import { Worker } from "node:worker_threads";

export interface PoolOptions<R> {
  /** passed to each worker as its workerData */
  workerData?: unknown;
  /** the worker script */
  workerUrl: URL;
  workers: number;
  timeoutMs: number;
  /** the result of a job whose worker timed out or crashed */
  failure: (reason: string) => R;
}

export interface PoolRequest<J> {
  id: number;
  job: J;
}
export interface PoolReply<R> {
  id: number;
  result: R;
}
export const READY = { ready: true } as const;
const STARTUP_MS = 60_000;

export async function runPool<J, R>(jobs: J[], options: PoolOptions<R>): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let nextIndex = 0;

  const lane = (): Promise<void> =>
    new Promise((resolveLane) => {
      let worker: Worker | undefined;
      let current = -1;
      let timer: NodeJS.Timeout | undefined;

      const settle = (result: R) => {
        if (current < 0) return;
        clearTimeout(timer);
        results[current] = result;
        current = -1;
      };
      const discard = () => {
        const dead = worker;
        worker = undefined;
        dead?.removeAllListeners();
        void dead?.terminate();
      };
      let ready = false;
      const startClock = (id: number, ms: number, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (current !== id) return;
          settle(options.failure(`${what} after ${ms} ms`));
          discard();
          feed();
        }, ms);
      };
      const spawn = () => {
        const w = new Worker(options.workerUrl, { resourceLimits: { maxOldGenerationSizeMb: 2048 }, workerData: options.workerData });
        ready = false;
        w.on("message", (reply: PoolReply<R> | typeof READY) => {
          if ("ready" in reply) {
            ready = true;
            if (current >= 0) startClock(current, options.timeoutMs, "timed out");
            return;
          }
          if (reply.id !== current) return;
          settle(reply.result);
          feed();
        });
        w.on("error", (e: Error) => {
          settle(options.failure(`worker crashed: ${e.message}`));
          discard();
          feed();
        });
        w.on("exit", (code) => {
          if (worker !== w) return;
          settle(options.failure(`worker exited (code ${code})`));
          worker = undefined;
          feed();
        });
        worker = w;
      };
      const feed = () => {
        if (nextIndex >= jobs.length) {
          discard();
          resolveLane();
          return;
        }
        current = nextIndex++;
        if (!worker) spawn();
        const id = current;
        if (ready) startClock(id, options.timeoutMs, "timed out");
        else startClock(id, STARTUP_MS, "worker not ready");
        const request: PoolRequest<J> = { id, job: jobs[id]! };
        worker!.postMessage(request);
      };
      feed();
    });

  await Promise.all(Array.from({ length: Math.max(1, options.workers) }, lane));
  return results;
}
