// The JSON Schemas in schemas/: they compile under ajv's 2020-12 strict mode,
// accept what writ produces and consumes, and reject what they should.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { validate, validator, schemaDir, isDateTime, ajvOptions, type SchemaName } from "../src/contract/schemas.js";
import { examplePaths } from "../src/contract/example.js";
import type { DecideRequest, DecideResponse, PolicyDecision } from "../src/decide/types.js";

const names: SchemaName[] = ["common", "task-contract", "capability-manifest", "decide-request", "decide-response", "decision-log-entry", "conformance-fixture"];

test("every schema is draft 2020-12 and compiles in ajv strict mode", () => {
  const files = readdirSync(schemaDir).filter((f) => f.endsWith(".json")).sort();
  assert.deepEqual(files, names.map((n) => `${n}.json`).sort());
  for (const f of files) {
    const s = JSON.parse(readFileSync(new URL(f, schemaDir), "utf8"));
    assert.equal(s.$schema, "https://json-schema.org/draft/2020-12/schema", f);
  }
  for (const n of names) assert.equal(typeof validator(n), "function", n);
  // and against the 2020-12 meta-schema, which writ skips at run time
  const checked = new Ajv2020({ ...ajvOptions, validateSchema: true });
  checked.addFormat("date-time", { type: "string", validate: isDateTime });
  for (const f of files) checked.addSchema(JSON.parse(readFileSync(new URL(f, schemaDir), "utf8")));
  for (const n of names) assert.equal(typeof checked.getSchema(`urn:writ:schema:${n}`), "function", n);
  assert.throws(() => new Ajv2020({ ...ajvOptions, validateSchema: true }).addSchema({ $id: "urn:writ:schema:broken", type: "objekt" }), /schema is invalid/);
});

test("the example contracts and manifests are valid", () => {
  const p = examplePaths();
  for (const [dir, schema] of [[p.contracts, "task-contract"], [p.manifests, "capability-manifest"]] as const) {
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    assert.ok(files.length >= 2, dir);
    for (const f of files) assert.deepEqual(validate(schema, parseYaml(readFileSync(`${dir}/${f}`, "utf8"))), [], f);
  }
});

const request: DecideRequest = {
  request_id: "r-1",
  harness: "claude-code",
  session_id: "s-1",
  event: "pre_tool_use",
  tool: "Bash",
  action: {
    kind: "shell",
    command: "git push origin main",
    commands: [{ program: "git", name: "git", args: ["push", "origin", "main"] }],
  },
  cwd: "/work/webapp",
  contract_id: "fix-login-timeout",
  cost: { usd: 0.01 },
};

test("decide-request accepts a normalized action and names what is wrong with others", () => {
  assert.deepEqual(validate("decide-request", request), []);
  const errors = validate("decide-request", { ...request, event: "before", action: { kind: "shell", commands: [{ name: "git" }] }, extra: 1 });
  const got = errors.map((e) => `${e.instancePath} ${e.keyword}`).sort();
  assert.deepEqual(got, ["/action/commands/0 required", "/action/commands/0 required", " additionalProperties", "/event enum"].sort());
});

test("decide-response and the policy decision match src/decide/types.ts", () => {
  const response: DecideResponse = {
    decision: "approve",
    reasons: ["a package was installed"],
    rule_ids: ["acme.taint.push_after_install"],
    decision_id: "d-1",
    approval: { id: "a-1", expires_at: "2026-11-23T10:00:00Z" },
    bundle: { revision: "abc", digest: "00".repeat(32) },
    audit: { seq: 7, hash: "ff".repeat(32) },
    jws: "eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln",
  };
  assert.deepEqual(validate("decide-response", response), []);
  assert.ok(validate("decide-response", { ...response, decision: "maybe" }).length > 0);
  assert.ok(validate("decide-response", { ...response, jws: "not a jws" }).length > 0);
  // PolicyDecision, what writ/decision returns, is $defs.policy_decision
  const decision: PolicyDecision = { decision: "deny", reasons: ["r"], rule_ids: ["x"], labels: ["package_installed"] };
  assert.equal(validateRef("urn:writ:schema:decide-response#/$defs/policy_decision", decision), true);
  assert.equal(validateRef("urn:writ:schema:decide-response#/$defs/policy_decision", { decision: "deny", reasons: [] }), false);
});

function validateRef(ref: string, value: unknown): boolean {
  const ajv = new Ajv2020({ strict: false });
  for (const f of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(new URL(f, schemaDir), "utf8")));
  return ajv.validate({ $ref: ref }, value) as boolean;
}

test("decision-log-entry: a decision line as the audit log writes it", () => {
  const entry = {
    seq: 12,
    ts: "2026-11-23T09:00:00.123Z",
    prev: "a".repeat(64),
    type: "decision",
    data: {
      decision_id: "d-12",
      agent: "coder",
      session: "s-1",
      harness: "claude-code",
      event: "pre_tool_use",
      tool: "Bash",
      kind: "shell",
      contract_id: "fix-login-timeout",
      action_digest: "sha256:" + "b".repeat(64),
      decision: "allow",
      reasons: ["task contract fix-login-timeout covers this action"],
      rule_ids: ["writ.contract.grant", "writ.manifest.grant"],
      bundle: { revision: "r", digest: "c".repeat(64) },
      session_update: { kind: "shell", labels: ["validation_ran"] },
      eval_us: 41,
      input: request,
    },
    hash: "d".repeat(64),
  };
  assert.deepEqual(validate("decision-log-entry", entry), []);
  // a decision entry must carry the decision record
  const bad = { ...entry, data: { ...entry.data, decision: undefined } };
  delete (bad.data as Record<string, unknown>).decision;
  assert.ok(validate("decision-log-entry", bad).some((e) => e.keyword === "required"));
  // other entry types are loose
  assert.deepEqual(validate("decision-log-entry", { ...entry, type: "kill_set", data: { id: "k", scope: "all" } }), []);
  assert.ok(validate("decision-log-entry", { ...entry, hash: "short" }).length > 0);
});

test("conformance-fixture: the example suite is valid; mixed event forms are not", () => {
  const suite = parseYaml(readFileSync(new URL("../../examples/acme/fixtures/basics.yaml", import.meta.url), "utf8"));
  assert.deepEqual(validate("conformance-fixture", suite), []);
  const both = { suite: "x", events: [{ action: { tool: "Read", action: { kind: "file_read" } }, payload: {}, expect: { decision: "allow" } }] };
  assert.ok(validate("conformance-fixture", both).length > 0);
  const neither = { suite: "x", events: [{ name: "nothing", expect: { decision: "allow" } }] };
  assert.ok(validate("conformance-fixture", neither).length > 0);
  const extension = { suite: "x", "x-runner": { parallel: true }, events: [{ payload: { tool_name: "Bash" }, expect: { decision: "deny", answer: { exit_code: 2 } }, "x-note": "ok" }] };
  assert.deepEqual(validate("conformance-fixture", extension), []);
  const typo = { suite: "x", events: [{ payload: {}, expect: { decison: "deny" } }] };
  assert.ok(validate("conformance-fixture", typo).length > 0);
});

test("date-time format: RFC 3339 with a real calendar date", () => {
  for (const ok of ["2026-12-31T23:59:59Z", "2026-02-28T00:00:00.5+01:00", "2024-02-29T12:00:00Z"]) assert.ok(isDateTime(ok), ok);
  for (const bad of ["2026-02-30T00:00:00Z", "2026-12-31", "next tuesday", "2026-13-01T00:00:00Z", "2026-12-31T24:00:00Z"]) assert.ok(!isDateTime(bad), bad);
});
