// Runs compiled Rego tests in a worker thread, so that the runner can stop a
// test that does not finish in time (a Wasm loop cannot be interrupted from
// its own thread).
import { parentPort, workerData } from "node:worker_threads";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { createHostBuiltins } from "../builtins/host.js";
import { extensionHostBuiltins, importBuiltinExtensions } from "../builtins/extensions.js";
import type { TestKind } from "./discover.js";

export interface Setup {
  wasm: Uint8Array;
  data: unknown;
  allowNetwork: boolean;
  /** absolute paths of builtin extension modules (see builtins/extensions.ts) */
  extensions: string[];
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "result"; entrypoint: string; status: "pass" | "fail" | "error"; message?: string; durationNs: number; output: string };

const job = workerData as Setup;
const printed: string[] = [];
const builtins = {
  ...createHostBuiltins({ capabilities: { http: job.allowNetwork, netLookup: job.allowNetwork } }),
  ...extensionHostBuiltins(await importBuiltinExtensions(job.extensions)),
  // print() output is captured per test and shown with its result
  "internal.print": (parts: unknown[]) => {
    printed.push(
      parts
        .map((set) => {
          const values = set as unknown[];
          if (values.length === 0) return "<undefined>";
          return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
        })
        .join(" "),
    );
    return true;
  },
};
const policy = await loadPolicy(job.wasm, undefined, builtins);
policy.setData(job.data as object);
parentPort!.postMessage({ type: "ready" } satisfies WorkerMessage);

/** OPA's subResults: a partial-object test passes when every leaf of its
 *  object is `true` (nested objects are groups of cases). */
function objectPasses(v: unknown): boolean {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  return Object.values(v).every((x) => (x !== null && typeof x === "object" && !Array.isArray(x) ? objectPasses(x) : x === true));
}

export interface Job {
  entrypoint: string;
  kind: TestKind;
}

parentPort!.on("message", ({ entrypoint, kind }: Job) => {
  printed.length = 0;
  const start = process.hrtime.bigint();
  let status: "pass" | "fail" | "error" = "fail";
  let message: string | undefined;
  try {
    const rs = policy.evaluate(undefined, entrypoint) as { result: unknown }[];
    // undefined fails; a complete test must be exactly `true`
    const passed = rs.length > 0 && (kind === "object" ? objectPasses(rs[0]!.result) : rs[0]!.result === true);
    status = passed ? "pass" : "fail";
  } catch (err) {
    status = "error";
    message = err instanceof Error ? err.message : String(err);
  }
  const durationNs = Number(process.hrtime.bigint() - start);
  parentPort!.postMessage({ type: "result", entrypoint, status, message, durationNs, output: printed.join("\n") } satisfies WorkerMessage);
});
