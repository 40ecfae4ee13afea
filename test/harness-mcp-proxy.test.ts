// `writ mcp-proxy` as a real process in front of a real (tiny) MCP server
// process, with a real HTTP server standing in for writ.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshDir, startFakeWrit, verdict, writBin } from "./harness-helpers.js";

/** An MCP server that answers every request and logs what it received. */
function fakeServer(dir: string): { script: string; log: string } {
  const log = join(dir, "received.log");
  const script = join(dir, "server.mjs");
  writeFileSync(
    script,
    `import { appendFileSync } from "node:fs";
let buf = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => {
  buf += c;
  let i;
  while ((i = buf.indexOf("\\n")) >= 0) {
    const line = buf.slice(0, i); buf = buf.slice(i + 1);
    appendFileSync(${JSON.stringify(log)}, line + "\\n");
    const m = JSON.parse(line);
    for (const x of Array.isArray(m) ? m : [m]) {
      if (x.id === undefined) continue;
      const result = x.method === "tools/call" ? { content: [{ type: "text", text: "ran " + x.params.name }] } : { ok: x.method };
      // answer in two writes, to show the proxy keeps lines whole
      const out = JSON.stringify({ jsonrpc: "2.0", id: x.id, result }) + "\\n";
      process.stdout.write(out.slice(0, 10));
      process.stdout.write(out.slice(10));
    }
  }
});
process.stdin.on("end", () => process.exit(0));
`,
  );
  return { script, log };
}

interface Session {
  send(m: unknown): void;
  sendRaw(line: string): void;
  next(): Promise<Record<string, unknown> | unknown[]>;
  end(): Promise<number | null>;
}

function startProxy(url: string, script: string): Session {
  const child = spawn(process.execPath, [writBin, "mcp-proxy", "--url", url, "--server-name", "pg", "--session", "s-mcp", "--", process.execPath, script], {
    env: { ...process.env, WRIT_TOKEN: "test-token" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let buf = "";
  const queue: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (c: string) => {
    buf += c;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w(line);
      else queue.push(line);
    }
  });
  return {
    send: (m) => child.stdin.write(JSON.stringify(m) + "\n"),
    sendRaw: (line) => child.stdin.write(line + "\n"),
    next: () => new Promise((resolve) => {
      const l = queue.shift();
      if (l !== undefined) resolve(JSON.parse(l));
      else waiting.push((x) => resolve(JSON.parse(x)));
    }),
    end: () => new Promise((resolve) => {
      child.on("close", (code) => resolve(code));
      child.stdin.end();
    }),
  };
}

const call = (id: number, name: string, args: unknown = {}) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });

test("mcp-proxy: allowed calls reach the server; denied ones come back as isError and never do", async () => {
  const writ = await startFakeWrit((req) => ({ body: verdict((req.action.raw as { sql?: string }).sql?.startsWith("DELETE") ? "deny" : "allow") }));
  const dir = freshDir();
  const { script, log } = fakeServer(dir);
  const p = startProxy(writ.url, script);
  try {
    p.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} });
    assert.deepEqual(await p.next(), { jsonrpc: "2.0", id: 1, result: { ok: "initialize" } });
    p.send(call(2, "query", { sql: "SELECT 1" }));
    assert.deepEqual(await p.next(), { jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "ran query" }] } });
    p.send(call(3, "query", { sql: "DELETE FROM orders" }));
    assert.deepEqual(await p.next(), {
      jsonrpc: "2.0",
      id: 3,
      result: { content: [{ type: "text", text: "writ denied this: policy db-07: destructive SQL needs a ticket [acme.db_07] (decision dec-0001)" }], isError: true },
    });
    // not JSON: a parse error, not passed on
    p.sendRaw("{garbage");
    assert.deepEqual(await p.next(), { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    // a nameless call is refused
    p.send({ jsonrpc: "2.0", id: 4, method: "tools/call", params: {} });
    assert.deepEqual(await p.next(), { jsonrpc: "2.0", id: 4, error: { code: -32602, message: "tools/call without a tool name" } });
    // duplicate keys: the server gets exactly what writ decided on
    p.sendRaw('{"jsonrpc":"2.0","id":5,"method":"tools/list","method":"tools/call","params":{"name":"query","arguments":{"sql":"DELETE FROM x"}}}');
    assert.equal(((await p.next()) as { result: { isError?: boolean } }).result.isError, true);
    // a batch: the allowed part goes on, the denied part is answered
    p.send([call(6, "query", { sql: "SELECT 2" }), call(7, "query", { sql: "DELETE FROM y" })]);
    const replies = [await p.next(), await p.next()];
    const flat = replies.flatMap((r) => (Array.isArray(r) ? r : [r])) as { id: number; result: { isError?: boolean } }[];
    assert.deepEqual(flat.map((r) => [r.id, r.result.isError ?? false]).sort(), [[6, false], [7, true]]);
    assert.equal(await p.end(), 0);
    const received = readFileSync(log, "utf8");
    assert.doesNotMatch(received, /DELETE/, "no denied call reached the server");
    assert.match(received, /SELECT 1/);
    assert.match(received, /SELECT 2/);
    const asked = writ.requests.map((r) => r.body);
    assert.equal(asked[0].harness, "mcp");
    assert.equal(asked[0].session_id, "s-mcp");
    assert.equal(asked[0].tool, "mcp__pg__query");
    assert.deepEqual(asked[0].action, { kind: "mcp", mcp_server: "pg", mcp_tool: "query", raw: { sql: "SELECT 1" } });
  } finally {
    await writ.close();
  }
});

test("mcp-proxy: writ unreachable, the call is refused with isError", async () => {
  const dir = freshDir();
  const { script, log } = fakeServer(dir);
  const p = startProxy("http://127.0.0.1:9", script);
  p.send(call(1, "query", { sql: "SELECT 1" }));
  const r = (await p.next()) as { result: { isError: boolean; content: { text: string }[] } };
  assert.equal(r.result.isError, true);
  assert.match(r.result.content[0].text, /^writ blocked this: there is no decision \(writ is unreachable/);
  assert.equal(await p.end(), 0);
  assert.ok(!existsSync(log) || !/tools\/call/.test(readFileSync(log, "utf8")), "the call never reached the server");
});

test("mcp-proxy: approve is refused with the approval id, and the retry carries it", async () => {
  const writ = await startFakeWrit((req) => ({ body: req.approval_id ? verdict("allow") : verdict("approve") }));
  const dir = freshDir();
  const { script } = fakeServer(dir);
  const p = startProxy(writ.url, script);
  try {
    p.send(call(1, "query", { sql: "UPDATE t" }));
    const first = (await p.next()) as { result: { isError: boolean; content: { text: string }[] } };
    assert.equal(first.result.isError, true);
    assert.match(first.result.content[0].text, /Approval apv_test1 waits/);
    p.send(call(2, "query", { sql: "UPDATE t" }));
    assert.deepEqual(await p.next(), { jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "ran query" }] } });
    assert.equal(writ.requests[1].body.approval_id, "apv_test1");
    await p.end();
  } finally {
    await writ.close();
  }
});
