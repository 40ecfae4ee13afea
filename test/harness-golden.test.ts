// Golden payloads against a real HTTP server standing in for writ: for
// every payload, what the harness gets back for allow, deny, approve, and
// when writ is unreachable (which must block). The first payload of each
// harness goes through the real `writ hook <harness>` process (stdin, exit
// code, stdout as the harness sees them); the rest go through the same
// adapter and HTTP client in this process, which keeps the suite fast.
// Then the other ways of having no answer — slow, a 5xx, a 401, a body that
// is not a verdict — each of which must block too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { DecideResponse } from "../src/decide/types.js";
import { root, runWrit, startFakeWrit, verdict, type FakeAnswer, type Run } from "./harness-helpers.js";
import { answerHook } from "../src/harness/adapter.js";
import { httpDecider } from "../src/harness/client.js";
import { ADAPTERS } from "../src/harness/registry.js";

const DENY = "writ denied this: policy db-07: destructive SQL needs a ticket [acme.db_07] (decision dec-0001)";
const ASK = "writ asks a human to approve this: policy db-07: destructive SQL needs a ticket [acme.db_07] (approval apv_test1, decision dec-0001)";
const approvalDeny = (url: string) =>
  "writ needs a human to approve this first: policy db-07: destructive SQL needs a ticket [acme.db_07] (decision dec-0001). " +
  "Approval apv_test1 waits until 2099-01-01T00:00:00.000Z. An operator grants it with: " +
  `curl -X POST ${url}/v1/approvals/apv_test1 -H "authorization: Bearer $WRIT_OPERATOR_TOKEN" -H "content-type: application/json" -d '{"grant":true}' ` +
  "— then retry exactly the same action.";

/** An expected answer: exit code, stdout as parsed JSON (or "" for none),
 *  and stderr (exact string, or a pattern). */
interface Expect {
  code: number;
  json: unknown;
  stderr?: string | RegExp;
}

interface Golden {
  harness: string;
  payload: string;
  allow: Expect;
  deny: Expect;
  approve: (url: string) => Expect;
  /** the blocking answer, for a reason */
  block: (reason: string | RegExp) => Expect;
  /** what the request to writ must contain */
  request: (body: Record<string, unknown>) => void;
}

const claudePre = (decision: string, reason: string | RegExp) => ({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: decision, permissionDecisionReason: reason } });
const claudePerm = (message: string | RegExp) => ({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message } } });
const codexPre = (reason: string | RegExp) => ({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: reason } });
const block = (reason: string | RegExp) => ({ decision: "block", reason });
const NONE: Expect = { code: 0, json: "", stderr: "" };

