// The operator commands against a running service, and audit forwarding.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { promisify } from "node:util";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { startTestService, action } from "./support/service.js";
import { root } from "./support/policy.js";

const run = promisify(execFile);
const writ = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [join(root, "bin/writ.js"), ...args], { env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

test("writ kill sets, lists and lifts a kill switch on a running service", async () => {
  const t = await startTestService();
  try {
    const env = { WRIT_URL: t.svc.url, WRIT_OPERATOR_TOKEN: t.operator };
    const set = await writ(["kill", "--tool", "Read", "--reason", "exfiltration suspected"], env);
    assert.equal(set.code, 0, set.stderr);
    const id = JSON.parse(set.stdout).id;
    const halted = await t.decide(action());
    assert.equal(halted.json.decision, "deny");
    assert.match(halted.json.reasons[0], /exfiltration suspected/);
    const list = await writ(["kill", "--list"], env);
    assert.equal(JSON.parse(list.stdout).switches[0].id, id);
    assert.equal((await writ(["kill", "--lift", id, "--reason", "false alarm"], env)).code, 0);
    assert.equal((await t.decide(action())).json.decision, "allow");
    // an agent token is not enough
    assert.equal((await writ(["kill", "--all", "--reason", "x"], { ...env, WRIT_OPERATOR_TOKEN: t.token })).code, 1);
    assert.equal((await writ(["kill", "--reason", "which?"], env)).code, 2);
  } finally {
    await t.close();
  }
});

test("writ token issues tokens that authenticate after a restart, and revokes them", async () => {
  const t = await startTestService();
  const dir = t.dir;
  await t.svc.close();
  const issued = await writ(["token", "issue", "ci-bot", "--data-dir", dir]);
  assert.equal(issued.code, 0);
  const token = issued.stdout.trim();
  const t2 = await startTestService({ dataDir: dir });
  try {
    assert.equal((await t2.decide(action(), token)).status, 200);
  } finally {
    await t2.svc.close();
  }
  const t3 = await startTestService({ dataDir: dir });
  try {
    assert.equal((await t3.decide(action(), token)).status, 200);
    assert.match((await writ(["token", "revoke", "ci-bot", "--data-dir", dir])).stdout, /revoked 1/);
    t3.svc.credentials.reload(); // what SIGHUP does in `writ serve`
    assert.equal((await t3.decide(action(), token)).status, 401);
  } finally {
    await t3.close();
  }
});

test("durable entries are forwarded to an HTTP sink as JSON arrays", async () => {
  const received: { seq: number; type: string }[] = [];
  const sink = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push(...(JSON.parse(body) as { seq: number; type: string }[]));
      res.end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
  const t = await startTestService({ forwardUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/logs` });
  try {
    const d = await t.decide(action());
    for (let i = 0; i < 150 && !received.some((e) => e.seq === d.json.audit.seq); i++) await new Promise((r) => setTimeout(r, 100));
    const e = received.find((x) => x.seq === d.json.audit.seq);
    assert.ok(e, "the decision's entry reached the sink");
    assert.equal(e.type, "decision");
    assert.match((await t.call("GET", "/metrics", undefined, "")).json, /writ_audit_forward_lag_entries \d+/);
  } finally {
    await t.close();
    sink.close();
  }
});

test("writ verify checks a decision offline against a saved JWKS or the live one; writ audit verify and export read the log", async () => {
  const t = await startTestService();
  const { writeFileSync, readdirSync, readFileSync, rmSync } = await import("node:fs");
  try {
    const d = await t.decide(action());
    const jwksPath = join(t.dir, "..", `jwks-${process.pid}.json`);
    writeFileSync(jwksPath, JSON.stringify((await t.call("GET", "/.well-known/jwks.json", undefined, "")).json));
    const ok = await writ(["verify", d.json.jws, "--jwks", jwksPath, "--json"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).claims.jti, d.json.decision_id);
    assert.equal((await writ(["verify", d.json.jws, "--jwks", `${t.svc.url}/.well-known/jwks.json`])).code, 0);
    const pub = join(t.dir, "keys", readdirSync(join(t.dir, "keys")).find((n) => n.endsWith(".pub.pem"))!);
    assert.equal((await writ(["verify", d.json.jws, "--key", pub])).code, 0);
    const [h, p, s] = d.json.jws.split(".");
    const forged = Buffer.from(Buffer.from(p, "base64url").toString().replace('"allow"', '"deny"')).toString("base64url");
    const bad = await writ(["verify", `${h}.${forged}.${s}`, "--jwks", jwksPath]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /INVALID/);

    await t.svc.close();
    const good = await writ(["audit", "verify", t.dir, "--key", jwksPath]);
    assert.equal(good.code, 0, good.stdout);
    const exported = await writ(["audit", "export", t.dir, "--format", "opa"]);
    const events = exported.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(events.length, 1);
    assert.equal(events[0].decision_id, d.json.decision_id);
    assert.equal(events[0].result.decision, "allow");

    // tamper with the decision's entry: verify names its seq
    const seg = join(t.dir, "audit/segments", readdirSync(join(t.dir, "audit/segments"))[0]);
    writeFileSync(seg, readFileSync(seg, "utf8").replace('"decision":"allow"', '"decision":"deny"'));
    const tampered = await writ(["audit", "verify", t.dir, "--key", jwksPath]);
    assert.equal(tampered.code, 1);
    assert.match(tampered.stdout, new RegExp(`seq ${d.json.audit.seq}: modified`));
    assert.equal((await writ(["audit", "verify", t.dir])).code, 2, "a key is required");
    rmSync(jwksPath);
  } finally {
    await t.close().catch(() => {});
  }
});
