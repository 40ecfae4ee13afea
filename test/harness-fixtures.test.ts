// The conformance fixture runner: the shipped suites through `writ test`
// (real process, real service in process, real compiled bundle), reports,
// exit codes, failing and malformed suites, normalize-only runs, and the
// HTTP backend against a real listening service.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshDir, root, runWrit } from "./harness-helpers.js";
import { runFixtureSuites } from "../src/harness/fixtures/run.js";
import { httpBackend } from "../src/harness/fixtures/http-backend.js";
import { tapReport } from "../src/harness/fixtures/report.js";

const acme = join(root, "examples/acme");

test("writ test conformance/: the bypass and harness-answer suites pass; TAP and JUnit", async () => {
  const junit = join(freshDir(), "junit.xml");
  const r = await runWrit(["test", join(root, "conformance"), "-f", "tap", "--junit", junit], "");
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^TAP version 13\n1\.\.\d+\n/);
  assert.doesNotMatch(r.stdout, /^not ok/m);
  assert.match(r.stdout, /^ok \d+ - bypass › sudo env$/m);
  assert.match(r.stdout, /^ok \d+ - harness-answers › codex retry after the grant carries the approval and is allowed$/m);
  const xml = readFileSync(junit, "utf8");
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="writ conformance" tests="\d+" failures="0" errors="0"/);
  assert.match(xml, /<testsuite name="bypass" file="[^"]+bypass\.yaml"/);
});

/** A suite file in a fresh directory, set up on the ACME example policy. */
function suiteFile(events: unknown[], extra: Record<string, unknown> = {}): string {
  const dir = freshDir("writ-fix-");
  const file = join(dir, "suite.yaml");
  const suite = {
    suite: "made-up",
    setup: { rego: join(acme, "policy"), contracts: join(acme, "contracts"), manifests: join(acme, "manifests"), agent: "coder", harness: "claude-code", contract: "fix-login-timeout", cwd: "/work/webapp", session: { id: "s-1" }, ...extra },
    events,
  };
  writeFileSync(file, JSON.stringify(suite)); // JSON is YAML
  return file;
}

const rmPayload = { hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "rm -rf /" }, tool_use_id: "t1" };

test("a fixture that expects the wrong verdict fails, with the reason, and exit 2", async () => {
  const file = suiteFile([{ name: "wrong on purpose", payload: rmPayload, expect: { decision: "allow", rule_ids: ["nope"], answer: { exit_code: 0 } } }]);
  const r = await runWrit(["test", file], "");
  assert.equal(r.code, 2);
  assert.match(r.stdout, /FAIL made-up › wrong on purpose\n  decision: expected allow, got deny/);
  assert.match(r.stdout, /rule_ids: nope missing/);
  assert.match(r.stdout, /answer exit code: expected 0, got 2/);
  assert.match(r.stdout, /fixtures: 0 passed, 1 failed/);
});

test("a malformed suite is reported with its schema errors, exit 1", async () => {
  const dir = freshDir("writ-fix-");
  const file = join(dir, "bad.yaml");
  writeFileSync(file, "suite: bad\nevents:\n  - name: no expectation\n    action: { tool: Read, action: { kind: file_read } }\n    expct: { decision: allow }\n");
  const r = await runWrit(["test", file], "");
  assert.equal(r.code, 1);
  assert.match(r.stdout, /ERROR .*bad\.yaml: not a conformance fixture suite/);
});

test("YAML that is not a suite is left to the Rego runner, and fixture suites are kept from it", async () => {
  const dir = freshDir("writ-fix-");
  mkdirSync(join(dir, "policy"));
  writeFileSync(join(dir, "policy", "p.rego"), "package p\n\ntest_ok if true\n");
  writeFileSync(join(dir, "policy", "data.yaml"), "x: 1\n");
  writeFileSync(join(dir, "s.yaml"), readFileSync(suiteFile([{ payload: rmPayload, expect: { decision: "deny" } }])));
  const r = await runWrit(["test", dir], "");
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS: 1\/1/);
  assert.match(r.stdout, /fixtures: 1 passed, 0 failed/);
});