const goldens: Golden[] = [
  {
    harness: "claude-code",
    payload: "pre-tool-use-mcp.json",
    allow: NONE,
    deny: { code: 2, json: claudePre("deny", DENY), stderr: DENY + "\n" },
    approve: () => ({ code: 0, json: claudePre("ask", ASK), stderr: "" }),
    block: (r) => ({ code: 2, json: claudePre("deny", r), stderr: r }),
    request: (b) => {
      assert.equal(b.harness, "claude-code");
      assert.equal(b.event, "pre_tool_use");
      assert.equal(b.request_id, "claude-code/PreToolUse/toolu_01QxV7");
      assert.deepEqual(b.action, { kind: "mcp", mcp_server: "pg", mcp_tool: "query", mcp_source: "project", raw: { sql: "DELETE FROM orders" } });
    },
  },
  {
    harness: "claude-code",
    payload: "pre-tool-use-bash.json",
    allow: NONE,
    deny: { code: 2, json: claudePre("deny", DENY), stderr: DENY + "\n" },
    approve: () => ({ code: 0, json: claudePre("ask", ASK), stderr: "" }),
    block: (r) => ({ code: 2, json: claudePre("deny", r), stderr: r }),
    request: (b) => {
      const a = b.action as Record<string, unknown>;
      assert.equal(a.kind, "shell");
      assert.deepEqual(a.commands, [{ program: "git", name: "git", args: ["push", "--force", "origin", "main"] }]);
      assert.deepEqual(a.git, { subcommand: "push", args: ["--force", "origin", "main"], remote: "origin", force: true, branch: "main" });
    },
  },
  {
    harness: "claude-code",
    payload: "permission-request.json",
    allow: NONE,
    deny: { code: 2, json: claudePerm(DENY), stderr: DENY + "\n" },
    // Claude shows its own permission dialog
    approve: () => NONE,
    block: (r) => ({ code: 2, json: claudePerm(r), stderr: r }),
    request: (b) => {
      assert.equal(b.request_id, undefined, "PermissionRequest has no tool_use_id");
      assert.deepEqual((b.action as Record<string, unknown>).paths, ["/etc/hosts"]);
      assert.equal((b.action as Record<string, unknown>).kind, "file_write");
    },
  },
  {
    harness: "claude-code",
    payload: "post-tool-use.json",
    allow: NONE,
    deny: { code: 2, json: block(DENY), stderr: DENY + "\n" },
    approve: (url) => ({ code: 2, json: block(approvalDeny(url)), stderr: approvalDeny(url) + "\n" }),
    block: (r) => ({ code: 2, json: block(r), stderr: r }),
    request: (b) => {
      assert.equal(b.event, "post_tool_use");
      assert.deepEqual(b.action, { kind: "network", url: "https://pastebin.com/raw/abc", host: "pastebin.com", raw: { url: "https://pastebin.com/raw/abc", prompt: "summarise" } });
    },
  },
  {
    harness: "claude-code",
    payload: "user-prompt-submit.json",
    allow: NONE,
    deny: { code: 2, json: block(DENY), stderr: DENY + "\n" },
    approve: (url) => ({ code: 2, json: block(approvalDeny(url)), stderr: approvalDeny(url) + "\n" }),
    block: (r) => ({ code: 2, json: block(r), stderr: r }),
    request: (b) => {
      assert.equal(b.event, "prompt");
      assert.deepEqual(b.action, { kind: "other", prompt: "deploy to production now" });
    },
  },
  {
    harness: "codex",
    payload: "pre-tool-use-apply-patch.json",
    allow: NONE,
    deny: { code: 2, json: codexPre(DENY), stderr: DENY + "\n" },
    // Codex has no ask: a denial that says how to grant the approval
    approve: (url) => ({ code: 2, json: codexPre(approvalDeny(url)), stderr: approvalDeny(url) + "\n" }),
    block: (r) => ({ code: 2, json: codexPre(r), stderr: r }),
    request: (b) => {
      assert.equal(b.model, "gpt-5.5");
      const a = b.action as Record<string, unknown>;
      assert.equal(a.kind, "file_write");
      assert.deepEqual(a.paths, ["/home/dev/shop/src/app.ts"]);
    },
  },
  {
    harness: "codex",
    payload: "pre-tool-use-bash.json",
    allow: NONE,
    deny: { code: 2, json: codexPre(DENY), stderr: DENY + "\n" },
    approve: (url) => ({ code: 2, json: codexPre(approvalDeny(url)), stderr: approvalDeny(url) + "\n" }),
    block: (r) => ({ code: 2, json: codexPre(r), stderr: r }),
    request: (b) => {
      const a = b.action as Record<string, unknown>;
      assert.deepEqual(a.commands, [{ program: "rm", name: "rm", args: ["-rf", "/var/lib/db"], via: ["sudo", "env"] }]);
    },
  },
  {
    harness: "codex",
    payload: "permission-request.json",
    allow: NONE,
    deny: { code: 2, json: { hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message: DENY } } }, stderr: DENY + "\n" },
    // no decision: Codex shows its own prompt
    approve: () => NONE,
    block: (r) => ({ code: 2, json: { hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "deny", message: r } } }, stderr: r }),
    request: (b) => {
      const a = b.action as Record<string, unknown>;
      assert.deepEqual(a.commands, [{ program: "curl", name: "curl", args: ["https://example.com"] }]);
    },
  },
  {
    harness: "cursor",
    payload: "before-shell-execution.json",
    allow: { code: 0, json: { permission: "allow" }, stderr: "" },
    deny: { code: 2, json: { permission: "deny", user_message: DENY, agent_message: DENY }, stderr: DENY + "\n" },
    approve: () => ({ code: 0, json: { permission: "ask", user_message: ASK, agent_message: ASK }, stderr: "" }),
    block: (r) => ({ code: 2, json: { permission: "deny", user_message: r, agent_message: r }, stderr: r }),
    request: (b) => {
      assert.equal(b.session_id, "c-81f2");
      assert.equal(b.tool, "Shell");
      assert.equal((b.action as Record<string, unknown>).command, "git push --force origin main");
    },
  },
  {
    harness: "cursor",
    payload: "before-mcp-execution.json",
    allow: { code: 0, json: { permission: "allow" }, stderr: "" },
    deny: { code: 2, json: { permission: "deny", user_message: DENY, agent_message: DENY }, stderr: DENY + "\n" },
    approve: () => ({ code: 0, json: { permission: "ask", user_message: ASK, agent_message: ASK }, stderr: "" }),
    block: (r) => ({ code: 2, json: { permission: "deny", user_message: r, agent_message: r }, stderr: r }),
    request: (b) => {
      assert.deepEqual(b.action, { kind: "mcp", mcp_server: "npx -y @acme/gh-mcp", mcp_tool: "create_issue", raw: '{"repo":"acme/shop","title":"x"}' });
    },
  },
  {
    harness: "cursor",
    payload: "before-read-file.json",
    allow: { code: 0, json: { permission: "allow" }, stderr: "" },
    deny: { code: 2, json: { permission: "deny", user_message: DENY }, stderr: DENY + "\n" },
    approve: (url) => ({ code: 2, json: { permission: "deny", user_message: approvalDeny(url) }, stderr: approvalDeny(url) + "\n" }),
    block: (r) => ({ code: 2, json: { permission: "deny", user_message: r }, stderr: r }),
    request: (b) => assert.deepEqual(b.action, { kind: "file_read", paths: ["/home/dev/shop/.env"] }),
  },
  {
    harness: "cursor",
    payload: "pre-tool-use.json",
    allow: { code: 0, json: { decision: "allow" }, stderr: "" },
    deny: { code: 2, json: { decision: "deny", reason: DENY }, stderr: DENY + "\n" },
    approve: (url) => ({ code: 2, json: { decision: "deny", reason: approvalDeny(url) }, stderr: approvalDeny(url) + "\n" }),
    block: (r) => ({ code: 2, json: { decision: "deny", reason: r }, stderr: r }),
    request: (b) => {
      assert.equal(b.request_id, "cursor/preToolUse/tu-1");
      assert.deepEqual((b.action as Record<string, unknown>).paths, ["/home/dev/shop/src/app.ts"]);
    },
  },
  {
    harness: "gemini",
    payload: "before-tool-mcp.json",
    allow: { code: 0, json: { decision: "allow" }, stderr: "" },
    deny: { code: 2, json: { decision: "deny", reason: DENY }, stderr: DENY + "\n" },
    approve: () => ({ code: 0, json: { decision: "ask", reason: ASK, systemMessage: ASK }, stderr: "" }),
    block: (r) => ({ code: 2, json: { decision: "deny", reason: r }, stderr: r }),
    request: (b) => assert.deepEqual(b.action, { kind: "mcp", mcp_server: "github", mcp_tool: "create_issue", raw: { repo: "acme/shop", title: "x" } }),
  },
  {
    harness: "gemini",
    payload: "before-tool-shell.json",
    allow: { code: 0, json: { decision: "allow" }, stderr: "" },
    deny: { code: 2, json: { decision: "deny", reason: DENY }, stderr: DENY + "\n" },
    approve: () => ({ code: 0, json: { decision: "ask", reason: ASK, systemMessage: ASK }, stderr: "" }),
    block: (r) => ({ code: 2, json: { decision: "deny", reason: r }, stderr: r }),
    request: (b) => assert.deepEqual((b.action as Record<string, unknown>).commands, [{ program: "rm", name: "rm", args: ["-rf", "/"], via: ["bash -c"] }]),
  },
];

