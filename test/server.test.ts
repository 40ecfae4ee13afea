// The HTTP layer of a real service on 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { SignJWT, exportJWK } from "jose";
import { startTestService, action, tempDir } from "./support/service.js";
import { verifyDecisionJws } from "../src/sign/decision.js";
import { canonicalJson, sha256Hex } from "../src/decide/canonical.js";
import { testEngine } from "./support/policy.js";
import type { ServiceOptions } from "../src/server/service.js";

// the decision route's three HTTP paths: its own (the default), node:http's
// listener without hono, and the hono route
const PATHS: [string, Partial<ServiceOptions>][] = [
  ["own HTTP path", {}],
  ["node:http listener", { fastDecidePath: false }],
  ["hono route", { directDecidePath: false }],
];

for (const [pathName, pathOptions] of PATHS) {
test(`decide answers a signed verdict bound to the action, the bundle and the audit entry (${pathName})`, async () => {
  const t = await startTestService(pathOptions);
  try {
    const body = action({ request_id: "r-1", agent_id: "agent-1" });
    const r = await t.decide(body);
    assert.equal(r.status, 200);
    assert.equal(r.json.decision, "allow");
    const jwks = (await t.call("GET", "/.well-known/jwks.json", undefined, "")).json;
    const v = await verifyDecisionJws(r.json.jws, jwks);
    const { request_id: _r, agent_id: _a, ...act } = body;
    assert.equal(v.claims.action_digest, sha256Hex(canonicalJson(act)));
    assert.equal(v.claims.jti, r.json.decision_id);
    assert.equal(v.claims.sub, "agent-1");
    assert.equal(v.claims.sid, "s1");
    assert.deepEqual(v.claims.bundle, r.json.bundle);
    assert.deepEqual(v.claims.audit, r.json.audit);
    assert.equal(r.json.bundle.revision, "test-1");
    assert.equal(t.svc.audit.durableSeq >= r.json.audit.seq, true, "answered only once durable");
  } finally {
    await t.close();
  }
});
}

test("callers must authenticate; the agent comes from the credential, never the body", async () => {
  const t = await startTestService();
  try {
    assert.equal((await t.decide(action(), "")).status, 401);
    assert.equal((await t.decide(action(), "writ_ag_not-a-token")).status, 401);
    assert.equal((await t.decide(action(), t.operator)).status, 401, "operator tokens do not decide");
    const spoof = await t.decide(action({ agent_id: "root-agent" }));
    assert.equal(spoof.status, 403);
  } finally {
    await t.close();
  }
});

test("JWTs from the configured issuer authenticate agents", async () => {
  const dir = tempDir();
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwksPath = join(dir, "idp-jwks.json");
  writeFileSync(jwksPath, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "idp-1", alg: "EdDSA" }] }));
  const t = await startTestService({ dataDir: join(dir, "data"), jwt: { issuer: "https://idp.test", jwks: jwksPath } });
  const jwt = (iss: string) => new SignJWT({}).setProtectedHeader({ alg: "EdDSA", kid: "idp-1" }).setIssuer(iss).setSubject("ci-bot").setExpirationTime("5m").sign(privateKey);
  try {
    const ok = await t.decide(action(), await jwt("https://idp.test"));
    assert.equal(ok.status, 200);
    const v = await verifyDecisionJws(ok.json.jws, (await t.call("GET", "/.well-known/jwks.json")).json);
    assert.equal(v.claims.sub, "ci-bot");
    assert.equal((await t.decide(action(), await jwt("https://evil.test"))).status, 401);
  } finally {
    await t.close();
  }
});

for (const [pathName, pathOptions] of PATHS) {
test(`a bad request gets 400 listing every schema error; garbage never crashes the service (${pathName})`, async () => {
  const t = await startTestService(pathOptions);
  try {
    const bad = await t.decide({ harness: "h", session_id: "", event: "later", tool: "T", action: { kind: "teleport" }, extra: true });
    assert.equal(bad.status, 400);
    const paths = bad.json.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ["/", "/action/kind", "/event", "/session_id"]);
    for (const junk of ["", "{", "null", "[]", "42", '"x"', "{\"action\":{}}", "\u0000\u0001", '{"__proto__":{"x":1}}']) {
      const r = await t.decide(junk);
      assert.equal(r.status, 400, `for ${JSON.stringify(junk)}`);
    }
    // deep nesting inside the free-form `raw` field: refused, never a crash
    const deep = JSON.stringify(action()).replace('"kind":"file_read"', '"kind":"file_read","raw":' + "[".repeat(100_000) + "]".repeat(100_000));
    assert.equal((await t.decide(deep)).status, 400);
    const nested = JSON.stringify(action()).replace('"kind":"file_read"', '"kind":"file_read","raw":' + "[".repeat(70) + "]".repeat(70));
    assert.match((await t.decide(nested)).json.error, /deeper than 64/);
    const big = await t.decide(action({ action: { kind: "prompt", prompt: "x".repeat(300 * 1024) } }));
    assert.equal(big.status, 413);
    assert.equal((await t.call("GET", "/health", undefined, "")).status, 200);
  } finally {
    await t.close();
  }
});
}

