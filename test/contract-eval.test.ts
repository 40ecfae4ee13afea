// Contracts, manifests and platform Rego built into a real bundle by the real
// compiler and evaluated by the unmodified OPA Wasm SDK with writ's host
// builtins: layer precedence (a lower layer only tightens), deny > approve >
// allow, default deny, session helpers, and the example suite.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { parse as parseYaml } from "yaml";
import { compileRego, hostBuiltins } from "../src/index.js";
import { buildPolicyBundle } from "../src/contract/build.js";
import { examplePaths } from "../src/contract/example.js";
import { suiteActionInput } from "../src/contract/example-suite.js";
import { ContractError } from "../src/contract/problems.js";
import { readBundle } from "../src/bundle/index.js";
import { generateSigningKeyPair } from "../src/sign/keys.js";
import type { ActionArgs, ActionKind, EventKind, PolicyDecision, PolicyInput } from "../src/decide/types.js";

/** Skip only while compileRego says a stage is not implemented. */
async function compilerMissing(): Promise<string | undefined> {
  try {
    await compileRego({ modules: [{ path: "p.rego", source: "package p\n\nx := 1\n" }], entrypoints: ["p/x"] });
    return undefined;
  } catch (err) {
    return /not implemented/.test((err as Error).message) ? "compiler not yet available" : undefined;
  }
}
const skip = await compilerMissing();

const keys = generateSigningKeyPair();

type Decide = (input: PolicyInput) => PolicyDecision;

async function engine(sources: { rego?: string[]; contracts?: string[]; manifests?: string[] }): Promise<Decide> {
  const built = await buildPolicyBundle({ ...sources, signingKey: keys.privateKey });
  const bundle = readBundle(built.bytes, { publicKey: keys.publicKey });
  const policy = await loadPolicy(bundle.wasm, undefined, hostBuiltins);
  policy.setData(bundle.data);
  return (input) => {
    const rs = policy.evaluate(input, "writ/decision") as { result: PolicyDecision }[];
    assert.equal(rs.length, 1, `writ/decision undefined for ${JSON.stringify(input.action)}`);
    return rs[0]!.result;
  };
}

interface Step {
  agent?: string;
  tool: string;
  action: { kind: ActionKind } & ActionArgs;
  event?: EventKind;
  contract?: string | null;
  labels?: string[];
  counters?: Record<string, number>;
  spend?: { usd?: number; tokens?: number; tool_calls?: number };
  cost?: { usd?: number; tokens?: number };
  now?: string;
  cwd?: string;
  model?: string;
}

function input(s: Step, defaults: { contract?: string; agent?: string } = {}): PolicyInput {
  const contract = s.contract === null ? undefined : (s.contract ?? defaults.contract);
  return {
    action: {
      harness: "test",
      session_id: "s-1",
      event: s.event ?? "pre_tool_use",
      tool: s.tool,
      action: s.action,
      cwd: s.cwd ?? "/work/repo",
      ...(contract ? { contract_id: contract } : {}),
      ...(s.model ? { model: s.model } : {}),
      ...(s.cost ? { cost: s.cost } : {}),
    },
    agent: { id: s.agent ?? defaults.agent ?? "dev" },
    session: {
      id: "s-1",
      labels: s.labels ?? [],
      counters: s.counters ?? {},
      spend: { usd: 0, tokens: 0, tool_calls: 0, ...s.spend },
      started_at: "2026-11-23T09:00:00Z",
    },
    now: s.now ?? "2026-11-23T10:00:00Z",
  };
}

