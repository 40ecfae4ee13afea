// The decision route's own HTTP path (src/server/fast-http.ts) on a real
// service on 127.0.0.1, spoken to over raw TCP: what it serves itself, and
// that everything else reaches node:http intact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { createServer } from "node:http";
import { startTestService, action, type TestService } from "./support/service.js";
import { FastHttpServer, parseHead } from "../src/server/fast-http.js";
import { rng } from "./support/rng.js";

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads HTTP/1.1 answers (Content-Length framed) off a socket. */
class Reader {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  ended = false;
  constructor(readonly socket: Socket) {
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => {});
  }
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
  private take(): Answer | undefined {
    const he = this.buf.indexOf("\r\n\r\n");
    if (he < 0) return undefined;
    const lines = this.buf.toString("latin1", 0, he).split("\r\n");
    const status = Number(lines[0]!.split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) headers[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
    const len = Number(headers["content-length"] ?? 0);
    if (this.buf.length < he + 4 + len) return undefined;
    const body = this.buf.toString("utf8", he + 4, he + 4 + len);
    this.buf = this.buf.subarray(he + 4 + len);
    return { status, headers, body };
  }
  async next(): Promise<Answer> {
    for (;;) {
      const a = this.take();
      if (a) return a;
      if (this.ended) throw new Error(`connection closed; unread: ${JSON.stringify(this.buf.toString())}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async closed(): Promise<void> {
    while (!this.ended) await new Promise<void>((r) => this.waiters.push(r));
  }
}

async function open(t: TestService | number): Promise<Reader> {
  const port = typeof t === "number" ? t : t.svc.port;
  const socket = connect(port, "127.0.0.1");
  await new Promise((r) => socket.once("connect", r));
  return new Reader(socket);
}

function decideRequest(t: TestService, body: string, extra = ""): string {
  return `POST /v1/decide HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

test("parseHead takes only the plain decision request and leaves everything else to node:http", () => {
  const plain = "POST /v1/decide HTTP/1.1\r\nHost: x\r\nAuthorization:  Bearer abc \r\nContent-Length: 12\r\n";
  assert.deepEqual(parseHead(plain), { contentLength: 12, authorization: "Bearer abc", close: false });
  assert.equal(parseHead(plain + "Connection: keep-alive, close\r\n")?.close, true);
  // only SP and HTAB around a value are dropped
  assert.equal(parseHead(plain.replace("Authorization:  Bearer abc ", "Authorization:\t Bearer abc\t\t"))?.authorization, "Bearer abc");
  const refused = {
    "another route": plain.replace("/v1/decide", "/v1/decide?x=1"),
    "another method": plain.replace("POST", "PUT"),
    "HTTP/1.0": plain.replace("HTTP/1.1", "HTTP/1.0"),
    chunked: plain + "Transfer-Encoding: chunked\r\n",
    "two lengths": plain + "Content-Length: 12\r\n",
    "a length that is not digits": plain.replace("12", "+12"),
    "no length": plain.replace("Content-Length: 12\r\n", ""),
    "no host": plain.replace("Host: x\r\n", ""),
    "two hosts": plain + "Host: y\r\n",
    "two credentials": plain + "Authorization: Bearer other\r\n",
    expect: plain + "Expect: 100-continue\r\n",
    upgrade: plain + "Connection: Upgrade\r\nUpgrade: h2c\r\n",
    "obs-fold": plain + " folded\r\n",
    "a bad name": plain + "Bad Name: 1\r\n",
    "a control character": plain + "X-A: a\u0000b\r\n",
    "a vertical tab around a value": plain + "X-A: \u000ba\u000b\r\n",
    "a bare LF": plain + "X-A: a\nX-B: b\r\n",
    "a line without a colon": plain + "nonsense\r\n",
  };
  for (const [what, head] of Object.entries(refused)) assert.equal(parseHead(head), undefined, what);
});

test("own path: keep-alive, pipelined and byte-by-byte requests are answered in order on one connection", async () => {
  const t = await startTestService();
  const c = await open(t);
  try {
    const one = JSON.stringify(action({ request_id: "p-1" }));
    const two = JSON.stringify(action({ request_id: "p-2" }));
    // two requests in one write: answered in order
    c.socket.write(decideRequest(t, one) + decideRequest(t, two));
    const a1 = await c.next();
    const a2 = await c.next();
    assert.equal(a1.status, 200);
    assert.equal(a2.status, 200);
    assert.equal(a1.headers["connection"], "keep-alive");
    assert.ok(a1.headers["date"]);
    assert.equal(a1.headers["content-type"], "application/json");
    const seq1 = JSON.parse(a1.body).audit.seq;
    const seq2 = JSON.parse(a2.body).audit.seq;
    assert.ok(seq2 > seq1, "pipelined requests are decided in order");
    // one request dribbled a byte at a time, on the same connection
    const bytes = Buffer.from(decideRequest(t, JSON.stringify(action())));
    for (let i = 0; i < bytes.length; i += 7) {
      c.socket.write(bytes.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    const a3 = await c.next();
    assert.equal(a3.status, 200);
    assert.equal(JSON.parse(a3.body).decision, "allow");
    // a body that is not JSON: the route's own 400
    c.socket.write(decideRequest(t, "{nope"));
    assert.equal((await c.next()).status, 400);
    assert.equal(t.svc.fast?.connections, 1);
  } finally {
    c.socket.destroy();
    await t.close();
  }
});

test("own path: a long pipeline of requests in one write is answered in full, in order", async () => {
  // a small body limit: the path reads ahead at most a head and a body
  const t = await startTestService({ bodyLimitBytes: 4096 });
  const c = await open(t);
  try {
    const n = 400;
    // ~200 KB at once: more than the path reads ahead while it decides
    c.socket.write(Array.from({ length: n }, (_, i) => decideRequest(t, JSON.stringify(action({ request_id: `pipe-${i}` })))).join(""));
    let last = 0;
    for (let i = 0; i < n; i++) {
      const a = await c.next();
      assert.equal(a.status, 200);
      const seq = JSON.parse(a.body).audit.seq;
      assert.ok(seq > last, `answer ${i} in order`);
      last = seq;
    }
  } finally {
    c.socket.destroy();
    await t.close();
  }
});

test("own path: Connection: close is answered, then the connection closes", async () => {
  const t = await startTestService();
  const c = await open(t);
  try {
    c.socket.write(decideRequest(t, JSON.stringify(action()), "Connection: close\r\n"));
    const a = await c.next();
    assert.equal(a.status, 200);
    assert.equal(a.headers["connection"], "close");
    await c.closed();
  } finally {
    await t.close();
  }
});

test("own path: a caller that ends its side after the request still gets its answer", async () => {
  const t = await startTestService();
  const c = await open(t);
  try {
    c.socket.end(decideRequest(t, JSON.stringify(action())));
    assert.equal((await c.next()).status, 200);
    await c.closed();
  } finally {
    await t.close();
  }
});

test("hand-over: other routes, chunked bodies, oversize bodies and malformed heads get node:http's answers, with what came before intact", async () => {
  const t = await startTestService({ bodyLimitBytes: 4096 });
  try {
    // a decision on the own path, then /health on the same connection
    let c = await open(t);
    c.socket.write(decideRequest(t, JSON.stringify(action())) + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.equal((await c.next()).status, 200);
    const health = await c.next();
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, "ok");
    // … and the connection, now node:http's, still decides
    c.socket.write(decideRequest(t, JSON.stringify(action())));
    assert.equal(JSON.parse((await c.next()).body).decision, "allow");
    c.socket.destroy();

    // a chunked body: node:http reads it, and the decision is made
    c = await open(t);
    const body = JSON.stringify(action());
    const chunked = `POST /v1/decide HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.token}\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    c.socket.write(chunked);
    const a = await c.next();
    assert.equal(a.status, 200);
    assert.equal(JSON.parse(a.body).decision, "allow");
    c.socket.destroy();

    // over the body limit: node:http's route answers 413
    c = await open(t);
    c.socket.write(decideRequest(t, JSON.stringify(action({ action: { kind: "prompt", prompt: "x".repeat(5000) } }))));
    assert.equal((await c.next()).status, 413);
    c.socket.destroy();

    // a malformed head: node:http's 400, and it closes
    c = await open(t);
    c.socket.write("POST /v1/decide HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\nContent-Length: 2\r\n\r\n{}");
    assert.equal((await c.next()).status, 400);
    await c.closed();

    // a head longer than node:http takes: 431
    c = await open(t);
    c.socket.write(`POST /v1/decide HTTP/1.1\r\nHost: x\r\nX-Long: ${"a".repeat(20_000)}\r\nContent-Length: 2\r\n\r\n{}`);
    assert.equal((await c.next()).status, 431);
    c.socket.destroy();

    // the service is unharmed
    assert.equal((await t.decide(action())).status, 200);
  } finally {
    await t.close();
  }
});

test("a request head that does not arrive in time gets 408 and the connection closes", async () => {
  const fallback = createServer((_req, res) => res.end("fallback"));
  const fast = new FastHttpServer({
    decide: async (_auth, body) => ({ status: 200, body }),
    fallback,
    bodyLimitBytes: 1024,
    keepAliveTimeoutMs: 60_000,
    headersTimeoutMs: 300,
    requestTimeoutMs: 10_000,
  });
  await new Promise<void>((r) => fast.server.listen(0, "127.0.0.1", r));
  const port = (fast.server.address() as { port: number }).port;
  try {
    const c = await open(port);
    c.socket.write("POST /v1/decide HTTP/1.1\r\nHost: x\r\n");
    const a = await c.next();
    assert.equal(a.status, 408);
    await c.closed();
    // an idle connection is left alone until the keep-alive timeout, and a
    // complete request is answered by the decide function
    const d = await open(port);
    d.socket.write("POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping");
    assert.deepEqual([(await d.next()).body], ["ping"]);
    d.socket.destroy();
  } finally {
    await fast.close();
    fast.closeAll();
  }
});

test("shutdown closes a connection node:http took over, once it is idle", async () => {
  const t = await startTestService();
  const c = await open(t);
  c.socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  assert.equal((await c.next()).status, 200);
  const started = Date.now();
  await t.close();
  await c.closed();
  assert.ok(Date.now() - started < 1500, `closed after ${Date.now() - started} ms, not at the 2 s cut`);
});

test("shutdown answers the decision being made and closes idle connections", async () => {
  const t = await startTestService();
  const idle = await open(t);
  const busy = await open(t);
  const seq = t.svc.audit.lastSeq;
  busy.socket.write(decideRequest(t, JSON.stringify(action())));
  // close once the decision is appended, before it is answered
  while (t.svc.audit.lastSeq === seq) await new Promise((r) => setImmediate(r));
  const closing = t.close();
  assert.equal((await busy.next()).status, 200);
  await idle.closed();
  await busy.closed();
  await closing;
});

test("mutated, truncated and oddly split requests never crash the service; each connection answers or closes", async () => {
  const t = await startTestService();
  const r = rng(11);
  const base = Buffer.from(decideRequest(t, JSON.stringify(action())));
  try {
    for (let n = 0; n < 120; n++) {
      const bytes = Buffer.from(base);
      // flip a few bytes, anywhere: request line, header names and values, CRLFs, body
      for (let k = 1 + Math.floor(r() * 4); k > 0; k--) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
      const cut = r() < 0.2 ? bytes.subarray(0, Math.floor(r() * bytes.length)) : bytes;
      const c = await open(t);
      // in random pieces
      for (let at = 0; at < cut.length; ) {
        const step = 1 + Math.floor(r() * 200);
        c.socket.write(cut.subarray(at, at + step));
        at += step;
      }
      c.socket.end();
      // whatever happened, the connection ends: an answer (any status) or none
      await Promise.race([c.closed(), new Promise((_, reject) => setTimeout(() => reject(new Error(`connection ${n} hung`)), 5000))]);
    }
    // and the service still decides
    assert.equal((await t.decide(action())).status, 200);
  } finally {
    await t.close();
  }
});
