// The path of one decision, after the caller is authenticated and the body
// validated:
//   kill switches ▶ session state ▶ approval lookup ▶ evaluate the bundle
//   ▶ verdict ▶ session update ▶ audit append ▶ sign ▶ (durable) ▶ answer
// Everything up to the audit append runs in one synchronous step, so the
// session state a policy sees and the budget an allow reserves cannot
// interleave with another decision. Every failure on the way becomes a deny
// (engine trouble) or a 503 (audit or signing trouble: nothing may leave that
// is not signed and on disk).
import { randomUUID } from "node:crypto";
import { LRUCache } from "lru-cache";
import { canonicalJson, sha256Hex } from "./canonical.js";
import { verdictFromResultSet, deny } from "./verdict.js";
import { newApprovalId } from "./approvals.js";
import { approvalFrom, type ServiceState } from "./state.js";
import { ENTRY, type DecisionRecord } from "./records.js";
import type { SessionUpdate } from "./sessions.js";
import { policyInput } from "./input.js";
import { responseJson } from "./response-json.js";
import { decisionRecordJson } from "./record-json.js";
import { verdictListsJson } from "./lists-json.js";
import type { DecideRequest, DecideResponse, PolicyDecision, SessionState, TaskUsage, Verdict } from "./types.js";
import type { AuditLog } from "../audit/log.js";
import type { DecisionSigner, DecisionClaims, SignTicket } from "../sign/decision.js";
import type { PolicyEngine } from "../engine/engine.js";

export interface Principal {
  id: string;
  role: "agent" | "operator";
  owner?: string;
}

export interface DeciderOptions {
  /** where the current engine is read from on every decision (hot swap) */
  engine: { readonly current: PolicyEngine };
  audit: AuditLog;
  signer: DecisionSigner;
  state: ServiceState;
  /** how long an approval may wait for an operator and then be redeemed */
  approvalTtlMs?: number;
  /** lifetime of a signed decision (JWS exp - iat) */
  decisionTtlSeconds?: number;
  /** an evaluation slower than this answers deny (default 1000 ms: a guard
   *  against runaway policies, measured in wall time, so not a latency
   *  target — a loaded machine must not turn ordinary evaluations into denies) */
  evalTimeoutMs?: number;
  /** remembered answers for idempotent retries */
  retryCacheSize?: number;
  /** decisions made per turn of the event loop (default 32; 0: each at
   *  once, as its request is read). See `Decider.enqueue`. */
  decisionsPerTurn?: number;
  /** decisions that may wait in the queue (default 4096); beyond that the
   *  service is overloaded and answers 503 at once, which every adapter
   *  turns into a block: bounded memory and latency, failing closed */
  maxQueuedDecisions?: number;
  /** repeat the last evaluation when the queue runs empty (default true;
   *  see `keepWarm`) … */
  keepWarm?: boolean;
  /** … when it took at most this long (default 250 µs) */
  keepWarmMaxUs?: number;
}

interface Queued {
  principal: Principal;
  req: DecideRequest;
  canon: string;
  digest: string;
  resolve: (outcome: Promise<DecideOutcome>) => void;
}

export interface DecideOutcome {
  status: number;
  /** JSON text of a DecideResponse, or of an error */
  body: string;
  verdict?: Verdict;
}

interface Cached {
  digest: string;
  outcome: Promise<DecideOutcome>;
}

export class Decider {
  private readonly approvalTtlMs: number;
  private readonly ttl: number;
  private readonly evalTimeoutMs: number;
  private readonly retries: LRUCache<string, Cached>;
  private readonly perTurn: number;
  private readonly maxQueued: number;
  private queue: Queued[] = [];
  private queueHead = 0;
  private draining = false;
  private readonly keepWarmOn: boolean;
  private readonly keepWarmMaxUs: number;
  /** the input of the last evaluation, and what it cost (µs) */
  private lastInput: { engine: PolicyEngine; json: string; us: number } | undefined;
  /** evaluations repeated to keep the policy warm */
  warmEvaluations = 0;

  constructor(private readonly o: DeciderOptions) {
    this.approvalTtlMs = o.approvalTtlMs ?? 15 * 60_000;
    this.ttl = o.decisionTtlSeconds ?? 300;
    this.evalTimeoutMs = o.evalTimeoutMs ?? 1000;
    this.retries = new LRUCache({ max: o.retryCacheSize ?? 10_000, ttl: 10 * 60_000 });
    this.perTurn = o.decisionsPerTurn ?? 32;
    this.maxQueued = o.maxQueuedDecisions ?? 4096;
    this.keepWarmOn = o.keepWarm ?? true;
    this.keepWarmMaxUs = o.keepWarmMaxUs ?? 250;
  }

