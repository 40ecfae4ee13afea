// `opa test` for writ: compile every test once, run each in a worker with a
// time limit, report as OPA does.
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { compileParsed } from "../compile.js";
import { RegoError } from "../errors.js";
import { discoverTests, type DiscoveredTest, type TestKind } from "./discover.js";
import { declareBuiltins, importBuiltinExtensions, importExtensionData } from "../builtins/extensions.js";
import type { Job, Setup, WorkerMessage } from "./worker.js";

export interface TestResult {
  test: DiscoveredTest;
  status: "pass" | "fail" | "error" | "skip";
  durationNs: number;
  message?: string;
  output?: string;
}

export interface RunOptions {
  regoVersion: 0 | 1;
  /** load each path as a bundle directory (`opa test -b`) */
  bundle?: boolean;
  /** `--ignore` patterns */
  ignore?: string[];
  /** only tests whose full name matches */
  run?: RegExp;
  /** per-test time limit */
  timeoutMs: number;
  /** extra data merged under the files' data (e.g. from a bundle) */
  data?: Record<string, unknown>;
  /** http.send and net.lookup_ip_addr may use the network (refused otherwise) */
  allowNetwork?: boolean;
  /** modules adding builtins (builtins/extensions.ts) */
  builtins?: string[];
}

const workerUrl = new URL("./worker.js", import.meta.url);

/** A worker holding the compiled tests; replaced after a test times out. */
class TestWorker {
  private worker: Worker;
  private ready: Promise<void>;
  constructor(wasm: Uint8Array, data: unknown, allowNetwork: boolean, extensions: string[]) {
    this.worker = new Worker(workerUrl, { workerData: { wasm, data, allowNetwork, extensions } satisfies Setup });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === "ready") {
          this.worker.off("message", onMessage);
          resolve();
        }
      };
      this.worker.on("message", onMessage);
      this.worker.once("error", reject);
    });
  }

  async run(entrypoint: string, kind: TestKind, timeoutMs: number): Promise<Extract<WorkerMessage, { type: "result" }> | "timeout"> {
    await this.ready;
    return new Promise((resolve, reject) => {
      // listeners live for this one test only (a worker runs hundreds)
      const done = () => {
        clearTimeout(timer);
        this.worker.off("message", onMessage);
        this.worker.off("error", onError);
      };
      const timer = setTimeout(() => {
        done();
        resolve("timeout");
      }, timeoutMs);
      const onMessage = (m: WorkerMessage) => {
        if (m.type === "result" && m.entrypoint === entrypoint) {
          done();
          resolve(m);
        }
      };
      const onError = (err: Error) => {
        done();
        reject(err);
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", onError);
      this.worker.postMessage({ entrypoint, kind } satisfies Job);
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

export async function runTests(paths: string[], options: RunOptions): Promise<TestResult[]> {
  const found = discoverTests(paths, { regoVersion: options.regoVersion, bundle: options.bundle, ignore: options.ignore });
  // Like `opa test`, a module that does not parse stops the whole run.
  if (found.parseErrors.length > 0) throw new RegoError(found.parseErrors);
  const selected = found.tests.filter((t) => !options.run || options.run.test(t.name));
  const runnable = selected.filter((t) => !t.skip);
  const skipped: TestResult[] = selected.filter((t) => t.skip).map((test) => ({ test, status: "skip", durationNs: 0 }));
  if (runnable.length === 0) return skipped;
  const extensions = (options.builtins ?? []).map((f) => resolve(f));
  declareBuiltins(await importBuiltinExtensions(extensions));
  const { wasm } = compileParsed(found.modules, { entrypoints: runnable.map((t) => t.entrypoint) });
  const data = { ...(await importExtensionData(extensions)), ...(options.data ?? {}), ...found.data };
  const ran = await runCompiledTests(wasm, runnable, data, options.timeoutMs, { allowNetwork: options.allowNetwork, extensions });
  const order = new Map(selected.map((t, i) => [t, i]));
  return [...skipped, ...ran].sort((a, b) => order.get(a.test)! - order.get(b.test)!);
}

/** Runs tests already compiled into `wasm` (each entrypoint named by its
 *  test), one at a time in a worker; a test that overruns `timeoutMs` is an
 *  error and gets a fresh worker for the tests after it. */
export async function runCompiledTests(wasm: Uint8Array, tests: DiscoveredTest[], data: unknown, timeoutMs: number, opts: { allowNetwork?: boolean; extensions?: string[] } = {}): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const allowNetwork = opts.allowNetwork ?? false;
  const extensions = opts.extensions ?? [];
  let worker = new TestWorker(wasm, data, allowNetwork, extensions);
  try {
    for (const test of tests) {
      let r: Awaited<ReturnType<TestWorker["run"]>>;
      try {
        r = await worker.run(test.entrypoint, test.kind, timeoutMs);
      } catch (err) {
        results.push({ test, status: "error", durationNs: 0, message: err instanceof Error ? err.message : String(err) });
        await worker.stop();
        worker = new TestWorker(wasm, data, allowNetwork, extensions);
        continue;
      }
      if (r === "timeout") {
        results.push({ test, status: "error", durationNs: timeoutMs * 1e6, message: `test timed out after ${timeoutMs}ms` });
        await worker.stop();
        worker = new TestWorker(wasm, data, allowNetwork, extensions);
        continue;
      }
      results.push({ test, status: r.status, durationNs: r.durationNs, message: r.message, output: r.output || undefined });
    }
  } finally {
    await worker.stop();
  }
  return results;
}