function payloadOf(g: Golden): string {
  return readFileSync(join(root, "test/golden", g.harness, g.payload), "utf8");
}

/** Compares a run with an expectation; patterns match strings anywhere in
 *  the expected JSON. */
function check(run: Run, want: Expect, label: string): void {
  assert.equal(run.code, want.code, `${label}: exit code (stderr: ${run.stderr})`);
  if (want.json === "") assert.equal(run.stdout, "", `${label}: stdout`);
  else {
    assert.ok(run.stdout.endsWith("\n") && !run.stdout.slice(0, -1).includes("\n"), `${label}: stdout is one JSON line`);
    matchJson(JSON.parse(run.stdout), want.json, label);
  }
  if (want.stderr instanceof RegExp) assert.match(run.stderr, want.stderr, `${label}: stderr`);
  else if (want.stderr !== undefined) assert.equal(run.stderr, want.stderr, `${label}: stderr`);
}

function matchJson(got: unknown, want: unknown, label: string): void {
  if (want instanceof RegExp) {
    assert.equal(typeof got, "string", label);
    assert.match(got as string, want, label);
  } else if (want && typeof want === "object") {
    assert.ok(got && typeof got === "object", `${label}: expected an object, got ${JSON.stringify(got)}`);
    assert.deepEqual(Object.keys(got as object).sort(), Object.keys(want).sort(), `${label}: keys`);
    for (const k of Object.keys(want)) matchJson((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${label}.${k}`);
  } else assert.equal(got, want, label);
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The same hook, run in this process: adapter, HTTP client, answer. */
async function hookInProcess(harness: string, payload: string, url: string, timeoutMs = 3000): Promise<Run> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    parsed = undefined;
  }
  const adapter = await ADAPTERS[harness]();
  const a = await answerHook(adapter, parsed, httpDecider({ url, token: "test-token", timeoutMs }), { url });
  return { code: a.exitCode, stdout: a.stdout, stderr: a.stderr };
}

const firstOfHarness = new Set(["claude-code", "codex", "cursor", "gemini"].map((h) => goldens.find((g) => g.harness === h)!));

for (const g of goldens) {
  const viaProcess = firstOfHarness.has(g);
  const hook = (payload: string, url: string) => (viaProcess ? runWrit(["hook", g.harness, "--url", url], payload) : hookInProcess(g.harness, payload, url));
  test(`${g.harness} ${g.payload}${viaProcess ? " (writ hook process)" : ""}: allow, deny, approve, and writ unreachable (blocks)`, async () => {
    let answer: DecideResponse = verdict("allow");
    const writ = await startFakeWrit(() => ({ body: answer }));
    try {
      const payload = payloadOf(g);
      for (const [name, v, want] of [
        ["allow", verdict("allow"), g.allow],
        ["deny", verdict("deny"), g.deny],
        ["approve", verdict("approve"), g.approve(writ.url)],
      ] as const) {
        answer = v;
        const run = await hook(payload, writ.url);
        check(run, want, `${g.payload} ${name}`);
      }
      assert.equal(writ.requests.length, 3);
      for (const r of writ.requests) {
        assert.equal(r.headers.authorization, "Bearer test-token");
        g.request(r.body as unknown as Record<string, unknown>);
      }
      const port = await deadPort();
      const run = await hook(payload, `http://127.0.0.1:${port}`);
      const reason = new RegExp(`^writ blocked this: there is no decision \\(writ is unreachable at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\)\\. writ fails closed`);
      check(run, g.block(reason), `${g.payload} unreachable`);
    } finally {
      await writ.close();
    }
  });
}