  // Decisions are made a few per turn of the event loop, in setImmediate,
  // not as each request is read. Node reads every ready socket in one go; when
  // 64 callers' requests arrive together (and under load they do: the answers
  // of one audit batch go out together), deciding each as it is read keeps
  // the loop from seeing the completed syncs of earlier batches until all 64
  // are decided, so every caller waits for the whole convoy and the disk and
  // the signing thread sit idle meanwhile. Between chunks the loop polls,
  // answers what has become durable and reads new requests, and each chunk's
  // batch starts syncing at once. One decision (a lone caller) runs in the
  // same turn it was read. At 64 connections on the 2-core VM, 32 a turn
  // (two batches per convoy) made 6,900 decisions/s against 5,650 deciding
  // each as read, 6,400 at 16 and 6,100 at 64 (3 interleaved runs each).
  private enqueue(principal: Principal, req: DecideRequest, canon: string, digest: string): Promise<DecideOutcome> {
    if (this.perTurn <= 0) return this.run(principal, req, canon, digest);
    if (this.queue.length - this.queueHead >= this.maxQueued) {
      return Promise.resolve(error(503, `overloaded: ${this.maxQueued} decisions are already waiting`, "deny"));
    }
    return new Promise<DecideOutcome>((resolve) => {
      this.queue.push({ principal, req, canon, digest, resolve });
      if (!this.draining) {
        this.draining = true;
        setImmediate(this.drain);
      }
    });
  }

  private readonly drain = (): void => {
    const end = Math.min(this.queue.length, this.queueHead + this.perTurn);
    for (; this.queueHead < end; this.queueHead++) {
      const q = this.queue[this.queueHead];
      q.resolve(this.run(q.principal, q.req, q.canon, q.digest));
    }
    this.o.audit.flush();
    if (this.queueHead < this.queue.length) {
      // under steady load the queue may never run empty: drop the decided
      // head now and then, so it does not grow for ever
      if (this.queueHead >= 1024) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      return void setImmediate(this.drain);
    }
    this.queue = [];
    this.queueHead = 0;
    this.draining = false;
    if (this.keepWarmOn && this.lastInput) setImmediate(this.keepWarm);
  };

  // Between a lone caller's requests the loop parses, syncs, answers and
  // waits, and by the next request the policy's code and data have left the
  // core's caches: at 1 connection an evaluation took 42-55 µs, against
  // ~17-25 µs back to back. So when the queue runs empty, once the answers
  // are out, the loop evaluates the last input again and drops the result
  // (the policy is pure: only for engines without network builtins, and only
  // when an evaluation costs little, since a request arriving meanwhile
  // waits for it). bench:decide at 1 connection, in two sets of 6 rounds
  // alternating with the same code without it, was faster in all 12: p50
  // medians 0.432 against 0.476 ms and 0.438 against 0.485, for ~10-30 µs
  // more CPU a request. Under load the queue seldom runs empty: at 64
  // connections, 279 repeats in 54,604 decisions.
  private readonly keepWarm = (): void => {
    const last = this.lastInput;
    if (this.draining || !last || last.engine !== this.o.engine.current || !last.engine.effectFree || last.us > this.keepWarmMaxUs) return;
    this.lastInput = undefined; // once per idle spell
    try {
      last.engine.evaluate(last.json);
      this.warmEvaluations++;
    } catch {
      // the decision that made this input already answered for its error
    }
  };

