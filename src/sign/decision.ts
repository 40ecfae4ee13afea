// Signed decisions: compact EdDSA JWS. Signing is on the hot path, so it uses
// node:crypto directly (≈35–60 µs against ≈65+ µs through jose/WebCrypto),
// with the protected header encoded once per key, and by default on a
// signing thread fed through shared memory (channel.ts): the signature is
// made while the audit batch syncs, on the other core. If that thread fails,
// signing falls back to this thread.
// Verification, off the hot path, goes through jose.
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { newChannel, CLAIMED, DONE, OK, OPEN, POSTED, RESULT_BYTES, SLOT_BYTES, SLOT_HEADER, SLOTS, STOP, TAKEN, WAITING, type ChannelViews } from "./channel.js";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import type { Keyring, SigningKey } from "./keyring.js";
import { claimsJson } from "./claims-json.js";
import type { VerdictListsJson } from "../decide/lists-json.js";
import type { Verdict } from "../decide/types.js";

/** What a decision JWS binds. */
export interface DecisionClaims {
  iss: "writ";
  /** decision id */
  jti: string;
  iat: number;
  exp: number;
  /** agent id (from the caller's credential) */
  sub: string;
  /** session id */
  sid: string;
  /** SHA-256 (hex) of the canonical JSON of the normalized action */
  action_digest: string;
  decision: Verdict;
  reasons: string[];
  rule_ids: string[];
  bundle: { revision: string; digest: string };
  audit: { seq: number; hash: string };
  approval_id?: string;
}

// Atomics.waitAsync (V8; Node ≥ 16) is missing from this TypeScript lib
const waitAsync = (Atomics as unknown as { waitAsync?: (a: Int32Array, index: number, value: number, timeoutMs: number) => { async: false; value: string } | { async: true; value: Promise<string> } }).waitAsync;

/** A signature asked for: `collect` turns it into the JWS. */
export type SignTicket = number | string;

export class DecisionSigner {
  private headerKid = "";
  private header = "";
  private worker: Worker | undefined;
  private channel: ChannelViews | undefined;
  private port: MessagePort | undefined;
  private keyIndex = new Map<string, number>();
  /** jobs written into slots (= published to the worker) */
  private written = 0;
  /** tickets handed out */
  private tickets = 0;
  /** what each uncollected ticket signs, for collecting it or signing it
   *  here when its slot was reused or the thread is gone */
  private pending = new Map<number, Job>();
  /** tickets asked for since the last batch was handed over */
  private unpublished: number[] = [];
  /** the ticket each slot holds now */
  private owners = new Float64Array(SLOTS).fill(-1);
  private workerFailed = false;
  private readonly useThread: boolean;
  private readonly encoder = new TextEncoder();
  /** tickets collected so far, by where their signature was made */
  readonly signed = { thread: 0, here: 0 };

  /** `thread: false` signs on the calling thread only. The thread starts on
   *  the first `request`. */
  constructor(private readonly keyring: Keyring, opts: { thread?: boolean } = {}) {
    this.useThread = opts.thread ?? true;
  }

  private startWorker(): void {
    const { sab, views } = newChannel();
    const { port1, port2 } = new MessageChannel();
    const w = new Worker(new URL("./sign-worker.js", import.meta.url), { workerData: { sab, port: port2 }, transferList: [port2] });
    w.unref();
    port1.unref();
    w.on("error", () => this.stopWorker());
    w.on("exit", () => this.stopWorker());
    this.worker = w;
    this.channel = views;
    this.port = port1;
    this.keyIndex.clear();
  }

  // jobs still in the ring are signed here by `collect`
  private stopWorker(): void {
    if (!this.worker) return;
    this.workerFailed = true;
    this.worker = undefined;
  }