// The other ways of getting no decision, once per harness.
const failures: { name: string; answer: FakeAnswer; why: RegExp; args?: string[] }[] = [
  { name: "slow", answer: { body: verdict("allow"), delayMs: 3000 }, why: /writ did not answer within 300 ms/, args: ["--timeout", "300"] },
  { name: "HTTP 503", answer: { status: 503, body: JSON.stringify({ decision: "deny", error: "audit log unavailable" }) }, why: /writ answered HTTP 503: audit log unavailable/ },
  { name: "HTTP 401", answer: { status: 401, body: JSON.stringify({ error: "unknown credential" }) }, why: /writ answered HTTP 401: unknown credential/ },
  { name: "not JSON", answer: { body: "<html>proxy error</html>" }, why: /not JSON/ },
  { name: "no verdict", answer: { body: JSON.stringify({ ...verdict("allow"), decision: "yes" }) }, why: /no valid decision \("yes"\)/ },
  { name: "no reasons", answer: { body: JSON.stringify({ ...verdict("allow"), reasons: "ok" }) }, why: /no reasons list/ },
];

for (const harness of ["claude-code", "codex", "cursor", "gemini"]) {
  test(`${harness}: slow, failing and malformed answers from writ block`, async () => {
    const g = goldens.find((x) => x.harness === harness)!;
    for (const f of failures) {
      const writ = await startFakeWrit(() => f.answer);
      try {
        // the timeout goes through the command line once, in process else
        const run =
          f.name === "slow" && harness === "claude-code"
            ? await runWrit(["hook", harness, "--url", writ.url, ...(f.args ?? [])], payloadOf(g))
            : await hookInProcess(harness, payloadOf(g), writ.url, f.args ? 300 : 3000);
        check(run, g.block(f.why), `${harness} ${f.name}`);
      } finally {
        await writ.close();
      }
    }
  });

  test(`${harness}: a payload that is not JSON, or not the harness's, blocks`, async () => {
    const g = goldens.find((x) => x.harness === harness)!;
    const writ = await startFakeWrit(() => ({ body: verdict("allow") }));
    try {
      for (const input of ["{not json", "[]", JSON.stringify({ hook_event_name: 42 })]) {
        const run = input === "{not json" ? await runWrit(["hook", harness, "--url", writ.url], input) : await hookInProcess(harness, input, writ.url);
        assert.equal(run.code, 2, `${harness} ${input}: exit code`);
        assert.match(run.stderr, /^writ blocked this: there is no decision/);
        assert.notEqual(run.stdout, "", "a JSON denial is on stdout as well");
      }
      // an event writ does not decide is refused, not waved through
      const other = { ...JSON.parse(payloadOf(g)), hook_event_name: "SessionStart" };
      const run = await hookInProcess(harness, JSON.stringify(other), writ.url);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /does not decide .* SessionStart events/);
      assert.equal(writ.requests.length, 0, "nothing reached writ");
    } finally {
      await writ.close();
    }
  });
}

