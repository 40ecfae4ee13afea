// Signed decisions: compact EdDSA JWS. Signing is on the hot path, so it uses
// node:crypto directly (≈35–60 µs against ≈65+ µs through jose/WebCrypto),
// with the protected header encoded once per key, and by default on a
// signing thread: the signature is computed while the audit batch syncs, and
// on another core. If that thread fails, signing falls back to this thread.
// Verification, off the hot path, goes through jose.
import { sign } from "node:crypto";
import { Worker } from "node:worker_threads";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import type { Keyring } from "./keyring.js";
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

interface Job {
  resolve: (jws: string) => void;
  reject: (err: Error) => void;
}

export class DecisionSigner {
  private headerKid = "";
  private header = "";
  private worker: Worker | undefined;
  private workerKids = new Set<string>();
  private jobs = new Map<number, Job>();
  private nextId = 1;
  private batch: [number, string, string][] = [];
  private batchKeys: [string, unknown][] = [];
  private scheduled = false;
  private workerFailed = false;

  private readonly useThread: boolean;

  /** `thread: false` signs on the calling thread only. The thread starts on
   *  the first signAsync. */
  constructor(private readonly keyring: Keyring, opts: { thread?: boolean } = {}) {
    this.useThread = opts.thread ?? true;
  }

  private startWorker(): void {
    const w = new Worker(new URL("./sign-worker.js", import.meta.url));
    w.unref();
    w.on("message", (msg: { done: [number, string | null, string?][] }) => {
      for (const [id, jws, error] of msg.done) {
        const job = this.jobs.get(id);
        if (!job) continue;
        this.jobs.delete(id);
        if (jws) job.resolve(jws);
        else job.reject(new Error(error ?? "signing failed"));
      }
    });
    const fail = (err: Error) => {
      // fall back to signing here; jobs in flight fail (answered 503)
      this.worker = undefined;
      this.workerFailed = true;
      for (const job of this.jobs.values()) job.reject(err);
      this.jobs.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => code !== 0 && fail(new Error(`signing thread exited with ${code}`)));
    this.worker = w;
    this.workerKids.clear();
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
    const input = this.signingInput(claimsJson);
    return input + "." + sign(null, Buffer.from(input), this.keyring.current.privateKey).toString("base64url");
  }

  sign(claims: DecisionClaims): string {
    return this.signJson(JSON.stringify(claims));
  }

  /** Signs on the signing thread (batched per tick); on this thread when
   *  there is none. */
  signAsync(claims: DecisionClaims): Promise<string> {
    const json = JSON.stringify(claims);
    if (!this.worker && this.useThread && !this.workerFailed) this.startWorker();
    if (!this.worker) {
      try {
        return Promise.resolve(this.signJson(json));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const input = this.signingInput(json);
    const key = this.keyring.current;
    if (!this.workerKids.has(key.kid)) {
      this.workerKids.add(key.kid);
      this.batchKeys.push([key.kid, key.privateKey]);
    }
    const id = this.nextId++;
    this.batch.push([id, key.kid, input]);
    if (!this.scheduled) {
      // sent at the latest after the requests ready now have been read; the
      // audit log sends it earlier, just before it syncs (flushBatch)
      this.scheduled = true;
      setImmediate(() => this.flushBatch());
    }
    return new Promise((resolve, reject) => this.jobs.set(id, { resolve, reject }));
  }

  /** Hands the signatures asked for so far to the signing thread. */
  flushBatch(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    const keys = this.batchKeys;
    this.batch = [];
    this.batchKeys = [];
    if (!this.worker) {
      for (const [id, kid, input] of batch) {
        const job = this.jobs.get(id)!;
        this.jobs.delete(id);
        try {
          job.resolve(input + "." + sign(null, Buffer.from(input), this.keyring.get(kid)!.privateKey).toString("base64url"));
        } catch (err) {
          job.reject(err as Error);
        }
      }
      return;
    }
    this.worker.postMessage(keys.length ? { keys, batch } : { batch });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.workerFailed = true;
    await w?.terminate();
  }
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
