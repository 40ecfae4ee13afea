// The in-process integrations — the OpenCode plugin and the OpenAI Agents
// SDK gate — against a real HTTP server standing in for writ.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createWritPlugin } from "../src/harness/opencode.js";
import { writGate } from "../src/harness/openai-agents.js";
import { startFakeWrit, verdict } from "./harness-helpers.js";
import type { DecideResponse } from "../src/decide/types.js";

test("OpenCode plugin: allow passes, deny and approve throw with the reason, unreachable throws", async () => {
  let answer: DecideResponse = verdict("allow");
  const writ = await startFakeWrit(() => ({ body: answer }));
  try {
    const hooks = await createWritPlugin({ url: writ.url, token: "t" })({ directory: "/home/dev/shop" });
    const before = hooks["tool.execute.before"];
    const input = { tool: "bash", sessionID: "ses_1", callID: "call_1" };
    await before(input, { args: { command: "bash -c 'rm -rf /'", description: "x" } });
    const req = writ.requests[0].body;
    assert.equal(req.harness, "opencode");
    assert.equal(req.session_id, "ses_1");
    assert.equal(req.request_id, "opencode/tool.execute.before/call_1");
    assert.deepEqual(req.action.commands, [{ program: "rm", name: "rm", args: ["-rf", "/"], via: ["bash -c"] }]);
    answer = verdict("deny");
    await assert.rejects(before(input, { args: { command: "ls" } }), /^Error: writ denied this: policy db-07/);
    answer = verdict("approve");
    await assert.rejects(before({ ...input, tool: "read" }, { args: { filePath: "src/a.ts" } }), /Approval apv_test1 waits/);
    assert.deepEqual(writ.requests[2].body.action.paths, ["/home/dev/shop/src/a.ts"]);
    answer = { ...verdict("allow"), decision: "perhaps" } as unknown as DecideResponse;
    await assert.rejects(before(input, { args: {} }), /writ blocked this: there is no decision/);
  } finally {
    await writ.close();
  }
  const dead = await createWritPlugin({ url: "http://127.0.0.1:9" })({ directory: "/w" });
  await assert.rejects(dead["tool.execute.before"]({ tool: "read", sessionID: "s", callID: "c" }, { args: { filePath: "x" } }), /writ is unreachable/);
});

test("OpenAI Agents gate: needsApproval and the input guardrail share one decision per call", async () => {
  const answers: Record<string, DecideResponse> = { ls: verdict("allow"), "rm -rf /": verdict("deny"), "git push": verdict("approve") };
  const writ = await startFakeWrit((req) => ({ body: answers[req.action.command ?? ""] }));
  try {
    const gate = writGate({ session: "thread_1", url: writ.url, aliases: { run_shell: "bash" } });
    const needs = gate.needsApproval("run_shell");
    const guard = gate.inputGuardrail;
    const call = (id: string, command: string) => ({ toolCall: { name: "run_shell", arguments: JSON.stringify({ command }), callId: id } });

    assert.equal(await needs({}, { command: "ls" }, "c1"), false);
    assert.deepEqual((await guard.run(call("c1", "ls"))).behavior, { type: "allow" });

    // deny: a human is asked (needsApproval alone must not let it run), and
    // the guardrail rejects even after a human approved
    assert.equal(await needs({}, { command: "rm -rf /" }, "c2"), true);
    const denied = await guard.run(call("c2", "rm -rf /"));
    assert.equal(denied.behavior.type, "rejectContent");
    assert.match((denied.behavior as { message: string }).message, /^writ denied this/);

    // approve: needsApproval asks; the guardrail then lets the approved call run
    assert.equal(await needs({}, { command: "git push" }, "c3"), true);
    assert.deepEqual((await guard.run(call("c3", "git push"))).behavior, { type: "allow" });
    // … but not a call that never went through needsApproval
    const unasked = await guard.run(call("c4", "git push"));
    assert.equal(unasked.behavior.type, "rejectContent");

    assert.equal(writ.requests.length, 4, "c1, c2, c3 decided once each, c4 once");
    assert.equal(writ.requests[0].body.harness, "openai-agents");
    assert.deepEqual(writ.requests[0].body.action.commands, [{ program: "ls", name: "ls", args: [] }]);
  } finally {
    await writ.close();
  }
});

test("OpenAI Agents gate: writ unreachable asks a human and the guardrail rejects", async () => {
  const gate = writGate({ session: "t", url: "http://127.0.0.1:9" });
  assert.equal(await gate.needsApproval("x")({}, {}, "c"), true);
  const r = await gate.inputGuardrail.run({ toolCall: { name: "x", arguments: "{}", callId: "c" } });
  assert.equal(r.behavior.type, "rejectContent");
  assert.match((r.behavior as { message: string }).message, /writ is unreachable/);
});