const shell = (line: string, ...commands: string[][]): Step => ({
  tool: "Bash",
  action: { kind: "shell", command: line, commands: (commands.length ? commands : [line.split(" ")]).map(([name, ...args]) => ({ program: name!, name: name!, args })) },
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "writ-eval-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

// A small organisation for precedence tests: agent dev, contract task.
const platform = `package writ.platform

import data.writ.lib

deny contains lib.finding("org.force_push_main", "no force push to main") if {
	some inv in lib.git_push_invocations
	lib.git_force(inv)
	"main" in lib.git_branches(inv)
}

approve contains lib.finding("org.push_after_install", "a package was installed; a human reviews the push") if {
	lib.git_push
	lib.has_label("package_installed")
}

approve contains lib.finding("org.push_main", "pushing to main needs review") if {
	some inv in lib.git_push_invocations
	"main" in lib.git_branches(inv)
}

labels contains "package_installed" if lib.installs_packages
`;

const devManifest = (extra = "") => `kind: CapabilityManifest
agent_id: dev
owner: team@acme.example
tools:
  - { name: Read, access: read-only }
  - { name: Write, access: mutating }
  - { name: Bash, access: mutating }
  - { name: WebFetch, access: read-only }
  - { name: Grep, access: read-only }
filesystem:
  read: ["**"]
  write: ["src/**"]
network:
  hosts: [docs.example.com]
memory: { scope: none }
${extra}`;

const taskContract = (extra = "", id = "task") => `kind: TaskContract
id: ${id}
owner: team@acme.example
on_behalf_of: someone@acme.example
agents: [dev]
repo: { url: https://example.invalid/r, branch: main }
paths: { allowed: ["src/**", "infra/**"], forbidden: ["src/secret/**"] }
tools: [Read, Write, Bash, WebFetch, Grep, Edit]
commands:
  allowed: [git push, git status, npm install, "git push --force origin main"]
network: { hosts: [docs.example.com, evil.example.net] }
intended_change: A change.
budget: { usd: 100, tool_calls: 1000 }
expires_at: 2027-01-01T00:00:00Z
${extra}`;

async function org(opts: { manifest?: string; contract?: string; contracts?: Record<string, string>; platformRego?: string } = {}): Promise<Decide> {
  const dir = tree({
    "rego/platform.rego": opts.platformRego ?? platform,
    "manifests/dev.yaml": opts.manifest ?? devManifest(),
    ...(opts.contracts ?? { "contracts/task.yaml": opts.contract ?? taskContract() }),
  });
  return engine({ rego: [join(dir, "rego")], manifests: [join(dir, "manifests")], contracts: [join(dir, "contracts")] });
}

const within = (d: PolicyDecision) => `${d.decision} ${JSON.stringify(d.rule_ids)} ${JSON.stringify(d.reasons)}`;

test("an action inside manifest and contract is allowed, with both grants as reasons", { skip }, async () => {
  const decide = await org();
  const d = decide(input({ tool: "Write", action: { kind: "file_write", paths: ["/work/repo/src/a.ts"] } }, { contract: "task" }));
  assert.equal(d.decision, "allow", within(d));
  assert.deepEqual([...d.rule_ids].sort(), ["writ.contract.grant", "writ.manifest.grant"]);
  assert.equal(d.reasons.length, 2);
});

test("default deny: no manifest, no contract, an ungranted tool — each denied with its reason", { skip }, async () => {
  const decide = await org();
  const w = (s: Step, c?: string) => decide(input(s, c ? { contract: c } : {}));
  const write = { tool: "Write", action: { kind: "file_write" as const, paths: ["/work/repo/src/a.ts"] } };
  assert.deepEqual(w({ ...write, agent: "stranger" }, "task").rule_ids.includes("writ.manifest.unknown_agent"), true);
  assert.equal(w({ ...write, agent: "stranger" }, "task").decision, "deny");
  const noContract = w(write);
  assert.equal(noContract.decision, "deny");
  assert.deepEqual(noContract.rule_ids, ["writ.contract.missing"]);
  const unknown = w(write, "no-such-task");
  assert.deepEqual(unknown.rule_ids, ["writ.contract.unknown"]);
  const tool = w({ tool: "NotebookEdit", action: { kind: "file_write", paths: ["/work/repo/src/a.ts"] } }, "task");
  assert.equal(tool.decision, "deny");
  assert.ok(tool.rule_ids.includes("writ.manifest.tool_not_granted"), within(tool));
  // with no organisation at all, nothing is allowed
  const empty = await engine({ rego: [] });
  const bare = empty(input(write, { contract: "task" }));
  assert.equal(bare.decision, "deny", within(bare));
});

test("no allow is a deny: when no layer grants, objects or asks, the verdict is writ.default_deny", { skip }, async () => {
  const decide = await org();
  // an input without an agent id: no layer can name the agent in a reason,
  // so none denies — and none can prove a grant either
  const pi = input({ tool: "Read", action: { kind: "file_read", paths: ["/work/repo/src/a.ts"] } }, { contract: "task" });
  const d = decide({ ...pi, agent: {} as PolicyInput["agent"] });
  assert.deepEqual([d.decision, d.rule_ids, d.reasons], ["deny", ["writ.default_deny"], ["no layer allows this action"]]);
  // a manifest may waive contracts: then its grant alone allows
  const waived = await org({ manifest: devManifest("contract_required: false") });
  const w = waived(input({ tool: "Read", action: { kind: "file_read", paths: ["/work/repo/src/a.ts"] } }));
  assert.equal(w.decision, "allow", within(w));
  assert.deepEqual([...w.rule_ids].sort(), ["writ.contract.not_required", "writ.manifest.grant"]);
});

test("a contract cannot widen its manifest: hosts, paths, read-only tools, budgets", { skip }, async () => {
  const decide = await org({ manifest: devManifest("budget: { usd: 1 }") });
  const c = { contract: "task" };
  // the contract lists evil.example.net; the manifest does not
  const host = decide(input({ tool: "WebFetch", action: { kind: "network", url: "https://evil.example.net/x", host: "evil.example.net" } }, c));
  assert.equal(host.decision, "deny");
  assert.deepEqual(host.rule_ids, ["writ.manifest.host_not_granted"]);
  // the contract allows infra/**; the manifest writes only src/**
  const path = decide(input({ tool: "Write", action: { kind: "file_write", paths: ["/work/repo/infra/main.tf"] } }, c));
  assert.deepEqual(path.rule_ids, ["writ.manifest.path_not_writable"]);
  // WebFetch is read-only in the manifest; the contract lists it; using it to
  // change state is denied whatever the contract says
  const ro = decide(input({ tool: "WebFetch", action: { kind: "file_write", paths: ["/work/repo/src/a.ts"] } }, c));
  assert.ok(ro.rule_ids.includes("writ.manifest.read_only_tool"), within(ro));
  assert.equal(ro.decision, "deny");
  // the contract's budget is $100, the manifest's $1
  const spend = decide(input({ tool: "Read", action: { kind: "file_read", paths: ["/work/repo/src/a.ts"] }, spend: { usd: 0.9 }, cost: { usd: 0.2 } }, c));
  assert.equal(spend.decision, "deny");
  assert.deepEqual(spend.rule_ids, ["writ.manifest.budget_exceeded"]);
  assert.match(spend.reasons[0]!, /usd: 1\.1\d* with this action, limit 1/);
});

test("a contract cannot loosen the platform: its allowed commands do not lift a platform deny or approve", { skip }, async () => {
  const decide = await org();
  const c = { contract: "task" };
  // the contract allows `git push --force origin main`; the platform denies it
  const force = decide(input(shell("git push --force origin main"), c));
  assert.equal(force.decision, "deny");
  assert.deepEqual(force.rule_ids, ["org.force_push_main"]);
  // the contract's branch is main and it allows `git push`; the platform still wants review
  const push = decide(input(shell("git push origin main"), c));
  assert.equal(push.decision, "approve", within(push));
  assert.deepEqual(push.rule_ids, ["org.push_main"]);
  // a contract that says nothing about pushes cannot remove it either
  const quiet = await org({ contract: taskContract().replace("commands:\n  allowed: [git push, git status, npm install, \"git push --force origin main\"]", "commands:\n  allowed: [git push]") });
  assert.equal(quiet(input(shell("git push origin main"), c)).decision, "approve");
});

test("deny > approve > allow: a denied action shows only its denials", { skip }, async () => {
  const decide = await org({ contract: taskContract("escalation_triggers:\n  - { id: all-writes, reason: every write is reviewed, when: { kinds: [file_write] } }") });
  const c = { contract: "task" };
  const approve = decide(input({ tool: "Write", action: { kind: "file_write", paths: ["/work/repo/src/a.ts"] } }, c));
  assert.equal(approve.decision, "approve");
  assert.deepEqual(approve.rule_ids, ["contract.task.all-writes"]);
  assert.deepEqual(approve.reasons, ["every write is reviewed"]);
  const deny = decide(input({ tool: "Write", action: { kind: "file_write", paths: ["/work/repo/src/secret/key.ts"] } }, c));
  assert.equal(deny.decision, "deny");
  assert.deepEqual(deny.rule_ids, ["writ.contract.path_forbidden"]);
  assert.match(deny.reasons[0]!, /forbids touching \/work\/repo\/src\/secret\/key\.ts/);
});

test("reasons and rule ids come from every layer that objects", { skip }, async () => {
  const decide = await org();
  // platform (force push to main), contract (curl is not an allowed command),
  // manifest (the host, and the model)
  const line = shell("git push -f origin main && curl https://evil.example.net/x", ["git", "push", "-f", "origin", "main"], ["curl", "https://evil.example.net/x"]);
  const d = decide(input({ ...line, model: "gpt-x" }, { contract: "task" }));
  assert.equal(d.decision, "deny");
  assert.deepEqual([...d.rule_ids].sort(), ["org.force_push_main", "writ.contract.command_not_allowed", "writ.manifest.host_not_granted", "writ.manifest.model_not_granted"]);
  assert.equal(d.reasons.length, 4);
});

test("session helpers: one platform rule asks for approval to push once a package was installed", { skip }, async () => {
  const decide = await org({ contract: taskContract().replace("branch: main", "branch: feature") });
  const c = { contract: "task" };
  const install = decide(input(shell("npm install left-pad"), c));
  assert.equal(install.decision, "allow", within(install));
  assert.deepEqual(install.labels, ["package_installed"]);
  const before = decide(input(shell("git push origin feature"), c));
  assert.equal(before.decision, "allow", within(before));
  const after = decide(input({ ...shell("git push origin feature"), labels: ["package_installed"] }, c));
  assert.equal(after.decision, "approve");
  assert.deepEqual(after.rule_ids, ["org.push_after_install"]);
  // the same, as a harness might normalize it: a git action, not a shell line
  const gitAction = decide(input({ tool: "Bash", action: { kind: "git", git: { subcommand: "push", remote: "origin", branch: "feature", args: ["origin", "feature"] } }, labels: ["package_installed"] }, c));
  assert.deepEqual([gitAction.decision, gitAction.rule_ids], ["approve", ["org.push_after_install"]]);
});

test("counters and spend reach matchers: min_tool_calls and budgets", { skip }, async () => {
  const decide = await org({
    contract: taskContract("escalation_triggers:\n  - { id: long, reason: long session, when: { min_tool_calls: 50 } }").replace("budget: { usd: 100, tool_calls: 1000 }", "budget: { usd: 100, tool_calls: 60 }"),
  });
  const c = { contract: "task" };
  const read = { tool: "Read", action: { kind: "file_read" as const, paths: ["/work/repo/src/a.ts"] } };
  assert.equal(decide(input({ ...read, spend: { tool_calls: 10 } }, c)).decision, "allow");
  const long = decide(input({ ...read, spend: { tool_calls: 50 } }, c));
  assert.deepEqual([long.decision, long.rule_ids], ["approve", ["contract.task.long"]]);
  const over = decide(input({ ...read, spend: { tool_calls: 60 } }, c));
  assert.deepEqual([over.decision, over.rule_ids], ["deny", ["writ.contract.budget_exceeded"]]);
});

test("total_budget caps the task over every session: input.usage.contract, or the session's own use without it", { skip }, async () => {
  const decide = await org({ contract: taskContract("total_budget: { usd: 2, tool_calls: 5 }") });
  const c = { contract: "task" };
  const read = { tool: "Read", action: { kind: "file_read" as const, paths: ["/work/repo/src/a.ts"] } };
  const withUsage = (usage: { usd: number; tokens: number; tool_calls: number }, step: Partial<Step> = {}) => ({ ...input({ ...read, ...step }, c), usage: { contract: usage } });
  // a fresh session, but the task has used 4 of its 5 calls: the 5th fits
  assert.equal(decide(withUsage({ usd: 0, tokens: 0, tool_calls: 4 })).decision, "allow");
  const calls = decide(withUsage({ usd: 0, tokens: 0, tool_calls: 5 }));
  assert.deepEqual([calls.decision, calls.rule_ids], ["deny", ["writ.contract.total_budget_exceeded"]]);
  assert.match(calls.reasons[0]!, /over the total budget of task contract task: tool_calls: 6 with this action, limit 5/);
  const usd = decide(withUsage({ usd: 1.5, tokens: 0, tool_calls: 0 }, { cost: { usd: 0.6 } }));
  assert.deepEqual([usd.decision, usd.rule_ids], ["deny", ["writ.contract.total_budget_exceeded"]]);
  // without the service's count (writ test, other hosts) the session's use stands in
  assert.equal(decide(input({ ...read, spend: { tool_calls: 4 } }, c)).decision, "allow");
  assert.deepEqual(decide(input({ ...read, spend: { tool_calls: 5 } }, c)).rule_ids, ["writ.contract.total_budget_exceeded"]);
  // a contract without one is not limited by the task's use
  const plain = await org();
  assert.equal(plain(withUsage({ usd: 1e6, tokens: 0, tool_calls: 1e6 })).decision, "allow");
});

test("a malformed platform finding fails closed", { skip }, async () => {
  const decide = await org({ platformRego: 'package writ.platform\n\napprove contains "please review" if true\n' });
  const d = decide(input({ tool: "Read", action: { kind: "file_read", paths: ["/work/repo/src/a.ts"] } }, { contract: "task" }));
  assert.equal(d.decision, "approve");
  assert.deepEqual(d.rule_ids, ["writ.platform.malformed_finding"]);
});

test("a Rego condition in a contract asks for approval; a broken one is reported at its YAML line", { skip }, async () => {
  const custom = taskContract(`escalation_triggers:
  - id: big-file
    reason: writing a generated file needs a look
    rego: |
      some p in lib.paths
      endswith(p, ".gen.ts")
`);
  const decide = await org({ contract: custom });
  const c = { contract: "task" };
  assert.equal(decide(input({ tool: "Write", action: { kind: "file_write", paths: ["/work/repo/src/a.ts"] } }, c)).decision, "allow");
  const gen = decide(input({ tool: "Write", action: { kind: "file_write", paths: ["/work/repo/src/a.gen.ts"] } }, c));
  assert.deepEqual([gen.decision, gen.rule_ids], ["approve", ["contract.task.big-file"]]);

  const broken = taskContract(`escalation_triggers:
  - id: broken
    reason: calls a function that does not exist
    rego: |
      some p in lib.paths
      no_such_function(p)
`);
  try {
    await org({ contract: broken });
    assert.fail("expected the build to fail");
  } catch (err) {
    assert.ok(err instanceof ContractError, String(err));
    const p = err.problems[0]!;
    assert.match(p.file, /contracts\/task\.yaml$/);
    assert.equal(p.line, broken.split("\n").findIndex((l) => l.includes("no_such_function")) + 1, err.message);
    assert.match(p.message, /no_such_function/);
  }
});

test("the example organisation passes its conformance suite (normalized actions)", { skip }, async () => {
  const p = examplePaths();
  const decide = await engine({ rego: [p.rego], contracts: [p.contracts], manifests: [p.manifests] });
  const suite = parseYaml(readFileSync(join(p.root, "examples/acme/fixtures/basics.yaml"), "utf8"));
  const setup = suite.setup;
  const labels = new Set<string>(setup.session.labels);
  let ran = 0;
  for (const ev of suite.events) {
    if (!ev.action) continue;
    const pi = suiteActionInput(setup, ev, labels);
    const d = decide(pi);
    const what = `${ev.name}: ${within(d)}`;
    assert.equal(d.decision, ev.expect.decision, what);
    for (const id of ev.expect.rule_ids ?? []) assert.ok(d.rule_ids.includes(id), `${what} lacks ${id}`);
    for (const id of ev.expect.not_rule_ids ?? []) assert.ok(!d.rule_ids.includes(id), `${what} has ${id}`);
    for (const frag of ev.expect.reasons ?? []) assert.ok(d.reasons.some((r) => r.includes(frag)), `${what} lacks reason ${frag}`);
    for (const l of ev.expect.labels ?? []) assert.ok(d.labels?.includes(l), `${what} lacks label ${l}`);
    if (d.decision === "allow") for (const l of d.labels ?? []) labels.add(l);
    ran++;
  }
  assert.ok(ran >= 15, `ran ${ran}`);
});

test("lib.glob_match answers as glob.match does, with or without the host call", { skip }, async () => {
  const cases: [string, string[], string][] = [];
  const patterns = ["src/**", "**/.env", "**/*.pem", "**/id_rsa*", "*.acme.example", "mcp__*", "mcp__github__*", "git push*", "a*b", "a**b", "{a,b}*", "src/*.ts", "src/**/*.ts", "[ab]c", "a?c", "main", "release/*", "\\*x", "**", "**/secrets/**", "**/.writ/**", "**/id_rsa*", "**/a*", "**b**", "**.*"];
  const strings = ["src/a.ts", "src/x/a.ts", "/w/.env", "/w/.env.local", "/w/k.pem", "/w/id_rsa.pub", "api.acme.example", "a.b.acme.example", "mcp__github__get_issue", "git push origin main", "ab", "a/b", "axb", "ac", "bc", "abc", "main", "release/1.2", "release/1/2", "*x", "", "/w/secrets/k", "/w/secrets", "/w/.writ/x", "/w/id_rsa", "/w/id_rsa/x", "/a/b", "/a", "bab"];
  for (const p of patterns) for (const s of strings) for (const d of [["/"], ["."], ["\n"]]) cases.push([p, d, s]);
  const src = `package t\n\nimport data.writ.lib\n\nresults := [r | some c in input.cases; r := lib_result(c)]\n\nlib_result(c) := true if lib.glob_match(c[0], c[1], c[2])\n\nlib_result(c) := false if not lib.glob_match(c[0], c[1], c[2])\n`;
  const base = ["lib.rego"].map((f) => ({ path: f, source: readFileSync(join(examplePaths().root, "rego/base", f), "utf8") }));
  const { wasm } = await compileRego({ modules: [...base, { path: "t.rego", source: src }], entrypoints: ["t/results"] });
  const policy = await loadPolicy(wasm, undefined, hostBuiltins);
  const got = (policy.evaluate({ cases }, "t/results") as { result: boolean[] }[])[0]!.result;
  const glob = hostBuiltins["glob.match"]!;
  const wrong = cases.filter((c, i) => got[i] !== glob(c[0], c[1], c[2])).map((c) => JSON.stringify(c));
  assert.deepEqual(wrong, []);
});

test("lib.url_host and lib.mutating_tool_name, without host calls", { skip }, async () => {
  const src = `package t\n\nimport data.writ.lib\n\nhosts := [h | some u in input.urls; h := object.get({"h": lib.url_host(u)}, "h", null)]\n\nhosts_or_null := [x | some u in input.urls; x := host_or_null(u)]\n\nhost_or_null(u) := lib.url_host(u)\n\nhost_or_null(u) := null if not lib.url_host(u)\n\nmutating := [m | some n in input.names; m := mutating_or_not(n)]\n\nmutating_or_not(n) := true if lib.mutating_tool_name(n)\n\nmutating_or_not(n) := false if not lib.mutating_tool_name(n)\n`;
  const base = [{ path: "lib.rego", source: readFileSync(join(examplePaths().root, "rego/base/lib.rego"), "utf8") }];
  const { wasm } = await compileRego({ modules: [...base, { path: "t.rego", source: src }], entrypoints: ["t/hosts_or_null", "t/mutating"] });
  const calls: string[] = [];
  const watched = Object.fromEntries(Object.entries(hostBuiltins).map(([k, f]) => [k, (...a: unknown[]) => (calls.push(k), f(...a))]));
  const policy = await loadPolicy(wasm, undefined, watched);
  const urls = ["https://Evil.Example.net/x?y", "http://user:pw@host.io:8080/p", "git+ssh://git@github.com/a/b", "https://[::1]:3000/", "ftp://h#frag", "not a url", "/local/path", "https://", "file:///etc/passwd"];
  const hosts = (policy.evaluate({ urls }, "t/hosts_or_null") as { result: unknown[] }[])[0]!.result;
  assert.deepEqual(hosts, ["evil.example.net", "host.io", "github.com", "::1", "h", null, null, null, null]);
  const names = ["create_issue", "get_issue", "Delete-Branch", "list_prs", "merge", "search_code", "runbook_lookup"];
  const mutating = (policy.evaluate({ names }, "t/mutating") as { result: boolean[] }[])[0]!.result;
  assert.deepEqual(mutating, [true, false, true, false, true, false, false]);
  assert.deepEqual(calls, []);
});
