// The decision service, assembled: keys, audit log, state restored from the
// log, credentials, engine (with hot swap), pipeline, HTTP server. This is
// also the in-process API for harness adapters, fixture runners and tests:
//
//   const svc = await Service.start({ dataDir, loadEngine: () => …, port: 0 });
//   const token = svc.credentials.issue("agent-1");
//   await fetch(svc.url + "/v1/decide", { method: "POST", headers: { authorization: `Bearer ${token}` }, body });
//   await svc.close();
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { AuditLog, COMMIT_BUCKETS } from "../audit/log.js";
import { AuditForwarder } from "../audit/forward.js";
import { Keyring } from "../sign/keyring.js";
import { DecisionSigner } from "../sign/decision.js";
import { ServiceState } from "../decide/state.js";
import { Decider } from "../decide/pipeline.js";
import { ENTRY, type SessionsRetiredRecord } from "../decide/records.js";
import { EngineHolder, type EngineEvent } from "../engine/holder.js";
import type { PolicyEngine } from "../engine/engine.js";
import { Credentials, type JwtIssuerOptions } from "./credentials.js";
import { Metrics } from "./metrics.js";
import { buildApp } from "./app.js";
import { answerDecide } from "./decide-route.js";
import { readIncoming } from "./body.js";
import { FastHttpServer } from "./fast-http.js";
import { version } from "../version.js";

/** how long an idle keep-alive connection stays open (hooks reuse theirs) */
const KEEP_ALIVE_MS = 65_000;

export interface ServiceOptions {
  /** where keys, credentials, state and the audit log live */
  dataDir: string;
  /** loads (and verifies) the policy; called at start and on every reload */
  loadEngine: () => Promise<PolicyEngine>;
  /** a bundle file to watch: a change reloads, a failed load keeps the old */
  watchPath?: string;
  watchIntervalMs?: number;
  host?: string;
  /** 0 picks a free port (see `port` / `url` after start) */
  port?: number;
  jwt?: JwtIssuerOptions;
  audit?: { checkpointEvery?: number; checkpointIntervalMs?: number; maxSegmentBytes?: number; preallocBytes?: number };
  /** POST audit entries (JSON arrays) to this URL once durable */
  forwardUrl?: string;
  approvalTtlMs?: number;
  decisionTtlSeconds?: number;
  evalTimeoutMs?: number;
  bodyLimitBytes?: number;
  /** how often sessions/approvals/kill switches are snapshotted (default 10 s;
   *  the audit log after the snapshot is replayed at start) */
  snapshotIntervalMs?: number;
  /** forget a session nobody has decided on for this long (default 0:
   *  never). Its labels, counters and spend go with it: the next decision on
   *  its id starts afresh. Each retirement is an audit entry. */
  sessionIdleTtlMs?: number;
  /** decisions made per turn of the event loop (default 32; see Decider) */
  decisionsPerTurn?: number;
  /** decisions that may wait before the service answers 503 (default 4096) */
  maxQueuedDecisions?: number;
  /** repeat the last evaluation when idle, to keep the policy in the
   *  caches (default true; see Decider) */
  keepWarm?: boolean;
  /** … when it took at most this long (default 250 µs) */
  keepWarmMaxUs?: number;
  /** sign on a worker thread (default true), overlapping the audit sync */
  signingThread?: boolean;
  /** answer POST /v1/decide straight from node:http, every other route
   *  through hono (default true; false: hono for all). Saves ~25 µs of a
   *  ~110 µs request on the 2-core machine writ is measured on. */
  directDecidePath?: boolean;
  /** read POST /v1/decide requests straight off the socket (default true;
   *  see fast-http.ts), handing every other request to node:http. Saves
   *  ~14 µs of the event loop per decision against node:http. */
  fastDecidePath?: boolean;
  /** don't open an HTTP port (use `app.fetch` directly) */
  noListen?: boolean;
}