  decide(principal: Principal, req: DecideRequest): Promise<DecideOutcome> {
    if (req.agent_id !== undefined && req.agent_id !== principal.id) {
      return Promise.resolve(error(403, `agent_id "${req.agent_id}" does not match the credential's agent "${principal.id}"`));
    }
    const { request_id } = req;
    // the action is the request without its envelope (the copy is made only
    // when there is an envelope to drop)
    const action = request_id === undefined && req.approval_id === undefined && req.agent_id === undefined ? req : withoutEnvelope(req);
    let canon: string;
    try {
      canon = canonicalJson(action);
    } catch (err) {
      return Promise.resolve(error(400, (err as Error).message));
    }
    const digest = sha256Hex(canon);
    if (request_id === undefined) return this.enqueue(principal, req, canon, digest);
    // Idempotent retry: the same request id from the same agent gets the
    // answer already given (same decision id and signature), not a new one.
    const key = principal.id + "\u0000" + request_id;
    const hit = this.retries.get(key);
    if (hit) {
      if (hit.digest !== digest) return Promise.resolve(error(409, `request_id "${request_id}" was already used for a different action`));
      return hit.outcome;
    }
    const outcome = this.enqueue(principal, req, canon, digest);
    this.retries.set(key, { digest, outcome });
    // an answer that was not given (503) must not be replayed
    outcome.then((o) => o.status >= 500 && this.retries.delete(key));
    return outcome;
  }

  private async run(principal: Principal, req: DecideRequest, canon: string, digest: string): Promise<DecideOutcome> {
    const { state, audit } = this.o;
    const nowMs = Date.now();
    const now = isoAt(nowMs);
    const decisionId = randomUUID();
    const engine = this.o.engine.current;
    const session = state.sessions.get(principal.id, req.session_id, now, nowMs);
    const record: DecisionRecord = {
      decision_id: decisionId,
      ...(req.request_id !== undefined ? { request_id: req.request_id } : {}),
      agent: principal.id,
      session: req.session_id,
      harness: req.harness,
      event: req.event,
      tool: req.tool,
      kind: req.action.kind,
      ...(req.contract_id !== undefined ? { contract_id: req.contract_id } : {}),
      ...(req.model !== undefined ? { model: req.model } : {}),
      action_digest: digest,
      decision: "deny",
      reasons: [],
      rule_ids: [],
      bundle: { revision: engine.revision, digest: engine.digest },
    };

    let verdict: PolicyDecision;
    const kill = state.kills.match(principal.id, req);
    if (kill) {
      verdict = deny(`halted by kill switch ${kill.id} (${kill.scope}${kill.value !== undefined ? " " + kill.value : ""}): ${kill.reason}`, `writ.kill/${kill.scope}`);
      record.failure = "kill_switch";
    } else {
      const usage = req.contract_id ? state.usage.get(req.contract_id) : undefined;
      verdict = this.evaluate(engine, principal, canon, session, now, nowMs, record, usage);
    }

    // Redeeming an approval: only where the policy still asks for one, only
    // for exactly the approved action, once, in time.
    if (req.approval_id !== undefined && verdict.decision === "approve") {
      const check = state.approvals.check(req.approval_id, principal.id, req.session_id, digest, nowMs);
      if (check.ok) {
        verdict = { ...verdict, decision: "allow", reasons: [...verdict.reasons, `approved by ${check.approval.decided_by} (${check.approval.id})`] };
        record.approval_used = check.approval.id;
      } else if (check.pending) {
        record.approval_created = undefined;
        verdict = { ...verdict, decision: "approve", reasons: [check.reason] };
      } else {
        verdict = { decision: "deny", reasons: [check.reason], rule_ids: [...verdict.rule_ids, "writ.approval"] };
        record.failure = "approval_refused";
      }
    }
    let approval: { id: string; expires_at: string } | undefined;
    if (verdict.decision === "approve") {
      const pending = req.approval_id !== undefined ? state.approvals.get(req.approval_id) : undefined;
      approval =
        pending && pending.status === "pending" && pending.action_digest === digest
          ? { id: pending.id, expires_at: pending.expires_at }
          : { id: newApprovalId(), expires_at: new Date(nowMs + this.approvalTtlMs).toISOString() };
      if (!pending || pending.id !== approval.id) record.approval_created = approval;
    }

    record.decision = verdict.decision;
    record.reasons = verdict.reasons;
    record.rule_ids = verdict.rule_ids;
    let update: SessionUpdate | undefined;
    if (verdict.decision === "allow") {
      update = {};
      if (req.event === "pre_tool_use") update.kind = req.action.kind;
      if (verdict.labels?.length) update.labels = verdict.labels;
      if (req.cost && (req.cost.usd || req.cost.tokens)) update.cost = req.cost;
      if (update.kind || update.labels || update.cost) record.session_update = update;
    }

    // Append (assigns seq and chain hash), then apply state, then sign while
    // the batch waits for its sync.
    // the verdict's lists as JSON once, for the record, the claims and the answer
    const lists = verdictListsJson(verdict);
    let appended;
    try {
      const json = decisionRecordJson(record, lists);
      appended = audit.append(ENTRY.decision, json.slice(0, -1) + ',"input":' + canon + "}", now);
    } catch (err) {
      return error(503, `audit log unavailable: ${(err as Error).message}`, "deny");
    }
    state.appliedSeq = appended.seq;
    if (record.session_update) {
      state.sessions.apply(session, record.session_update, appended.seq, nowMs);
      // the task's total (state.ts replays the same rule)
      if (req.contract_id) state.usage.apply(req.contract_id, req.event, record.session_update);
    }
    if (record.approval_created) state.approvals.add(approvalFrom(record, now));
    if (record.approval_used) state.approvals.markUsed(record.approval_used, decisionId);

    const iat = Math.floor(nowMs / 1000);
    const claims: DecisionClaims = {
      iss: "writ",
      jti: decisionId,
      iat,
      exp: iat + this.ttl,
      sub: principal.id,
      sid: req.session_id,
      action_digest: digest,
      decision: verdict.decision,
      reasons: verdict.reasons,
      rule_ids: verdict.rule_ids,
      bundle: record.bundle,
      audit: { seq: appended.seq, hash: appended.hash },
      ...(approval ? { approval_id: approval.id } : record.approval_used ? { approval_id: record.approval_used } : {}),
    };
    // The signature is made (on the signing thread) while the batch syncs.
    let ticket: SignTicket;
    try {
      ticket = this.o.signer.request(claims, lists);
    } catch (err) {
      return error(503, `signing failed: ${(err as Error).message}`, "deny");
    }
    try {
      await appended.durable;
    } catch (err) {
      this.o.signer.discard(ticket);
      return error(503, `audit log write failed: ${(err as Error).message}`, "deny");
    }
    let jws: string;
    try {
      const signing = this.o.signer.settled(ticket);
      if (signing) await signing;
      jws = this.o.signer.collect(ticket);
    } catch (err) {
      return error(503, `signing failed: ${(err as Error).message}`, "deny");
    }
    const response: DecideResponse = {
      decision: verdict.decision,
      reasons: verdict.reasons,
      rule_ids: verdict.rule_ids,
      decision_id: decisionId,
      ...(approval ? { approval } : {}),
      bundle: record.bundle,
      audit: { seq: appended.seq, hash: appended.hash },
      jws,
    };
    return { status: 200, body: responseJson(response, lists), verdict: verdict.decision };
  }

