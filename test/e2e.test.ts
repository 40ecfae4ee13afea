// End to end, through the `writ` command in child processes: build a signed
// bundle → `writ serve` → decide over HTTP → verify the JWS against the JWKS
// (`writ verify`) → hot-swap a new bundle, refuse a mis-signed one → stop →
// `writ audit verify` → `writ audit export --format opa`.
// Then the same through the example organisation's bundle (examples/acme),
// as `npm start` serves it. Each is skipped, saying why, while the compiler
// cannot build its policy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { tempDir, action } from "./support/service.js";
import { root } from "./support/policy.js";
import { compileRego } from "../src/rego/compile.js";
import { writeBundle } from "../src/bundle/index.js";
import { buildExampleBundle } from "../src/contract/example.js";

const writ = (args: string[], input?: string) => spawnSync(process.execPath, [join(root, "bin/writ.js"), ...args], { encoding: "utf8", input });

// the engine tests' policy: it needs the fewest builtins of the test policies
const policySource = readFileSync(join(root, "test/fixtures/engine-policy.rego"), "utf8");
let wasm: Uint8Array | undefined;
try {
  wasm = (await compileRego({ modules: [{ path: "engine-policy.rego", source: policySource }], entrypoints: ["writ/decision"] })).wasm;
} catch {
  // reported as the skip reason below
}
const missing = !wasm ? "compileRego cannot build the test policy yet" : undefined;
const data = { policy: { taint_label: "secrets_read" } };

function makeBundle(revision: string, keyPem: string | undefined): Uint8Array {
  return writeBundle(
    { manifest: { revision, roots: [""], wasm: [{ entrypoint: "writ/decision", module: "/policy.wasm" }] }, wasm: wasm!, data, files: { "engine-policy.rego": policySource } },
    keyPem ? { signingKey: keyPem } : {},
  );
}

