// The signing thread: Ed25519 signatures for decision JWSs, computed off the
// event loop so that they overlap the audit log's sync and use the second
// core. Messages in: {keys: [[kid, KeyObject]]} to add keys, or
// {batch: [[id, kid, signingInput]]}; out: {done: [[id, signature|null, error?]]}.
import { parentPort } from "node:worker_threads";
import { sign, type KeyObject } from "node:crypto";

const keys = new Map<string, KeyObject>();

parentPort!.on("message", (msg: { keys?: [string, KeyObject][]; batch?: [number, string, string][] }) => {
  if (msg.keys) for (const [kid, key] of msg.keys) keys.set(kid, key);
  if (!msg.batch) return;
  const done: [number, string | null, string?][] = [];
  for (const [id, kid, input] of msg.batch) {
    const key = keys.get(kid);
    try {
      if (!key) throw new Error(`signing thread has no key ${kid}`);
      done.push([id, input + "." + sign(null, Buffer.from(input), key).toString("base64url")]);
    } catch (err) {
      done.push([id, null, (err as Error).message]);
    }
  }
  parentPort!.postMessage({ done });
});