export class Service {
  readonly metrics = new Metrics();
  readonly keyring: Keyring;
  readonly audit: AuditLog;
  readonly forwarder: AuditForwarder | undefined;
  readonly state: ServiceState;
  readonly credentials: Credentials;
  engine!: EngineHolder;
  decider!: Decider;
  signer!: DecisionSigner;
  app!: Hono;
  /** node:http: every route but the decision route's own path */
  server: Server | undefined;
  /** the decision route's own HTTP path, which listens (see fast-http.ts) */
  fast: FastHttpServer | undefined;
  url = "";
  port = 0;
  get bodyLimit(): number {
    return this.options.bodyLimitBytes ?? 256 * 1024;
  }

  private snapshotTimer: NodeJS.Timeout | undefined;
  private retireTimer: NodeJS.Timeout | undefined;
  /** sessions retired since start */
  sessionsRetired = 0;
  private snapshotSeq = 0;
  private snapshotting = false;

  private constructor(readonly options: ServiceOptions) {
    const { dataDir } = options;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.keyring = Keyring.open(join(dataDir, "keys"));
    this.forwarder = options.forwardUrl ? new AuditForwarder(options.forwardUrl) : undefined;
    this.audit = AuditLog.open({
      dir: join(dataDir, "audit"),
      keyring: this.keyring,
      beforeSync: () => this.signer?.flushBatch(),
      ...options.audit,
      ...(this.forwarder ? { onDurable: (lines: string[]) => this.forwarder!.push(lines) } : {}),
    });
    this.state = ServiceState.restore(dataDir, join(dataDir, "audit"));
    this.snapshotSeq = this.state.appliedSeq;
    this.credentials = Credentials.open(dataDir, options.jwt);
  }

  static async start(options: ServiceOptions): Promise<Service> {
    const svc = new Service(options);
    try {
      svc.engine = await EngineHolder.start(options.loadEngine, (e) => svc.onEngineEvent(e));
    } catch (err) {
      await svc.audit.close();
      throw err;
    }
    if (options.watchPath) svc.engine.watch(options.watchPath, options.watchIntervalMs);
    svc.signer = new DecisionSigner(svc.keyring, { thread: options.signingThread ?? true });
    svc.decider = new Decider({
      engine: svc.engine,
      audit: svc.audit,
      signer: svc.signer,
      state: svc.state,
      approvalTtlMs: options.approvalTtlMs,
      decisionTtlSeconds: options.decisionTtlSeconds,
      evalTimeoutMs: options.evalTimeoutMs,
      decisionsPerTurn: options.decisionsPerTurn,
      maxQueuedDecisions: options.maxQueuedDecisions,
      keepWarm: options.keepWarm,
      keepWarmMaxUs: options.keepWarmMaxUs,
    });
    await svc.audited(ENTRY.serviceStarted, {
      version,
      pid: process.pid,
      kid: svc.keyring.current.kid,
      bundle: { revision: svc.engine.current.revision, digest: svc.engine.current.digest },
      recovered_torn_bytes: svc.audit.recoveredTornBytes,
    });
    svc.app = buildApp(svc);
    if (!options.noListen) {
      // node:http serves every route (and every connection the decision
      // route's own path hands over); that path listens, unless turned off
      const server = createServer(requestListener(svc, options.directDecidePath ?? true));
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      svc.server = server;
      const fast =
        (options.fastDecidePath ?? true) && (options.directDecidePath ?? true)
          ? new FastHttpServer({
              decide: (authorization, body) => answerDecide(svc, authorization, () => Promise.resolve(body)),
              fallback: server,
              bodyLimitBytes: svc.bodyLimit,
              keepAliveTimeoutMs: KEEP_ALIVE_MS,
              headersTimeoutMs: server.headersTimeout,
              requestTimeoutMs: server.requestTimeout,
            })
          : undefined;
      svc.fast = fast;
      const listening = fast ? fast.server : server;
      await new Promise<void>((resolve, reject) => {
        listening.once("error", reject);
        listening.listen(options.port ?? 8787, options.host ?? "127.0.0.1", () => {
          listening.removeListener("error", reject);
          const info = listening.address() as AddressInfo;
          svc.port = info.port;
          const host = info.address.includes(":") ? `[${info.address}]` : info.address;
          svc.url = `http://${host}:${info.port}`;
          resolve();
        });
      });
    }
    svc.snapshotTimer = setInterval(() => void svc.snapshot(), options.snapshotIntervalMs ?? 10_000);
    svc.snapshotTimer.unref();
    const ttl = options.sessionIdleTtlMs ?? 0;
    if (ttl > 0) {
      // a session is retired between ttl and ttl + the sweep interval (a
      // quarter of the TTL, between 1 s and a minute) after its last decision
      svc.retireTimer = setInterval(() => void svc.retireIdleSessions(), Math.min(60_000, Math.max(1000, ttl / 4)));
      svc.retireTimer.unref();
    }
    return svc;
  }

