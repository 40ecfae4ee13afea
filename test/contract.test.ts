// Task contracts and capability manifests: loading, every problem at once at
// file:line:col, cross-file checks, and what the compiler emits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { checkDocumentText, loadPolicyDocuments } from "../src/contract/load.js";
import { compileDocuments } from "../src/contract/compile.js";
import { ContractError, type SourceProblem } from "../src/contract/problems.js";
import { checkRegoBody } from "../src/contract/rego-body.js";
import { globProblem } from "../src/contract/globs.js";
import { examplePaths } from "../src/contract/example.js";

const root = join(fileURLToPath(import.meta.url), "../../..");

/** line and column (1-based) where `needle` first occurs in `text` */
function at(text: string, needle: string, from = 0): { line: number; col: number } {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `${needle} not in text`);
  const before = text.slice(0, i).split("\n");
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

const badContract = `kind: TaskContract
id: "bad id!"
owner: web-platform@acme.example
agents: []
repo:
  url: https://github.com/acme/webapp
paths:
  allowed: ["src/**"]
tools: [Read]
intended_change: Make it faster.
budget:
  usd: -1
  dollars: 5
expires_at: next tuesday
escalation_triggers:
  - id: t1
    reason: needs a human
`;

test("a contract with several schema errors reports all of them, each at file:line:col", () => {
  const { problems } = checkDocumentText(badContract, "contracts/bad.yaml", "task-contract");
  const byMessage = (re: RegExp): SourceProblem => {
    const p = problems.find((x) => re.test(x.message));
    assert.ok(p, `no problem matching ${re}: ${problems.map((x) => x.message).join(" | ")}`);
    return p;
  };
  const pos = (p: SourceProblem) => ({ line: p.line, col: p.col });
  for (const p of problems) assert.equal(p.file, "contracts/bad.yaml");
  // the id's value
  assert.deepEqual(pos(byMessage(/must be an identifier/)), at(badContract, '"bad id!"'));
  // a missing top-level property: the document
  assert.deepEqual(pos(byMessage(/missing required property "on_behalf_of"/)), { line: 1, col: 1 });
  // a missing nested property: the object that lacks it
  assert.deepEqual(pos(byMessage(/missing required property "branch"/)), at(badContract, "url: https"));
  assert.deepEqual(pos(byMessage(/must not be empty/)), at(badContract, "[]"));
  assert.deepEqual(pos(byMessage(/must be >= 0/)), at(badContract, "-1"));
  // an unknown property: its key
  assert.deepEqual(pos(byMessage(/unknown property "dollars"/)), at(badContract, "dollars"));
  assert.deepEqual(pos(byMessage(/RFC 3339/)), at(badContract, "next tuesday"));
  assert.deepEqual(pos(byMessage(/needs when \(a matcher\), rego/)), at(badContract, "id: t1"));
  assert.equal(problems.length, 8, problems.map((p) => `${p.line}:${p.col} ${p.message}`).join("\n"));
  // each names the schema rule it broke
  assert.equal(byMessage(/unknown property "dollars"/).schemaPath, "urn:writ:schema:common#/$defs/budget/additionalProperties");
  assert.equal(byMessage(/on_behalf_of/).schemaPath, "urn:writ:schema:task-contract#/required");
  assert.equal(byMessage(/dollars/).path, "/budget");
});

test("YAML syntax errors and repeated keys are located; nothing else is reported over them", () => {
  const dup = "kind: TaskContract\nid: a\nid: b\n";
  const p1 = checkDocumentText(dup, "c.yaml", "task-contract").problems;
  assert.equal(p1.length, 1);
  assert.match(p1[0]!.message, /YAML error: .*unique/i);
  assert.deepEqual([p1[0]!.line, p1[0]!.col], [3, 1]);
  const broken = "kind: TaskContract\nid: [unclosed\nowner: x\n";
  const p2 = checkDocumentText(broken, "c.yaml", "task-contract").problems;
  assert.ok(p2.length >= 1);
  assert.ok(p2.every((p) => p.message.startsWith("YAML error")));
  assert.ok(p2[0]!.line >= 2);
});

