// Host builtins are called synchronously from inside Wasm, but network I/O in
// Node is asynchronous. The few builtins that may do I/O (http.send,
// net.lookup_ip_addr — and only when the operator enabled them) hand the
// request to a worker thread and block on Atomics.wait until it answers.
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";

const workerSource = `
const { parentPort } = require("node:worker_threads");
const dns = require("node:dns").promises;
parentPort.on("message", async ({ id, op, args, flag, port }) => {
  let reply;
  try {
    if (op === "fetch") {
      const { url, method, headers, body, timeoutMs, redirect } = args;
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(new Error("request timed out")), timeoutMs);
      try {
        const res = await fetch(url, { method, headers, body, redirect: redirect ? "follow" : "manual", signal: ctrl.signal });
        const text = await res.text();
        const hs = {};
        res.headers.forEach((v, k) => { (hs[k] ??= []).push(v); });
        reply = { ok: true, value: { status: res.status + " " + res.statusText, status_code: res.status, headers: hs, raw_body: text } };
      } finally { clearTimeout(timer); }
    } else if (op === "lookup") {
      const found = await dns.lookup(args.host, { all: true });
      reply = { ok: true, value: found.map((a) => a.address) };
    } else reply = { ok: false, error: "unknown operation " + op };
  } catch (e) {
    reply = { ok: false, error: e && e.cause && e.cause.message ? e.message + ": " + e.cause.message : String(e && e.message || e) };
  }
  port.postMessage({ id, reply });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

let worker: Worker | undefined;
let nextId = 1;

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(workerSource, { eval: true });
    // an idle worker must not keep the process alive
    worker.unref();
  }
  return worker;
}

export type SyncResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Run an I/O operation in the worker and wait for it (at most waitMs). */
export function runSync<T>(op: "fetch" | "lookup", args: unknown, waitMs: number): SyncResult<T> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const id = nextId++;
  getWorker().postMessage({ id, op, args, flag, port: port2 }, [port2]);
  const status = Atomics.wait(flag, 0, 0, waitMs);
  const msg = receiveMessageOnPort(port1);
  port1.close();
  if (status === "timed-out" && !msg) return { ok: false, error: `${op} timed out after ${waitMs} ms` };
  return (msg?.message as { reply: SyncResult<T> } | undefined)?.reply ?? { ok: false, error: `${op} gave no answer` };
}
