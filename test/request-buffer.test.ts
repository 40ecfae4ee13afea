// The fast path's receive buffer (src/server/request-buffer.ts): requests
// split anywhere come out whole, and a request arriving a byte at a time
// costs copying in proportion to its length.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RequestBuffer } from "../src/server/request-buffer.js";
import { rng } from "./support/rng.js";

/** Reads every complete "head\r\n\r\nbody" (body length in the head) out of the buffer. */
function drain(b: RequestBuffer, out: string[]): void {
  for (;;) {
    const end = b.headEnd();
    if (end < 0) return;
    const head = b.text(0, end, "latin1");
    const len = Number(/len=(\d+)/.exec(head)![1]);
    if (b.length < end + 4 + len) return;
    out.push(head + "|" + b.text(end + 4, end + 4 + len, "utf8"));
    b.consume(end + 4 + len);
  }
}

test("requests split at every possible place come out whole and in order", () => {
  const r = rng(5);
  const requests = Array.from({ length: 40 }, (_, i) => {
    const body = "é".repeat(Math.floor(r() * 30)) + "x".repeat(i);
    return { head: `req ${i} len=${Buffer.byteLength(body)}`, body };
  });
  const stream = Buffer.from(requests.map((q) => `${q.head}\r\n\r\n${q.body}`).join(""));
  const want = requests.map((q) => `${q.head}|${q.body}`);
  for (let trial = 0; trial < 60; trial++) {
    const b = new RequestBuffer();
    const got: string[] = [];
    for (let at = 0; at < stream.length; ) {
      // pieces from 1 byte to a few hundred, so the blank line falls across
      // pieces, at their edges and inside them
      const step = trial % 3 === 0 ? 1 : 1 + Math.floor(r() * (trial % 3 === 1 ? 8 : 300));
      b.append(stream.subarray(at, at + step));
      at += step;
      drain(b, got);
    }
    assert.deepEqual(got, want, `trial ${trial}`);
    assert.equal(b.length, 0);
  }
});

test("a request arriving a byte at a time is copied a bounded number of times per byte", () => {
  const b = new RequestBuffer();
  const n = 200_000;
  const byte = Buffer.from("a");
  for (let i = 0; i < n; i++) {
    b.append(byte);
    assert.equal(b.headEnd(), -1);
  }
  assert.equal(b.length, n);
  // doubling: each byte is copied once on arrival and about once more on
  // average when the store grows (a Buffer.concat per piece: n²/2)
  assert.ok(b.copied < 3 * n, `${b.copied} bytes copied for ${n}`);
  b.append(Buffer.from("\r\n\r\n"));
  assert.equal(b.headEnd(), n);
  assert.equal(b.rest().length, n + 4);
});
