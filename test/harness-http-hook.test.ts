// The Claude Code HTTP hook handler, mounted on a real node:http server on
// 127.0.0.1 the way `writ serve` mounts it, called as Claude calls it.
// Every answer is a 200: Claude lets the tool run on anything else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { claudeCodeHttpHook, claudeCodeHttpBlock, NoDecision } from "../src/harness/http-hook.js";
import type { DecideRequest, DecideResponse } from "../src/decide/types.js";
import { root, verdict } from "./harness-helpers.js";

async function serveHook(decide: (req: DecideRequest, auth: string | undefined) => Promise<DecideResponse>) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        const out = claudeCodeHttpBlock("the hook body is not JSON");
        res.writeHead(out.status, { "content-type": out.contentType }).end(out.body);
        return;
      }
      const out = await claudeCodeHttpHook(payload, (r) => decide(r, req.headers.authorization), { url: "http://writ.test" });
      res.writeHead(out.status, { "content-type": out.contentType }).end(out.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/hooks/claude-code`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const payload = readFileSync(join(root, "test/golden/claude-code/pre-tool-use-mcp.json"), "utf8");
const post = (url: string, body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer agent-token" }, body });

test("HTTP hook: allow is an empty 200, deny and approve are 200s with Claude's JSON", async () => {
  let answer = verdict("allow");
  const seen: DecideRequest[] = [];
  const hook = await serveHook(async (r, auth) => {
    assert.equal(auth, "Bearer agent-token");
    seen.push(r);
    return answer;
  });
  try {
    let res = await post(hook.url, payload);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "");
    answer = verdict("deny");
    res = await post(hook.url, payload);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "deny",
        permissionDecisionReason: "writ denied this: policy db-07: destructive SQL needs a ticket [acme.db_07] (decision dec-0001)",
      },
    });
    answer = verdict("approve");
    res = await post(hook.url, payload);
    assert.equal(((await res.json()) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision, "ask");
    assert.equal(seen[0].action.mcp_server, "pg");
  } finally {
    await hook.close();
  }
});

test("HTTP hook: a refused credential, a failing decider, a bad body — all 200s that deny", async () => {
  const hook = await serveHook(async (_r, auth) => {
    if (auth !== "Bearer good") throw new NoDecision("writ does not know this credential");
    return verdict("allow");
  });
  try {
    for (const body of [payload, "{nope", JSON.stringify({ hook_event_name: "PreToolUse" })]) {
      const res = await post(hook.url, body);
      assert.equal(res.status, 200);
      const json = (await res.json()) as Record<string, unknown>;
      const text = JSON.stringify(json);
      assert.match(text, /"deny"|"block"/, text);
      assert.match(text, /writ blocked this: there is no decision/);
    }
  } finally {
    await hook.close();
  }
});

test("HTTP hook: a decider that returns garbage denies", async () => {
  const hook = await serveHook(async () => ({ decision: "allow" }) as unknown as DecideResponse);
  try {
    const res = await post(hook.url, payload);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"permissionDecision":"deny".*no reasons list/);
  } finally {
    await hook.close();
  }
});