  private signingInput(claimsJson: string): string {
    const key = this.keyring.current;
    if (key.kid !== this.headerKid) {
      this.header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid: key.kid, typ: "JWT" })).toString("base64url");
      this.headerKid = key.kid;
    }
    return this.header + "." + Buffer.from(claimsJson).toString("base64url");
  }

  /** Signs on this thread, now. */
  signJson(claimsJson: string): string {
    return jws(this.signingInput(claimsJson), this.keyring.current);
  }

  sign(claims: DecisionClaims): string {
    return this.signJson(claimsJson(claims));
  }

  /** Asks for a signature; the signing thread makes it while the caller
   *  waits for other things (the audit sync), once `flushBatch` hands it
   *  over. Without a thread it is made here, now.
   *  `lists`: the claims' reasons and rule ids as JSON, when already made. */
  request(claims: DecisionClaims, lists?: VerdictListsJson): SignTicket {
    const json = claimsJson(claims, lists);
    if (!this.worker && this.useThread && !this.workerFailed) this.startWorker();
    if (!this.worker) return this.signJson(json);
    const ticket = this.tickets++;
    this.pending.set(ticket, { input: this.signingInput(json), kid: this.keyring.current.kid, slot: -1 });
    this.unpublished.push(ticket);
    return ticket;
  }

  /** Hands the jobs asked for since the last batch to the signing thread.
   *  The audit log does this once per batch, just before it syncs the
   *  batch, so the signatures are made during the sync. Waking
   *  a thread is dear on a busy 2-core machine (the woken thread tends to
   *  take the core from the loop for hundreds of µs), so it happens once per
   *  batch, never per decision; a job the thread has not started by the time
   *  its answer is due is signed by `collect`, here. Jobs that do not fit
   *  the ring (it is full, or the input is too long for a slot) stay here. */
  flushBatch(): void {
    const ch = this.channel;
    const batch = this.unpublished;
    if (batch.length === 0) return;
    this.unpublished = [];
    if (!ch || !this.worker) return;
    const published = this.written;
    for (const ticket of batch) {
      if (this.written - Atomics.load(ch.ctl, DONE) >= SLOTS) break;
      const job = this.pending.get(ticket);
      if (!job || job.jws) continue;
      const slot = this.written % SLOTS;
      const base = slot * SLOT_BYTES;
      const { written } = this.encoder.encodeInto(job.input, ch.slots.subarray(base + SLOT_HEADER, base + SLOT_BYTES));
      if (written < job.input.length) continue; // (base64url is ASCII: bytes = chars)
      let index = this.keyIndex.get(job.kid);
      if (index === undefined) {
        index = this.keyIndex.size;
        this.keyIndex.set(job.kid, index);
        this.port!.postMessage({ index, pem: this.keyring.get(job.kid)!.privateKey.export({ format: "pem", type: "pkcs8" }) });
      }
      ch.slotInts[base / 4] = written;
      ch.slotInts[base / 4 + 1] = index;
      Atomics.store(ch.resultInts, (slot * RESULT_BYTES) / 4, OPEN);
      this.owners[slot] = ticket;
      job.slot = slot;
      this.written++;
    }
    if (this.written === published) return;
    Atomics.store(ch.ctl, POSTED, this.written);
    // a busy worker picks the new jobs up without a wake-up
    if (Atomics.load(ch.ctl, WAITING)) Atomics.notify(ch.ctl, POSTED);
  }

  /** Waits, without holding the event loop, for the signing thread to finish
   *  a job it has been handed (started or not), at most `maxWaitMs`; or
   *  undefined when there is nothing to wait for (signed already, never
   *  handed over, the thread gone). `collect` afterwards takes the thread's
   *  signature, or signs here if the thread still has not got to it. A
   *  decision whose batch became durable before the thread reached its job
   *  waits here instead of signing on the loop (~50 µs of the loop's time,
   *  against a wake-up of a few), and the loop serves other requests
   *  meanwhile. */
  settled(ticket: SignTicket, maxWaitMs = 2): Promise<void> | undefined {
    const ch = this.channel;
    if (typeof ticket === "string" || !this.worker || !ch || !waitAsync) return undefined;
    const job = this.pending.get(ticket);
    if (!job || job.jws || job.slot < 0 || this.owners[job.slot] !== ticket) return undefined;
    const slot = job.slot;
    const state = (slot * RESULT_BYTES) / 4;
    const now = Atomics.load(ch.resultInts, state);
    if (now !== OPEN && now !== CLAIMED) return undefined;
    // the thread notifies the job's state word when it has signed it
    const wait = waitAsync(ch.resultInts, state, now, maxWaitMs);
    if (!wait.async) return undefined;
    // The wait ends by itself ("ok" or "timed-out"), but a pending waitAsync
    // does not keep the process alive; one shared timer does, while any wait
    // is pending (a timer per wait cost ~3 µs of the loop per decision).
    this.holdAlive(1);
    return wait.value.then(() => this.holdAlive(-1));
  }

  private waiting = 0;
  private keepAlive: NodeJS.Timeout | undefined;

  // ref'd only while a wait is pending (ref/unref only count handles)
  private holdAlive(delta: 1 | -1): void {
    this.waiting += delta;
    if (delta > 0 && this.waiting === 1) (this.keepAlive ??= setInterval(() => {}, 60_000)).ref();
    else if (this.waiting === 0) this.keepAlive?.unref();
  }

  /** The JWS for a ticket: the signing thread's, or made here when the
   *  thread has not started it (or is gone); waits only for a signature the
   *  thread is making. */
  collect(ticket: SignTicket): string {
    if (typeof ticket === "string") return ticket;
    const job = this.pending.get(ticket);
    if (!job) throw new Error(`unknown signing ticket ${ticket}`);
    this.pending.delete(ticket);
    if (job.jws) return job.jws; // signed here ahead of time (steal)
    const here = () => this.signHere(job);
    // never handed over (kept here, or no room in the ring), or a later job
    // has taken the slot (and its result) since
    const slot = job.slot;
    if (slot < 0 || this.owners[slot] !== ticket) return here();
    const ch = this.channel!;
    const state = (slot * RESULT_BYTES) / 4;
    if (Atomics.compareExchange(ch.resultInts, state, OPEN, TAKEN) === OPEN) return here();
    // under way on the signing thread: wait for it, but not long — a
    // signature takes ~60 µs, so a thread still at it after half a
    // millisecond has lost its core (a loaded machine) or died, and the
    // loop, which every other request waits for, signs it here instead
    const deadline = performance.now() + 0.5;
    while (Atomics.load(ch.resultInts, state) === CLAIMED) {
      if (!this.worker || performance.now() > deadline) return here();
      // rather than idle, sign the newest job the thread has not reached
      // (it works from the oldest): the two meet in the middle of a batch
      if (!this.stealNewest(ticket)) Atomics.wait(ch.resultInts, state, CLAIMED, 0.1);
    }
    if (Atomics.load(ch.resultInts, state) !== OK || this.owners[slot] !== ticket) return here();
    this.signed.thread++;
    return job.input + "." + Buffer.from(ch.results.buffer, ch.results.byteOffset + slot * RESULT_BYTES + 8, 64).toString("base64url");
  }

  /** tickets asked for and neither collected nor discarded */
  get outstanding(): number {
    return this.pending.size;
  }

  /** Forgets a ticket that will not be collected (its answer is not
   *  given), so its job is not kept for ever. */
  discard(ticket: SignTicket): void {
    if (typeof ticket === "number") this.pending.delete(ticket);
  }

  private signHere(job: Job): string {
    this.signed.here++;
    return jws(job.input, this.keyring.get(job.kid)!);
  }

  /** Takes the newest job after `after` that nobody has started, signs it
   *  here and keeps the JWS for its collect; false when there is none. */
  private stealNewest(after: number): boolean {
    const ch = this.channel!;
    for (let t = this.tickets - 1; t > after; t--) {
      const job = this.pending.get(t);
      if (!job || job.jws || job.slot < 0 || this.owners[job.slot] !== t) continue;
      const slot = job.slot;
      if (Atomics.compareExchange(ch.resultInts, (slot * RESULT_BYTES) / 4, OPEN, TAKEN) !== OPEN) continue;
      job.jws = this.signHere(job);
      return true;
    }
    return false;
  }

  /** request + collect as a promise (tools and tests). */
  signAsync(claims: DecisionClaims): Promise<string> {
    const ticket = this.request(claims);
    this.flushBatch();
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(this.collect(ticket));
        } catch (err) {
          reject(err);
        }
      }),
    );
  }

  async close(): Promise<void> {
    const w = this.worker;
    const ch = this.channel;
    this.worker = undefined;
    this.workerFailed = true;
    if (ch) {
      Atomics.store(ch.ctl, STOP, 1);
      Atomics.notify(ch.ctl, POSTED);
    }
    this.port?.close();
    clearInterval(this.keepAlive);
    await w?.terminate();
  }
}