test("an unknown harness name exits 2 (a block), not 1", async () => {
  const run = await runWrit(["hook", "vscode"], "{}");
  assert.equal(run.code, 2);
  assert.match(run.stderr, /unknown harness "vscode"/);
});

test("WRIT_URL and WRIT_CONTRACT configure the hook; --on-approve deny turns ask into a denial", async () => {
  const writ = await startFakeWrit(() => ({ body: verdict("approve") }));
  try {
    const g = goldens[0];
    const run = await runWrit(["hook", "claude-code", "--on-approve", "deny"], payloadOf(g), { WRIT_URL: writ.url, WRIT_CONTRACT: "TASK-42" });
    check(run, { code: 2, json: claudePre("deny", approvalDeny(writ.url)), stderr: approvalDeny(writ.url) + "\n" }, "on-approve deny");
    assert.equal(writ.requests[0].body.contract_id, "TASK-42");
  } finally {
    await writ.close();
  }
});

test("the retry of an action that needed approval carries the approval id", async () => {
  const writ = await startFakeWrit((req) => ({ body: req.approval_id === "apv_test1" ? verdict("allow") : verdict("approve") }));
  try {
    const { freshDir } = await import("./harness-helpers.js");
    const state = freshDir();
    const payload = payloadOf(goldens.find((g) => g.harness === "codex" && g.payload === "pre-tool-use-bash.json")!);
    const first = await runWrit(["hook", "codex", "--url", writ.url], payload, { WRIT_STATE_DIR: state });
    assert.equal(first.code, 2);
    const retry = await runWrit(["hook", "codex", "--url", writ.url], payload, { WRIT_STATE_DIR: state });
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(writ.requests[0].body.approval_id, undefined);
    assert.equal(writ.requests[1].body.approval_id, "apv_test1");
    // redeemed: forgotten, so a third identical action asks afresh
    await runWrit(["hook", "codex", "--url", writ.url], payload, { WRIT_STATE_DIR: state });
    assert.equal(writ.requests[2].body.approval_id, undefined);
  } finally {
    await writ.close();
  }
});