test("a retry with the same request id gets the same answer; reusing it for another action is refused", async () => {
  const t = await startTestService();
  try {
    const body = action({ request_id: "same" });
    const a = await t.decide(body);
    const b = await t.decide(body);
    assert.deepEqual(b.json, a.json);
    const c = await t.decide({ ...body, tool: "Write" });
    assert.equal(c.status, 409);
  } finally {
    await t.close();
  }
});

test("an audit write failure answers 503 (deny) and health reports it", async () => {
  const t = await startTestService();
  try {
    // the disk fills up: writes to the log fail with ENOSPC
    (t.svc.audit as unknown as { fd: number }).fd = openSync("/dev/full", "w");
    const r = await t.decide(action());
    assert.equal(r.status, 503);
    assert.equal(r.json.decision, "deny");
    assert.equal(t.svc.signer.outstanding, 0, "the unanswered decision's signature is not kept");
    assert.equal((await t.decide(action())).status, 503, "stays failed: fail closed until restart");
    assert.equal((await t.call("GET", "/health", undefined, "")).status, 503);
    assert.match((await t.call("GET", "/metrics", undefined, "")).json, /writ_audit_failed 1/);
  } finally {
    await t.close().catch(() => {});
  }
});

test("metrics count decisions by verdict with a latency histogram and audit lag", async () => {
  const t = await startTestService();
  try {
    await t.decide(action());
    await t.decide(action({ tool: "Bash", action: { kind: "shell", command: "rm -rf /", commands: [{ program: "rm", name: "rm", args: ["-rf", "/"] }] } }));
    const m = (await t.call("GET", "/metrics", undefined, "")).json as string;
    assert.match(m, /writ_decisions_total\{decision="allow"\} 1/);
    assert.match(m, /writ_decisions_total\{decision="deny"\} 1/);
    assert.match(m, /writ_decide_duration_seconds_count 2/);
    assert.match(m, /writ_audit_lag_entries 0/);
  } finally {
    await t.close();
  }
});

test("hot swap: a new bundle replaces the old atomically; a failing one keeps the old, and both are audited", async () => {
  let next: "ok" | "broken" = "ok";
  let revision = 1;
  const t = await startTestService({
    loadEngine: async () => {
      if (next === "broken") throw new Error("signature does not verify");
      return testEngine(`rev-${revision}`);
    },
  });
  try {
    assert.equal((await t.decide(action())).json.bundle.revision, "rev-1");
    revision = 2;
    const swapped = await t.call("POST", "/v1/bundle/reload");
    assert.equal(swapped.status, 200);
    assert.equal((await t.decide(action())).json.bundle.revision, "rev-2");
    next = "broken";
    const refused = await t.call("POST", "/v1/bundle/reload");
    assert.equal(refused.status, 422);
    assert.match(refused.json.error, /signature/);
    const still = await t.decide(action());
    assert.equal(still.json.bundle.revision, "rev-2");
    assert.equal(still.json.decision, "allow");
    const text = (await t.call("GET", "/metrics", undefined, "")).json as string;
    assert.match(text, /writ_bundle_info\{revision="rev-2"/);
  } finally {
    await t.close();
  }
});

test("key rotation by an operator: new kid signs, the old key stays in the JWKS", async () => {
  const t = await startTestService();
  try {
    const before = await t.decide(action());
    const rotated = await t.call("POST", "/v1/keys/rotate");
    const after = await t.decide(action());
    const jwks = (await t.call("GET", "/.well-known/jwks.json", undefined, "")).json;
    assert.equal(jwks.keys.length, 2);
    assert.equal((await verifyDecisionJws(after.json.jws, jwks)).kid, rotated.json.kid);
    assert.notEqual((await verifyDecisionJws(before.json.jws, jwks)).kid, rotated.json.kid);
  } finally {
    await t.close();
  }
});

test("in process, without a port: app.fetch answers decisions (for adapters and fixture runners)", async () => {
  const t = await startTestService({ noListen: true });
  try {
    const res = await t.svc.app.fetch(
      new Request("http://writ.local/v1/decide", { method: "POST", headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" }, body: JSON.stringify(action()) }),
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as { decision: string; jws: string };
    assert.equal(body.decision, "allow");
    assert.equal((await verifyDecisionJws(body.jws, t.svc.keyring.jwks())).claims.sub, "agent-1");
  } finally {
    await t.close();
  }
});