test("the CLI prints every problem as file:line:col and writes no bundle", () => {
  const dir = mkdtempSync(join(tmpdir(), "writ-contract-"));
  mkdirSync(join(dir, "contracts"));
  cpSync(examplePaths().manifests, join(dir, "manifests"), { recursive: true });
  writeFileSync(join(dir, "contracts/bad.yaml"), badContract);
  const out = join(dir, "out.tar.gz");
  const r = spawnSync(process.execPath, [join(root, "bin/writ.js"), "build", "--contracts", "contracts", "--manifests", "manifests", "--unsigned", "-o", out], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("contracts/bad.yaml:"));
  assert.equal(lines.length, 8, r.stderr);
  for (const l of lines) assert.match(l, /^contracts\/bad\.yaml:\d+:\d+: .+ \[urn:writ:schema:/);
  assert.match(r.stderr, /8 problem\(s\); no bundle written/);
  assert.throws(() => readFileSync(out));
});

function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "writ-docs-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const manifest = (id: string, extra = "") => `kind: CapabilityManifest
agent_id: ${id}
owner: team@acme.example
tools: [{ name: Read, access: read-only }]
memory: { scope: none }
${extra}`;

const contract = (id: string, agents: string, extra = "") => `kind: TaskContract
id: ${id}
owner: team@acme.example
on_behalf_of: someone@acme.example
agents: ${agents}
repo: { url: https://example.invalid/r, branch: b }
paths: { allowed: ["src/**"] }
tools: [Read]
intended_change: A change.
budget: { tool_calls: 10 }
expires_at: 2027-01-01T00:00:00Z
${extra}`;

test("across files: unknown agents, duplicate ids — all reported, at their place", () => {
  const dir = writeTree({
    "m/a.yaml": manifest("alpha"),
    "m/b.yaml": manifest("alpha"),
    "c/one.yaml": contract("task-1", "[alpha, ghost]"),
    "c/two.yaml": contract("task-1", "[alpha]"),
  });
  try {
    loadPolicyDocuments({ contracts: [join(dir, "c")], manifests: [join(dir, "m")] });
    assert.fail("expected a ContractError");
  } catch (err) {
    assert.ok(err instanceof ContractError);
    const lines = err.problems.map((p) => `${p.file.slice(dir.length + 1)}:${p.line}:${p.col}: ${p.message}`);
    assert.deepEqual(lines.sort(), [
      "c/one.yaml:5:17: agent ghost has no capability manifest in this build",
      `c/two.yaml:2:5: contract id task-1 is already used by ${join(dir, "c/one.yaml")}`,
      `m/b.yaml:2:11: agent alpha already has a manifest (${join(dir, "m/a.yaml")})`,
    ]);
  }
});

test("Rego conditions that could escape their rule, and bad globs, are refused at their line", () => {
  const text = contract(
    "t",
    "[alpha]",
    `commands:
  forbidden: ["rm [-rf"]
escalation_triggers:
  - id: sneaky
    reason: tries to close the rule
    rego: |
      input.x == 1
      }
      allow := true
      {
`,
  );
  const { problems } = checkDocumentText(text, "c.yaml", "task-contract");
  const lines = problems.map((p) => `${p.line}:${p.col} ${p.message}`);
  assert.deepEqual(lines, [
    `${at(text, '"rm [-rf"').line}:${at(text, '"rm [-rf"').col} invalid glob "rm [-rf": unclosed '['`,
    `${at(text, "      }").line}:7 rego: unbalanced '}'`,
    `${at(text, "      {").line}:7 rego: unclosed '{'`,
  ]);
  assert.deepEqual(checkRegoBody('x := "}"\ny := `{`\n# }\nz := {"a": [1]}'), []);
  assert.deepEqual(checkRegoBody("package evil").map((p) => p.message), ["a condition cannot declare package"]);
  assert.equal(globProblem("src/**/*.{ts,js}"), undefined);
  assert.equal(globProblem("a{b"), "unclosed '{'");
  assert.equal(globProblem("[]"), "empty character class");
});

test("the compiler puts normalized contracts and manifests in data", () => {
  const docs = loadPolicyDocuments({ contracts: [examplePaths().contracts], manifests: [examplePaths().manifests] }, { sourceRoot: root });
  const { data } = compileDocuments(docs);
  assert.deepEqual(Object.keys(data.writ.contracts).sort(), ["fix-login-timeout", "review-pr-482", "upgrade-lodash"]);
  assert.deepEqual(Object.keys(data.writ.manifests).sort(), ["coder", "reviewer"]);
  const review = data.writ.contracts["review-pr-482"]!;
  // absent lists become empty lists, so the generic Rego needs no guards
  assert.deepEqual(review.network, { hosts: [] });
  assert.deepEqual(review.commands.forbidden, []);
  assert.deepEqual(review.validation, { commands: [] });
  assert.equal(review.source, "examples/acme/contracts/review-pr-482.yaml");
  const reviewer = data.writ.manifests.reviewer!;
  assert.equal(reviewer.contract_required, true);
  assert.deepEqual(reviewer.filesystem.write, []);
  assert.deepEqual(data.writ.manifests.coder!.mcp_servers[0], { name: "github", access: "read-only", tools: ["get_*", "list_*", "search_*"] });
  assert.deepEqual(data.writ.contracts["upgrade-lodash"]!.escalation_triggers.map((t) => [t.id, t.custom]), [["other-package", true]]);
  assert.equal((data.writ.contracts["upgrade-lodash"] as unknown as { kind?: string }).kind, undefined);
});

test("generated Rego says it is generated and from which file, and holds only custom conditions", () => {
  const docs = loadPolicyDocuments({ contracts: [examplePaths().contracts], manifests: [examplePaths().manifests] }, { sourceRoot: root });
  const { modules } = compileDocuments(docs);
  assert.deepEqual(modules.map((m) => m.path), [
    "rego/generated/manifests/coder.rego",
    "rego/generated/manifests/reviewer.rego",
    "rego/generated/contracts/fix-login-timeout.rego",
    "rego/generated/contracts/review-pr-482.rego",
    "rego/generated/contracts/upgrade-lodash.rego",
  ]);
  for (const m of modules) {
    assert.match(m.source, /^# Generated by writ \S+ from examples\/acme\/(contracts|manifests)\/[\w-]+\.yaml\n/);
    assert.match(m.source, /Do not edit: change the YAML and rebuild\./);
    assert.match(m.source, /\npackage writ\.custom\n/);
  }
  const lodash = modules.find((m) => m.path.endsWith("upgrade-lodash.rego"))!;
  const yamlText = readFileSync(join(examplePaths().contracts, "upgrade-lodash.yaml"), "utf8");
  assert.match(lodash.source, /# escalation trigger other-package \(examples\/acme\/contracts\/upgrade-lodash\.yaml:\d+\):/);
  assert.match(lodash.source, /contract_approve contains \{\n\t"id": "contract\.upgrade-lodash\.other-package",/);
  assert.match(lodash.source, /\tlib\.contract_id == "upgrade-lodash"\n\tlib\.pre_tool_use\n\tlib\.installs_packages\n/);
  // each pasted body line maps back to its YAML line
  const bodyLine = lodash.source.split("\n").findIndex((l) => l === "\tnot startswith(p, \"lodash@\")") + 1;
  const origin = lodash.lineMap.get(bodyLine)!;
  assert.equal(origin.pointer, "/escalation_triggers/0/rego");
  assert.equal(origin.bodyLine, 2);
  assert.ok(yamlText.includes('not startswith(p, "lodash@")'));
  // contracts without custom conditions have no rules
  const fix = modules.find((m) => m.path.endsWith("fix-login-timeout.rego"))!;
  assert.doesNotMatch(fix.source, /contains/);
});

test("org Rego may not claim writ's own packages", () => {
  const dir = writeTree({ "rego/evil.rego": "package writ.contract\n\nallow contains {\"id\": \"x\", \"reason\": \"y\"}\n" });
  const r = spawnSync(process.execPath, [join(root, "bin/writ.js"), "build", "--rego", "rego", "--unsigned", "-o", "out.tar.gz"], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^rego\/evil\.rego:1:1: package writ\.contract belongs to writ's base policy/m);
});
