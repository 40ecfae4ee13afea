// The signing thread: Ed25519 signatures for decision JWSs, made off the event
// loop so that they overlap the audit log's sync and use the second core. It
// takes jobs from the shared ring (channel.ts) in order and blocks on
// Atomics.wait between them; keys arrive on a MessagePort, read synchronously.
import { workerData, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { createPrivateKey } from "node:crypto";
import { ed25519Signer, type Ed25519Sign } from "./ed25519.js";
import { channelViews, CLAIMED, DONE, FAILED, OK, OPEN, POSTED, RESULT_BYTES, SLOT_BYTES, SLOT_HEADER, SLOTS, STOP, WAITING } from "./channel.js";

const { sab, port } = workerData as { sab: SharedArrayBuffer; port: MessagePort };
const v = channelViews(sab);
const keys: Ed25519Sign[] = [];

function drainKeys(): void {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const { index, pem } = m.message as { index: number; pem: string };
    keys[index] = ed25519Signer(createPrivateKey(pem));
  }
}

let done = Atomics.load(v.ctl, DONE);
for (;;) {
  // Announce the wait first: the loop notifies only a waiting worker, and a
  // job published in between makes the wait return at once (POSTED ≠ done).
  Atomics.store(v.ctl, WAITING, 1);
  Atomics.wait(v.ctl, POSTED, done, 1000);
  Atomics.store(v.ctl, WAITING, 0);
  if (Atomics.load(v.ctl, STOP)) break;
  const posted = Atomics.load(v.ctl, POSTED);
  if (posted === done) continue;
  drainKeys();
  while (done < posted) {
    const slot = done % SLOTS;
    const base = slot * SLOT_BYTES;
    const len = v.slotInts[base / 4];
    const keyIndex = v.slotInts[base / 4 + 1];
    const r = slot * RESULT_BYTES;
    // the loop may have taken the job already (it needed it first)
    if (Atomics.compareExchange(v.resultInts, r / 4, OPEN, CLAIMED) !== OPEN) {
      done++;
      Atomics.store(v.ctl, DONE, done);
      continue;
    }
    let key = keys[keyIndex];
    if (!key) {
      drainKeys();
      key = keys[keyIndex];
    }
    try {
      if (!key) throw new Error("no key");
      const sig = key(v.slots.subarray(base + SLOT_HEADER, base + SLOT_HEADER + len));
      v.results.set(sig, r + 8);
      Atomics.store(v.resultInts, r / 4, OK);
    } catch {
      Atomics.store(v.resultInts, r / 4, FAILED);
    }
    // the loop may be waiting for this very job (cheap when it is not)
    Atomics.notify(v.resultInts, r / 4);
    done++;
    Atomics.store(v.ctl, DONE, done);
  }
  Atomics.notify(v.ctl, DONE);
}