/** A signature asked for and not yet collected. */
interface Job {
  /** the JWS signing input (header.payload) */
  input: string;
  kid: string;
  /** the JWS, when this thread signed it ahead of its collect */
  jws?: string;
  /** its slot in the ring once handed to the thread (-1: not handed over) */
  slot: number;
}

export interface VerifiedDecision {
  claims: DecisionClaims;
  kid: string;
  /** the signature is good but `exp` has passed */
  expired: boolean;
}

/** Verifies a decision JWS against a JWKS. Throws when the signature does not
 *  verify; an expired decision verifies with `expired: true` (auditors check
 *  old decisions). */
export async function verifyDecisionJws(jws: string, jwks: JSONWebKeySet): Promise<VerifiedDecision> {
  const keySet = createLocalJWKSet(jwks);
  const { kid } = decodeProtectedHeader(jws);
  const { payload } = await compactVerify(jws, keySet, { algorithms: ["EdDSA"] });
  const claims = JSON.parse(new TextDecoder().decode(payload)) as DecisionClaims;
  let expired = false;
  try {
    await jwtVerify(jws, keySet, { algorithms: ["EdDSA"], issuer: "writ" });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_JWT_EXPIRED") expired = true;
    else throw err;
  }
  return { claims, kid: kid ?? "", expired };
}

/** The compact JWS: its signing input, a dot, the signature in base64url. */
function jws(input: string, key: SigningKey): string {
  return input + "." + key.sign(Buffer.from(input)).toString("base64url");
}
