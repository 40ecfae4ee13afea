// The hook's HTTP client over both of its connections — libuv's TCP handle
// (an IP address) and node:net (a host name) — against real sockets on
// 127.0.0.1 that answer in the odd ways a server or proxy can: chunked,
// oversized, cut short, reset, refused. Both must give the same answers,
// and every failure must be a NoDecision (which the adapters turn into a
// block).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { postJson } from "../src/harness/client.js";
import { NoDecision } from "../src/harness/response.js";

/** A raw TCP server: `answer` gets the socket and the request text. */
async function rawServer(answer: (socket: Socket, request: string) => void): Promise<{ port: number; requests: string[]; idle(): Promise<void>; close(): Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let onIdle = () => {};
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      if (sockets.size === 0) onIdle();
    });
    let text = "";
    socket.on("data", (c: Buffer) => {
      text += c.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      requests.push(text);
      answer(socket, text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    // every connection closed by the client (a client that keeps one open
    // never gets here, and the test times out)
    idle: () => new Promise<void>((r) => (sockets.size === 0 ? r() : (onIdle = r))),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const hosts = { "TCP handle": "127.0.0.1", "node:net": "localhost" };

for (const [via, host] of Object.entries(hosts)) {
  test(`client over ${via}: the request as sent, a plain and a chunked answer`, async () => {
    let chunked = false;
    const srv = await rawServer((s) => {
      if (chunked) s.end('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{"a":\r\n4\r\n"é"\r\n1\r\n}\r\n0\r\n\r\n');
      else s.end('HTTP/1.1 201 Created\r\ncontent-length: 8\r\n\r\n{"a":1}\nEXTRA');
    });
    try {
      const url = `http://${host}:${srv.port}`;
      const plain = await postJson({ url, token: "tok" }, "/v1/decide", { x: "ü" });
      assert.deepEqual(plain, { status: 201, body: '{"a":1}\n' });
      chunked = true;
      assert.deepEqual(await postJson({ url }, "/v1/decide", {}), { status: 200, body: '{"a":"é"}' });
      const req = srv.requests[0];
      assert.match(req, /^POST \/v1\/decide HTTP\/1\.1\r\n/);
      assert.match(req, new RegExp(`\r\nhost: ${host}:${srv.port}\r\n`));
      assert.match(req, /\r\nconnection: close\r\n/);
      assert.match(req, /\r\nauthorization: Bearer tok\r\n/);
      assert.equal(Buffer.from(req.slice(req.indexOf("\r\n\r\n") + 4), "latin1").toString("utf8"), '{"x":"ü"}');
    } finally {
      await srv.close();
    }
  });

  test(`client over ${via}: too large, cut short, reset, refused and silent answers are no decision`, async () => {
    let mode = "";
    const srv = await rawServer((s) => {
      if (mode === "large") {
        s.write("HTTP/1.1 200 OK\r\n\r\n");
        s.end(Buffer.alloc(1024 * 1024 + 10, 120));
      } else if (mode === "short") s.end("HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{}");
      else if (mode === "no head") s.end("HTTP/1.1 200 OK\r\n");
      else if (mode === "reset") s.resetAndDestroy();
      // "silent": never answers
    });
    const url = `http://${host}:${srv.port}`;
    const fails = async (m: string, why: RegExp, timeoutMs = 3000) => {
      mode = m;
      await assert.rejects(postJson({ url, timeoutMs }, "/v1/decide", {}), (e: unknown) => e instanceof NoDecision && why.test(e.message), m);
    };
    try {
      await fails("large", /^writ's answer is too large$/);
      await fails("short", /cut short/);
      await fails("no head", /without a complete answer/);
      await fails("reset", new RegExp(`^writ is unreachable at http://${host}:${srv.port} \\(ECONNRESET\\)$`));
      await fails("silent", /did not answer within 200 ms/, 200);
    } finally {
      await srv.close();
    }
    await assert.rejects(postJson({ url }, "/v1/decide", {}), (e: unknown) => e instanceof NoDecision && /\(ECONNREFUSED\)$/.test(e.message));
  });
}

test("a long-lived client leaves no connection open after its requests", async () => {
  const srv = await rawServer((s) => s.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"));
  try {
    for (let i = 0; i < 20; i++) await postJson({ url: `http://127.0.0.1:${srv.port}` }, "/v1/decide", { i });
    // the server answers and half-closes; only a client that closes its
    // end lets the server's socket close
    await srv.idle();
    assert.equal(srv.requests.length, 20);
  } finally {
    await srv.close();
  }
});
