// The HTTP surface (hono). Routes:
//   POST /v1/decide                 agent credential   a normalized action → signed verdict
//   POST /v1/hooks/claude-code      agent credential   Claude Code's HTTP hook payload → its answer
//   GET  /v1/approvals[?status=]    operator           list approvals
//   GET  /v1/approvals/:id          operator
//   POST /v1/approvals/:id          operator           {"grant": bool, "note"?} → granted/rejected
//   GET  /v1/kill                   operator           active kill switches
//   POST /v1/kill                   operator           {"scope", "value"?, "reason"} → switch
//   DELETE /v1/kill/:id             operator           lift a switch
//   POST /v1/bundle/reload          operator           reload the bundle now
//   POST /v1/keys/rotate            operator           new signing key (old stays in the JWKS)
//   GET  /.well-known/jwks.json     public             decision/checkpoint keys
//   GET  /health, GET /metrics      public
import { Hono, type Context } from "hono";
import type { Principal } from "../decide/pipeline.js";
import type { Service } from "./service.js";
import type { IncomingMessage } from "node:http";
import { readIncoming, readRequest, BodyTooLarge } from "./body.js";
import { answerDecide } from "./decide-route.js";
import { KILL_SCOPES, newKillId, type KillScope, type KillSwitch } from "../decide/kill.js";
import { ENTRY, type UsageResetRecord } from "../decide/records.js";
import { parseTaskUsage } from "../decide/usage.js";
import { claudeCodeHttpBlock, claudeCodeHttpHook, parseDecideResponse } from "../harness/http-hook.js";

const JSON_HEADERS = { "content-type": "application/json" };