async function serve(args: string[], agentName = "agent-1"): Promise<{ child: ChildProcess; url: string; agent: string; operator: string }> {
  const child = spawn(process.execPath, [join(root, "bin/writ.js"), "serve", "--port", "0", "--issue-token", agentName, "--issue-operator", "e2e-op", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const found: Record<string, string> = {};
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /^writ serve: (\S+)/.exec(line) ?? new RegExp(`^agent token for ${agentName}: (\\S+)`).exec(line) ?? /^operator token for e2e-op: (\S+)/.exec(line);
    if (m) found[line.startsWith("writ") ? "url" : line.startsWith("agent") ? "agent" : "operator"] = m[1];
    if (found.url && found.agent && found.operator) break;
  }
  if (!found.operator) throw new Error(`writ serve did not start: ${stderr}`);
  return { child, url: found.url, agent: found.agent, operator: found.operator };
}

test("build → serve → decide → verify the JWS → hot swap → verify the audit log", { skip: missing }, async () => {
  const dir = tempDir("writ-e2e-");
  const trusted = generateKeyPairSync("ed25519");
  const other = generateKeyPairSync("ed25519");
  const pem = (k: typeof trusted.privateKey) => k.export({ format: "pem", type: "pkcs8" }) as string;
  const bundlePath = join(dir, "bundle.tar.gz");
  const pubPath = join(dir, "trusted.pub.pem");
  writeFileSync(pubPath, trusted.publicKey.export({ format: "pem", type: "spki" }));
  const dataDir = join(dir, "data");

  // refused: unsigned, and signed by a key that is not trusted
  writeFileSync(bundlePath, makeBundle("r0", undefined));
  let r = writ(["serve", "--bundle", bundlePath, "--trust-key", pubPath, "--data-dir", dataDir, "--port", "0"]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /sign/i);
  writeFileSync(bundlePath, makeBundle("r0", pem(other.privateKey)));
  r = writ(["serve", "--bundle", bundlePath, "--trust-key", pubPath, "--data-dir", dataDir, "--port", "0"]);
  assert.equal(r.status, 1, r.stderr);

  writeFileSync(bundlePath, makeBundle("r1", pem(trusted.privateKey)));
  const { child, url, agent, operator } = await serve(["--bundle", bundlePath, "--trust-key", pubPath, "--data-dir", dataDir]);
  const read = () => action({ agent_id: "agent-1" });
  try {
    const decide = async (body: unknown) => {
      const res = await fetch(url + "/v1/decide", { method: "POST", headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as { decision: string; jws: string; decision_id: string; bundle: { revision: string } } };
    };
    const allowed = await decide(read());
    assert.equal(allowed.status, 200);
    assert.equal(allowed.json.decision, "allow");
    assert.equal(allowed.json.bundle.revision, "r1");
    const denied = await decide(action({ tool: "Bash", action: { kind: "shell", command: "rm -rf /", commands: [{ program: "rm", name: "rm", args: ["-rf", "/"] }] } }));
    assert.equal(denied.json.decision, "deny");

    // offline verification with the published JWKS, fetched and saved
    const jwksPath = join(dir, "jwks.json");
    writeFileSync(jwksPath, await (await fetch(url + "/.well-known/jwks.json")).text());
    const v = writ(["verify", allowed.json.jws, "--jwks", jwksPath, "--json"]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const claims = JSON.parse(v.stdout).claims;
    assert.equal(claims.jti, allowed.json.decision_id);
    assert.equal(claims.sub, "agent-1");
    const [h, p, s] = denied.json.jws.split(".");
    const forged = Buffer.from(Buffer.from(p, "base64url").toString().replace('"deny"', '"allow"')).toString("base64url");
    assert.equal(writ(["verify", `${h}.${forged}.${s}`, "--jwks", jwksPath]).status, 1);

    // hot swap: a new signed bundle replaces the old; a mis-signed one is refused
    const swap = (bytes: Uint8Array) => {
      writeFileSync(bundlePath + ".new", bytes);
      renameSync(bundlePath + ".new", bundlePath);
    };
    swap(makeBundle("r2", pem(trusted.privateKey)));
    let revision = "";
    for (let i = 0; i < 100 && revision !== "r2"; i++) {
      await new Promise((res) => setTimeout(res, 100));
      revision = (await decide(read())).json.bundle.revision;
    }
    assert.equal(revision, "r2");
    swap(makeBundle("r3", pem(other.privateKey)));
    // the watcher notices in its own time; a reload asked for now answers now
    const reload = await fetch(url + "/v1/bundle/reload", { method: "POST", headers: { authorization: `Bearer ${operator}` } });
    assert.equal(reload.status, 422);
    assert.match(((await reload.json()) as { error: string }).error, /signature/);
    assert.equal((await decide(read())).json.bundle.revision, "r2", "the mis-signed bundle is refused, the old one kept");
  } finally {
    child.kill("SIGTERM");
    await new Promise((res) => child.once("exit", res));
  }
  assert.equal(child.exitCode, 0);

  const av = writ(["audit", "verify", dataDir, "--key", join(dir, "jwks.json")]);
  assert.equal(av.status, 0, av.stdout + av.stderr);
  assert.match(av.stdout, /^ok: /m);
  const lines = readFileSync(join(dataDir, "audit/segments/00000000000000000001.log"), "utf8");
  assert.match(lines, /"type":"bundle_rejected"/);
  const ex = writ(["audit", "export", dataDir, "--format", "opa"]);
  assert.equal(ex.status, 0);
  const events = ex.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.ok(events.length >= 4);
  assert.ok(events.every((e) => e.path === "writ/decision" && e.decision_id));
  rmSync(dir, { recursive: true });
});

let exampleMissing: string | undefined;
try {
  await buildExampleBundle();
} catch (err) {
  exampleMissing = `the example bundle does not build yet: ${(err as Error).message.split("\n")[0]}`;
}

test("the example organisation's bundle: writ serve --example → decide → verify the JWS → verify the audit log", { skip: exampleMissing }, async () => {
  const dir = tempDir("writ-e2e-example-");
  const dataDir = join(dir, "data");
  const { child, url, agent } = await serve(["--example", "--data-dir", dataDir], "coder");
  const event = (tool: string, act: Record<string, unknown>) => ({
    harness: "claude-code", session_id: "s-e2e", event: "pre_tool_use", tool, cwd: "/work/webapp", model: "claude-sonnet-4-5", contract_id: "fix-login-timeout", action: act,
  });
  const decide = async (body: unknown) => {
    const res = await fetch(url + "/v1/decide", { method: "POST", headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return (await res.json()) as { decision: string; rule_ids: string[]; jws: string; decision_id: string; bundle: { revision: string } };
  };
  let jwks: string;
  const ids: string[] = [];
  try {
    const read = await decide(event("Read", { kind: "file_read", paths: ["/work/webapp/src/auth/login.ts"] }));
    assert.equal(read.decision, "allow", JSON.stringify(read));
    assert.ok(read.rule_ids.includes("writ.contract.grant"));
    const secret = await decide(event("Read", { kind: "file_read", paths: ["/work/webapp/.env"] }));
    assert.equal(secret.decision, "deny");
    assert.ok(secret.rule_ids.includes("acme.secrets.file"));
    const outside = await decide(event("Write", { kind: "file_write", paths: ["/work/webapp/src/billing/invoice.ts"] }));
    assert.equal(outside.decision, "deny");
    ids.push(read.decision_id, secret.decision_id, outside.decision_id);
    jwks = await (await fetch(url + "/.well-known/jwks.json")).text();
    writeFileSync(join(dir, "jwks.json"), jwks);
    for (const d of [read, secret, outside]) {
      const v = writ(["verify", d.jws, "--jwks", join(dir, "jwks.json"), "--json"]);
      assert.equal(v.status, 0, v.stdout + v.stderr);
      const claims = JSON.parse(v.stdout).claims;
      assert.equal(claims.decision, d.decision);
      assert.equal(claims.sub, "coder");
      assert.deepEqual(claims.bundle.revision, d.bundle.revision);
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((res) => child.once("exit", res));
  }
  const av = writ(["audit", "verify", dataDir, "--key", join(dir, "jwks.json")]);
  assert.equal(av.status, 0, av.stdout + av.stderr);
  const events = writ(["audit", "export", dataDir, "--format", "opa"]).stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => e.decision_id), ids);
  rmSync(dir, { recursive: true });
});

test("Claude Code's HTTP hook on writ serve: allow is an empty 200, deny and every failure a 200 that denies", { skip: exampleMissing }, async () => {
  const dir = tempDir("writ-e2e-hook-");
  const { child, url, agent } = await serve(["--example", "--data-dir", join(dir, "data")], "coder");
  const hook = async (payload: unknown, token: string | undefined, query = "?contract=fix-login-timeout") => {
    const res = await fetch(`${url}/v1/hooks/claude-code${query}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
    return { status: res.status, body: await res.text() };
  };
  const pre = (tool_name: string, tool_input: Record<string, unknown>) => ({
    session_id: "s-hook", transcript_path: "/tmp/t.jsonl", cwd: "/work/webapp", hook_event_name: "PreToolUse", tool_name, tool_input,
  });
  // PreToolUse's denial, or the generic block when the event is unknown
  const denies = (body: string) => {
    const v = JSON.parse(body) as { decision?: string; hookSpecificOutput?: { permissionDecision?: string } };
    return v.hookSpecificOutput?.permissionDecision === "deny" || v.decision === "block";
  };
  try {
    const read = await hook(pre("Read", { file_path: "/work/webapp/src/auth/login.ts" }), agent);
    assert.equal(read.status, 200);
    assert.equal(read.body, "", "allow is no objection");
    const rm = await hook(pre("Bash", { command: "bash -c 'rm -rf /'" }), agent);
    assert.equal(rm.status, 200);
    assert.ok(denies(rm.body), rm.body);
    assert.match(rm.body, /acme\.shell\.destructive/);
    const noToken = await hook(pre("Read", { file_path: "/work/webapp/src/auth/login.ts" }), undefined);
    assert.equal(noToken.status, 200);
    assert.ok(denies(noToken.body), noToken.body);
    const garbage = await hook("{not json", agent);
    assert.equal(garbage.status, 200);
    assert.ok(denies(garbage.body), garbage.body);
  } finally {
    child.kill("SIGTERM");
    await new Promise((res) => child.once("exit", res));
  }
});