  /** Appends an operator/service event, applies its effect once it is
   *  appended, and resolves true when it is durable (false: the audit log is
   *  failing, so the change must be refused). */
  async audited(type: string, data: unknown, apply: () => void = () => {}): Promise<boolean> {
    try {
      const a = this.audit.append(type, JSON.stringify(data));
      this.state.appliedSeq = a.seq;
      apply();
      await a.durable;
      return true;
    } catch {
      return false;
    }
  }

  private retiring = false;

  /**
   * Forgets the sessions unused for `sessionIdleTtlMs` (as of `nowMs`),
   * visiting 20,000 sessions a turn of the event loop. What one turn finds
   * idle is retired in that same synchronous step (no decision sees a
   * session half retired), with an audit entry per 1,000 that names them,
   * so a replay of the log forgets them at the same point. When the audit
   * log cannot take the entry, nothing more is forgotten. Resolves how many
   * were retired (0 while another sweep is under way).
   */
  async retireIdleSessions(nowMs = Date.now()): Promise<number> {
    const ttl = this.options.sessionIdleTtlMs ?? 0;
    if (ttl <= 0 || this.retiring) return 0;
    this.retiring = true;
    let retired = 0;
    try {
      const scan = this.state.sessions.scan();
      for (;;) {
        const slice = this.state.sessions.idle(scan, nowMs - ttl, 20_000);
        for (let i = 0; i < slice.idle.length; i += 1000) {
          const sessions = slice.idle.slice(i, i + 1000);
          const record: SessionsRetiredRecord = { idle_seconds: Math.round(ttl / 1000), sessions };
          // throws when the audit log is failing: keep them
          this.state.appliedSeq = this.audit.append(ENTRY.sessionsRetired, JSON.stringify(record)).seq;
          for (const [agent, session] of sessions) this.state.sessions.drop(agent, session);
          retired += sessions.length;
          this.sessionsRetired += sessions.length;
        }
        if (slice.done) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch {
      // (the audit log's own failure is reported by its metrics and health)
    } finally {
      this.retiring = false;
    }
    return retired;
  }

  private onEngineEvent(e: EngineEvent): void {
    if (!this.audit) return;
    if (e.kind === "loaded") void this.audited(ENTRY.bundleLoaded, { revision: e.revision, digest: e.digest, ...(e.previous ? { previous: e.previous } : {}) });
    else void this.audited(ENTRY.bundleRejected, { error: e.error, kept: e.kept });
  }

  /** Writes the state snapshot (see ServiceState.writeSnapshot) once
   *  replaying the entries since the last one would cost more than writing
   *  the state: a snapshot's cost grows with the sessions held, a replay's
   *  with the entries, so the work stays in proportion to the decisions
   *  made however many sessions there are. `force` (at close): whenever the
   *  log has moved. */
  async snapshot(force = false): Promise<void> {
    // approvals that expired a day ago can no longer be answered or redeemed
    this.state.approvals.prune(Date.now());
    const since = this.state.appliedSeq - this.snapshotSeq;
    if (this.snapshotting || since === 0) return;
    if (!force && since < this.state.sessions.size() + this.state.approvals.size()) return;
    this.snapshotting = true;
    try {
      this.snapshotSeq = await this.state.writeSnapshot(this.options.dataDir, (seq) => this.audit.whenDurable(seq));
    } catch {
      // the log is the record; a missing snapshot only lengthens the replay
    } finally {
      this.snapshotting = false;
    }
  }

  renderMetrics(): string {
    const e = this.engine.current;
    return this.metrics.render([
      { name: "writ_audit_seq", help: "Seq of the newest audit entry.", value: this.audit.lastSeq },
      { name: "writ_audit_durable_seq", help: "Seq of the newest durable audit entry.", value: this.audit.durableSeq },
      { name: "writ_audit_lag_entries", help: "Audit entries appended but not yet durable.", value: this.audit.lastSeq - this.audit.durableSeq },
      { name: "writ_audit_last_commit_seconds", help: "Time the last group commit (write + fdatasync) took.", value: this.audit.lastCommitMs / 1000 },
      { name: "writ_audit_failed", help: "1 when the audit log has failed (decisions answer 503).", value: this.audit.failed ? 1 : 0 },
      ...(this.forwarder
        ? [
            { name: "writ_audit_forward_lag_entries", help: "Durable audit entries not yet accepted by the sink.", value: this.forwarder.pending },
            { name: "writ_audit_forward_dropped_total", help: "Entries dropped from a full forwarding queue.", value: this.forwarder.dropped },
          ]
        : []),
      { name: "writ_signatures_thread", help: "Decision signatures made on the signing thread.", value: this.signer.signed.thread },
      { name: "writ_warm_evaluations_total", help: "Evaluations repeated while idle to keep the policy in the caches.", value: this.decider.warmEvaluations },
      { name: "writ_signatures_loop", help: "Decision signatures made on the event loop (batches synced inline, or the signing thread behind).", value: this.signer.signed.here },
      { name: "writ_sessions", help: "Sessions held (a session is held once an allowed action changes it).", value: this.state.sessions.size() },
      // one family at a time: the text format wants a metric's samples together
      ...(["tool_calls", "usd", "tokens"] as const).flatMap((dim) =>
        Object.entries(this.state.usage.toJSON()).map(([contract, u]) => ({
          name: `writ_task_${dim}`,
          help: `${dim === "usd" ? "Spend in USD" : dim === "tokens" ? "Tokens" : "Tool calls"} counted for each task contract over all its sessions (what its total_budget is checked against).`,
          value: u[dim],
          labels: { contract },
        })),
      ),
      { name: "writ_sessions_retired_total", help: "Sessions forgotten after going unused for the session idle TTL.", value: this.sessionsRetired },
      { name: "writ_approvals_pending", help: "Approvals waiting for an operator.", value: this.state.approvals.list("pending").length },
      { name: "writ_kill_switches", help: "Active kill switches.", value: this.state.kills.list().length },
      { name: "writ_bundle_info", help: "The bundle decisions are made with.", value: 1, labels: { revision: e.revision, digest: e.digest } },
    ], { ...this.audit.commits, bounds: COMMIT_BUCKETS });
  }

  async close(): Promise<void> {
    clearInterval(this.snapshotTimer);
    clearInterval(this.retireTimer);
    this.engine?.close();
    if (this.fast) {
      // requests being decided are answered; after 2 s the rest are cut
      const fast = this.fast;
      const cut = setTimeout(() => fast.closeAll(), 2000);
      await fast.close();
      clearTimeout(cut);
      fast.closeAll();
    } else if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
        setTimeout(() => server.closeAllConnections?.(), 2000).unref();
      });
    }
    await this.audited(ENTRY.serviceStopped, { pid: process.pid });
    while (this.snapshotting) await new Promise((r) => setTimeout(r, 5));
    await this.snapshot(true);
    await this.audit.close();
    await this.signer?.close();
    await this.forwarder?.close();
  }
}

// The server's request listener: hono for everything, except (optionally)
// the hot route, which skips building a fetch Request/Response pair.
function requestListener(svc: Service, direct: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  const hono = getRequestListener(svc.app.fetch);
  if (!direct) return (req, res) => void hono(req, res);
  const limit = svc.bodyLimit;
  return (req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/decide") return void hono(req, res);
    answerDecide(svc, req.headers.authorization, () => readIncoming(req, limit)).then(
      (out) => {
        // headers as a flat array: node:http takes it without walking an object
        res.writeHead(out.status, ["content-type", "application/json", "content-length", String(Buffer.byteLength(out.body))]);
        res.end(out.body);
      },
      () => {
        res.writeHead(503, { "content-type": "application/json" });
        res.end('{"decision":"deny","error":"internal error"}');
      },
    );
  };
}