export function buildApp(svc: Service): Hono {
  const app = new Hono();
  const limit = svc.bodyLimit;

  app.post("/v1/decide", async (c) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const out = await answerDecide(svc, c.req.header("authorization"), () => (incoming ? readIncoming(incoming, limit) : readRequest(c.req.raw, limit)));
    return c.body(out.body, out.status as 200, JSON_HEADERS);
  });

  // Claude Code's HTTP hook. Claude lets the tool run on any non-2xx answer,
  // so every outcome here, failures included, is a 200; only "allow" is an
  // empty body. The task contract comes from `?contract=` or the
  // X-Writ-Contract header (the command hook reads WRIT_CONTRACT).
  app.post("/v1/hooks/claude-code", async (c) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    let payload: unknown;
    try {
      payload = JSON.parse(await (incoming ? readIncoming(incoming, limit) : readRequest(c.req.raw, limit)));
    } catch (err) {
      const out = claudeCodeHttpBlock(`writ could not read the hook payload: ${(err as Error).message}`);
      return c.body(out.body, 200, JSON_HEADERS);
    }
    const authorization = c.req.header("authorization");
    const contract = c.req.query("contract") ?? c.req.header("x-writ-contract");
    const out = await claudeCodeHttpHook(
      payload,
      async (req) => {
        const answer = await answerDecide(svc, authorization, async () => JSON.stringify(req));
        return parseDecideResponse(answer.status, answer.body);
      },
      { url: svc.url, ...(contract ? { contract } : {}) },
    );
    return c.body(out.body, 200, JSON_HEADERS);
  });

  const operator = async (c: Context): Promise<Principal | Response> => {
    let p = svc.credentials.authenticate(c.req.header("authorization"));
    if (p instanceof Promise) p = await p;
    if (!p || p.role !== "operator") return c.json({ error: "an operator credential is required" }, 401);
    return p;
  };
  const jsonBody = async (c: Context): Promise<Record<string, unknown> | Response> => {
    try {
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      const v = JSON.parse(await (incoming ? readIncoming(incoming, 64 * 1024) : readRequest(c.req.raw, 64 * 1024)));
      if (!v || typeof v !== "object" || Array.isArray(v)) return c.json({ error: "body must be a JSON object" }, 400);
      return v as Record<string, unknown>;
    } catch (err) {
      return c.json({ error: (err as Error).message }, err instanceof BodyTooLarge ? 413 : 400);
    }
  };

  app.get("/v1/approvals", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const status = c.req.query("status") as never;
    return c.json({ approvals: svc.state.approvals.list(status) });
  });

  app.get("/v1/approvals/:id", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const a = svc.state.approvals.get(c.req.param("id"));
    return a ? c.json(a) : c.json({ error: "no such approval" }, 404);
  });

  app.post("/v1/approvals/:id", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (typeof body.grant !== "boolean") return c.json({ error: 'body needs "grant": true or false' }, 400);
    if (body.note !== undefined && typeof body.note !== "string") return c.json({ error: '"note" must be a string' }, 400);
    const id = c.req.param("id");
    const a = svc.state.approvals.get(id);
    if (!a) return c.json({ error: "no such approval" }, 404);
    if (a.status !== "pending") return c.json({ error: `approval is ${a.status}` }, 409);
    if (Date.parse(a.expires_at) <= Date.now()) return c.json({ error: `approval expired at ${a.expires_at}` }, 409);
    const note = body.note as string | undefined;
    const ok = await svc.audited(ENTRY.approvalDecided, { approval_id: id, grant: body.grant, operator: p.id, ...(note ? { note } : {}), action_digest: a.action_digest }, () => {
      svc.state.approvals.decide(id, body.grant as boolean, p.id, new Date().toISOString(), note);
    });
    if (!ok) return c.json({ error: "audit log unavailable" }, 503);
    return c.json(svc.state.approvals.get(id));
  });

  app.get("/v1/kill", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    return c.json({ switches: svc.state.kills.list() });
  });

  app.post("/v1/kill", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const scope = body.scope as KillScope;
    if (!KILL_SCOPES.includes(scope)) return c.json({ error: `"scope" must be one of ${KILL_SCOPES.join(", ")}` }, 400);
    if (scope !== "all" && (typeof body.value !== "string" || !body.value)) return c.json({ error: `scope "${scope}" needs a "value"` }, 400);
    if (typeof body.reason !== "string" || !body.reason) return c.json({ error: 'a "reason" is required' }, 400);
    const k: KillSwitch = {
      id: newKillId(),
      scope,
      ...(scope !== "all" ? { value: body.value as string } : {}),
      reason: body.reason,
      set_by: p.id,
      set_at: new Date().toISOString(),
    };
    const ok = await svc.audited(ENTRY.killSet, k, () => svc.state.kills.set(k));
    if (!ok) return c.json({ error: "audit log unavailable" }, 503);
    return c.json(k, 201);
  });

  app.delete("/v1/kill/:id", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const id = c.req.param("id");
    const k = svc.state.kills.list().find((s) => s.id === id);
    if (!k) return c.json({ error: "no such kill switch" }, 404);
    const reason = c.req.query("reason");
    const ok = await svc.audited(ENTRY.killLifted, { id, lifted_by: p.id, ...(reason ? { reason } : {}), switch: k }, () => svc.state.kills.lift(id));
    if (!ok) return c.json({ error: "audit log unavailable" }, 503);
    return c.json({ lifted: k });
  });

  // what each task contract has used, over all its sessions (total_budget)
  app.get("/v1/usage", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    return c.json({ contracts: svc.state.usage.toJSON() });
  });

  // an operator gives a task its total_budget back, or sets what it has
  // used ("to": e.g. spend made outside writ), audited, with a reason
  app.post("/v1/usage/:contract/reset", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (typeof body.reason !== "string" || !body.reason) return c.json({ error: 'a "reason" is required' }, 400);
    const to = body.to === undefined ? undefined : parseTaskUsage(body.to);
    if (typeof to === "string") return c.json({ error: `"to": ${to}` }, 400);
    const contract = c.req.param("contract");
    if (!svc.state.usage.has(contract)) return c.json({ error: `no use is counted for task contract "${contract}"` }, 404);
    const record: UsageResetRecord = { contract, reset_by: p.id, reason: body.reason, previous: svc.state.usage.get(contract), ...(to ? { to } : {}) };
    const ok = await svc.audited(ENTRY.usageReset, record, () => svc.state.usage.reset(contract, to));
    if (!ok) return c.json({ error: "audit log unavailable" }, 503);
    return c.json(record);
  });

  app.post("/v1/bundle/reload", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const event = await svc.engine.reload();
    return c.json(event, event.kind === "loaded" ? 200 : 422);
  });

  app.post("/v1/keys/rotate", async (c) => {
    const p = await operator(c);
    if (p instanceof Response) return p;
    const key = svc.keyring.rotate();
    const ok = await svc.audited(ENTRY.keyRotated, { kid: key.kid, by: p.id }, () => {});
    if (!ok) return c.json({ error: "audit log unavailable" }, 503);
    return c.json({ kid: key.kid });
  });

  app.get("/.well-known/jwks.json", (c) => c.json(svc.keyring.jwks()));

  app.get("/health", (c) => {
    const failed = svc.audit.failed;
    const body = {
      status: failed ? "failing" : "ok",
      bundle: { revision: svc.engine.current.revision, digest: svc.engine.current.digest },
      audit: { seq: svc.audit.lastSeq, durable_seq: svc.audit.durableSeq, ...(failed ? { error: String(failed) } : {}) },
      kid: svc.keyring.current.kid,
    };
    return c.json(body, failed ? 503 : 200);
  });

  app.get("/metrics", (c) => c.text(svc.renderMetrics(), 200, { "content-type": "text/plain; version=0.0.4" }));

  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((err, c) => c.json({ error: `internal error: ${err.message}` }, 500));
  return app;
}