  private evaluate(engine: PolicyEngine, principal: Principal, canon: string, session: SessionState, now: string, nowMs: number, record: DecisionRecord, usage: TaskUsage | undefined): PolicyDecision {
    const input = policyInput(canon, principal, session, now, nowMs, usage);
    const started = performance.now();
    let resultSet: unknown;
    try {
      resultSet = engine.evaluate(input);
    } catch (err) {
      record.failure = "engine_error";
      return deny(`policy engine error: ${errorMessage(err)}`, "writ.engine_error");
    }
    const us = Math.round((performance.now() - started) * 1000);
    record.eval_us = us;
    this.lastInput = { engine, json: input, us };
    // Wasm runs to completion on this thread; a slow evaluation is caught
    // after the fact and still answers deny.
    if (us > this.evalTimeoutMs * 1000) {
      record.failure = "engine_timeout";
      return deny(`policy evaluation took ${us} µs, over the ${this.evalTimeoutMs} ms limit`, "writ.engine_timeout");
    }
    return verdictFromResultSet(resultSet);
  }
}

// The decision time as ISO text, made once per millisecond: under load several
// decisions share a millisecond, and Date#toISOString is ~1.3 µs a call.
let isoMs = NaN;
let isoText = "";
function isoAt(ms: number): string {
  if (ms !== isoMs) {
    isoText = new Date(ms).toISOString();
    isoMs = ms;
  }
  return isoText;
}

function withoutEnvelope(req: DecideRequest): Omit<DecideRequest, "request_id" | "approval_id" | "agent_id"> {
  const { request_id: _r, approval_id: _a, agent_id: _g, ...action } = req;
  return action;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === "object" && "message" in err) return String((err as { message: unknown }).message);
  return String(err);
}

export function error(status: number, message: string, decision?: Verdict): DecideOutcome {
  return { status, body: JSON.stringify(decision ? { decision, error: message } : { error: message }), verdict: decision };
}