test("labels, operator grants and per-event agents, clocks and sessions", async () => {
  const push = { tool: "Bash", action: { kind: "shell", command: "git push origin fix/login-timeout", commands: [{ program: "git", name: "git", args: ["push", "origin", "fix/login-timeout"] }] } };
  const file = suiteFile([
    { name: "install", action: { tool: "Bash", action: { kind: "shell", command: "npm ci", commands: [{ program: "npm", name: "npm", args: ["ci"] }] } }, expect: { decision: "allow", labels: ["package_installed"] } },
    { name: "push needs a human", action: push, expect: { decision: "approve" } },
    { operator: { grant: true } },
    { name: "the retry is allowed", action: push, expect: { decision: "allow", reasons: ["approved by fixture-operator"] } },
    { name: "expired", now: "2027-06-01T00:00:00Z", action: { tool: "Read", action: { kind: "file_read", paths: ["/work/webapp/src/auth/a.ts"] } }, expect: { decision: "deny", rule_ids: ["writ.contract.expired"] } },
    { name: "another agent", agent: "reviewer", action: { tool: "Read", action: { kind: "file_read", paths: ["/work/webapp/src/auth/a.ts"] } }, expect: { decision: "deny", rule_ids: ["writ.contract.agent_not_assigned"] } },
    { name: "a session that read untrusted content", session: { labels: ["untrusted_content"] }, action: { tool: "Bash", action: { kind: "shell", command: "git commit -m x", commands: [{ program: "git", name: "git", args: ["commit", "-m", "x"] }] } }, expect: { decision: "approve", rule_ids: ["acme.taint.untrusted_then_shell"] } },
    { name: "skipped on purpose", skip: "documented elsewhere", action: push, expect: { decision: "allow" } },
  ]);
  const rep = await runFixtureSuites([file]);
  const results = rep.suites[0].results;
  assert.deepEqual(
    results.map((r) => [r.name, r.status, r.failures]),
    [
      ["install", "pass", []],
      ["push needs a human", "pass", []],
      ["event 3", "pass", []],
      ["the retry is allowed", "pass", []],
      ["expired", "pass", []],
      ["another agent", "pass", []],
      ["a session that read untrusted content", "pass", []],
      ["skipped on purpose", "skip", []],
    ],
  );
  assert.equal(rep.exitCode, 0);
  assert.match(tapReport(rep), /^ok 8 - made-up › skipped on purpose # SKIP documented elsewhere$/m);
});

test("task_usage presets what the suite's contract has used, for its total_budget", async () => {
  const contracts = freshDir("writ-fix-contracts-");
  for (const f of ["fix-login-timeout.yaml", "upgrade-lodash.yaml", "review-pr-482.yaml"]) writeFileSync(join(contracts, f), readFileSync(join(acme, "contracts", f), "utf8"));
  writeFileSync(join(contracts, "fix-login-timeout.yaml"), readFileSync(join(acme, "contracts/fix-login-timeout.yaml"), "utf8") + "total_budget: { tool_calls: 10 }\n");
  const read = { tool: "Read", action: { kind: "file_read", paths: ["/work/webapp/src/auth/a.ts"] } };
  const file = suiteFile(
    [
      { name: "the task has used its 10 calls", action: read, expect: { decision: "deny", rule_ids: ["writ.contract.total_budget_exceeded"] } },
      { name: "preset on the event", task_usage: { tool_calls: 8 }, action: read, expect: { decision: "allow" } },
      { name: "counted on from there: the 10th", action: read, expect: { decision: "allow" } },
      { name: "the 11th", action: read, expect: { decision: "deny", rule_ids: ["writ.contract.total_budget_exceeded"] } },
    ],
    { contracts, task_usage: { tool_calls: 10 } },
  );
  const rep = await runFixtureSuites([file]);
  assert.deepEqual(
    rep.suites[0].results.map((r) => [r.name, r.status, r.failures]),
    [
      ["the task has used its 10 calls", "pass", []],
      ["preset on the event", "pass", []],
      ["counted on from there: the 10th", "pass", []],
      ["the 11th", "pass", []],
    ],
  );
});

test("normalize-only: x-normalized is checked without a service; verdicts are skipped", async () => {
  const file = suiteFile([
    { name: "normalized", payload: { ...rmPayload, tool_input: { command: "sudo bash -c 'rm -rf /'" } }, expect: { decision: "deny", "x-normalized": { action: { commands: [{ name: "rm", via: ["sudo", "bash -c"] }] } } } },
    { name: "wrongly normalized", payload: rmPayload, expect: { decision: "deny", "x-normalized": { action: { kind: "file_read" } } } },
    { name: "verdict only", payload: rmPayload, expect: { decision: "deny" } },
  ]);
  const rep = await runFixtureSuites([file], { normalizeOnly: true });
  assert.deepEqual(
    rep.suites[0].results.map((r) => [r.name, r.status]),
    [
      ["normalized", "pass"],
      ["wrongly normalized", "fail"],
      ["verdict only", "skip"],
    ],
  );
  assert.match(rep.suites[0].results[1].failures[0], /request\.action\.kind: expected "file_read", got "shell"/);
  const strict = await runFixtureSuites([file], { normalizeOnly: true, requireDecisions: true });
  assert.equal(strict.suites[0].results[2].status, "fail");
});

test("the HTTP backend asks a listening writ service; what it cannot control is skipped, not guessed", async () => {
  const { Service } = await import("../src/server/service.js");
  const { buildPolicyBundle } = await import("../src/contract/build.js");
  const { readBundle } = await import("../src/bundle/read.js");
  const { WasmPolicyEngine } = await import("../src/engine/wasm.js");
  const built = await buildPolicyBundle({ rego: [join(acme, "policy")], contracts: [join(acme, "contracts")], manifests: [join(acme, "manifests")] });
  const engine = await WasmPolicyEngine.fromBundle(readBundle(built.bytes, { allowUnsigned: true }));
  const svc = await Service.start({ dataDir: freshDir("writ-svc-"), loadEngine: async () => engine, port: 0, signingThread: false, evalTimeoutMs: 30_000 });
  try {
    const token = svc.credentials.issue("coder");
    const operatorToken = svc.credentials.issue("ops", "operator");
    const push = { tool: "Bash", action: { kind: "shell", command: "git push origin fix/login-timeout", commands: [{ program: "git", name: "git", args: ["push", "origin", "fix/login-timeout"] }] } };
    const file = suiteFile([
      { name: "deny over HTTP", payload: rmPayload, expect: { decision: "deny", rule_ids: ["acme.shell.destructive"], answer: { exit_code: 2 } } },
      { name: "install", action: { tool: "Bash", action: { kind: "shell", command: "npm ci", commands: [{ program: "npm", name: "npm", args: ["ci"] }] } }, expect: { decision: "allow", labels: ["package_installed"] } },
      { name: "approve", action: push, expect: { decision: "approve" } },
      { operator: { grant: true } },
      { name: "granted", action: push, expect: { decision: "allow" } },
      { name: "clock", now: "2027-06-01T00:00:00Z", action: { tool: "Read", action: { kind: "file_read", paths: ["/work/webapp/src/auth/a.ts"] } }, expect: { decision: "deny", rule_ids: ["writ.contract.expired"] } },
    ]);
    const rep = await runFixtureSuites([file], { backend: httpBackend({ url: svc.url, token, operatorToken }) });
    const r = rep.suites[0].results;
    assert.deepEqual(
      r.map((x) => [x.name, x.status]),
      [
        ["deny over HTTP", "pass"],
        ["install", "pass"],
        ["approve", "pass"],
        ["event 4", "pass"],
        ["granted", "pass"],
        ["clock", "skip"],
      ],
    );
    assert.match(r[1].notes.join(), /labels not checked: a remote service does not report the labels it adds/);
    assert.match(r[5].notes.join(), /verdict may differ: a remote service's clock cannot be set/);
  } finally {
    await svc.close();
  }
});
