// The SDK-facing map: error policy (undefined vs strict errors worded as
// OPA's), exact big integers, and the network capabilities.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { createHostBuiltins, hostAlias, hostBuiltins } from "../src/rego/builtins/host.js";
import { builtinCatalog } from "../src/rego/builtins/catalog.js";

test("non-strict: a builtin error makes the call undefined", () => {
  assert.equal(hostBuiltins["sprintf"]!(1, []), undefined);
  assert.equal(hostBuiltins["units.parse"]!("foo"), undefined);
  assert.equal(hostBuiltins["regex.match"]!("(", "x"), undefined);
});

test("strict: errors carry OPA's class, builtin name and message", () => {
  const strict = createHostBuiltins({ strict: true });
  assert.throws(() => strict["sprintf"]!(1, []), { message: "eval_type_error: sprintf: operand 1 must be string but got number" });
  assert.throws(() => strict["units.parse"]!("foo"), { message: "eval_builtin_error: units.parse: units.parse: no amount provided" });
  assert.throws(() => strict["regex.match"]!("(", "x"), { message: "eval_builtin_error: regex.match: error parsing regexp: missing closing ): `(`" });
  assert.throws(() => strict["internal.template_string"]!([["a", "b"]]), { message: "eval_conflict_error: template-strings must not produce multiple outputs" });
});

test("integers beyond 2^53 reach the SDK exactly, as JSON text", () => {
  const b = createHostBuiltins({ now: () => 1_700_000_000_123_456_789n });
  const r = b["time.now_ns"]!();
  assert.ok(r instanceof ArrayBuffer);
  assert.equal(new TextDecoder().decode(r as ArrayBuffer), "1700000000123456789");
  const parsed = b["time.parse_rfc3339_ns"]!("2017-06-02T19:00:00.123456789Z");
  assert.equal(new TextDecoder().decode(parsed as ArrayBuffer), "1496430000123456789");
  // small results stay plain values
  assert.equal(b["time.parse_duration_ns"]!("1s"), 1e9);
});

test("every host builtin is a catalog builtin, an alias of one the SDK shadows, or a time native's exact-ns host", () => {
  for (const name of Object.keys(hostBuiltins)) {
    const base = name.replace(/^writ\.(host|exact_ns)\./, "");
    assert.ok(builtinCatalog[base], name);
    // the internal names are no builtin a policy can call
    if (base !== name) assert.equal(builtinCatalog[name], undefined, name);
  }
  assert.equal(hostAlias("sprintf"), "writ.host.sprintf");
  assert.equal(hostAlias("startswith"), "startswith");
  assert.equal(hostBuiltins[hostAlias("sprintf")]!("%d", [7]), "7");
});

test("uuid.rfc4122 and rand.intn draw afresh on every host call (the module caches per evaluation)", () => {
  const b = createHostBuiltins({});
  const u1 = b["uuid.rfc4122"]!("k");
  assert.match(u1 as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(b["uuid.rfc4122"]!("k"), u1);
  const draws = new Set(Array.from({ length: 20 }, () => b["rand.intn"]!("k", 1_000_000)));
  assert.ok(draws.size > 1);
  assert.equal(b["rand.intn"]!("k", 0), 0);
});

test("http.send and net.lookup_ip_addr are refused unless enabled", () => {
  const strict = createHostBuiltins({ strict: true });
  assert.throws(() => strict["http.send"]!({ method: "get", url: "http://127.0.0.1:9/" }), /network access is disabled: http.send to "http:\/\/127.0.0.1:9\/" refused/);
  assert.throws(() => strict["net.lookup_ip_addr"]!("localhost"), /network lookups are disabled/);
  // address literals need no lookup
  assert.deepEqual(strict["net.lookup_ip_addr"]!("10.0.0.1"), ["10.0.0.1"]);
  // the request is still checked first, as in OPA
  assert.throws(() => strict["http.send"]!({ url: "x" }), /operand 1 missing required request parameters\(s\): \{"method"\}/);
  assert.throws(() => strict["http.send"]!({ method: "get", url: "x", bad_key: 1 }), /invalid request parameters\(s\): \{"bad_key"\}/);
});

test("http.send, when enabled, makes the request and answers in OPA's shape", async () => {
  // the server must live in another thread: http.send blocks this one while it waits
  const server = new Worker(
    `const http = require("node:http"); const { parentPort } = require("node:worker_threads");
     const s = http.createServer((req, res) => { let body = ""; req.on("data", (c) => body += c); req.on("end", () => {
       res.setHeader("content-type", "application/json"); res.end(JSON.stringify({ method: req.method, path: req.url, body })); }); });
     s.listen(0, "127.0.0.1", () => parentPort.postMessage(s.address().port));
     parentPort.on("message", () => s.close(() => process.exit(0)));`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => server.once("message", resolve));
  try {
    const b = createHostBuiltins({ strict: true, capabilities: { http: true } });
    const res = b["http.send"]!({ method: "post", url: `http://127.0.0.1:${port}/x?y=1`, body: { a: 1 } }) as Record<string, unknown>;
    assert.equal(res["status_code"], 200);
    assert.equal(res["status"], "200 OK");
    assert.deepEqual(res["body"], { method: "POST", path: "/x?y=1", body: '{"a":1}' });
    assert.deepEqual((res["headers"] as Record<string, unknown>)["content-type"], ["application/json"]);
    // a refused connection is an error, or with raise_error: false a result
    assert.throws(() => b["http.send"]!({ method: "get", url: "http://127.0.0.1:1/" }), /eval_builtin_error: http.send: GET http:\/\/127.0.0.1:1\//);
    const soft = b["http.send"]!({ method: "get", url: "http://127.0.0.1:1/", raise_error: false }) as Record<string, unknown>;
    assert.equal(soft["status_code"], 0);
  } finally {
    server.postMessage("stop");
    await new Promise((resolve) => server.once("exit", resolve));
  }
});

test("net.lookup_ip_addr, when enabled, resolves names", () => {
  const b = createHostBuiltins({ strict: true, capabilities: { netLookup: true } });
  const addrs = b["net.lookup_ip_addr"]!("localhost") as string[];
  assert.ok(addrs.includes("127.0.0.1") || addrs.includes("::1"), JSON.stringify(addrs));
});

test("reference membership and walk, as OPA answers them", () => {
  const m2 = hostBuiltins["internal.member_2"]!;
  const m3 = hostBuiltins["internal.member_3"]!;
  assert.equal(m2(2, [1, 2]), true);
  assert.equal(m2({ a: 1 }, [{ a: 1 }]), true);
  assert.equal(m2("v", { k: "v" }), true);
  assert.equal(m2("k", { k: "v" }), false);
  assert.equal(m2("a", "abc"), false);
  assert.equal(m3(1, "b", ["a", "b"]), true);
  assert.equal(m3(0, "b", ["a", "b"]), false);
  assert.equal(m3("k", "v", { k: "v" }), true);
  assert.equal(m3("x", "v", { k: "v" }), false);
  assert.deepEqual(hostBuiltins["walk"]!({ b: [true], a: 1 }), [
    [[], { b: [true], a: 1 }],
    [["a"], 1],
    [["b"], [true]],
    [["b", 0], true],
  ]);
});
