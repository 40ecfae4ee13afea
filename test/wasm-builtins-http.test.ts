// http.send checks its request natively (OPA's operand errors without a
// host) and hands a well-formed request to the host builtin, once per
// evaluation for the same request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";

async function compile(source: string, strictBuiltinErrors: boolean) {
  const { wasm } = await compileRego({ modules: [{ path: "h.rego", source: `package h\n\n${source}\n` }], entrypoints: ["h/out"], strictBuiltinErrors });
  return wasm;
}

test("a malformed request is an operand error in the bare SDK", async () => {
  const policy = await loadPolicy(await compile("out := http.send(input.r)", true));
  const cases: [unknown, string][] = [
    [{ method: "get" }, 'missing required request parameters(s): {"url"}'],
    [{}, 'missing required request parameters(s): {"method", "url"}'],
    [{ method: "get", url: "http://x", zz: 1, bad_key: 2 }, 'invalid request parameters(s): {"bad_key", "zz"}'],
  ];
  for (const [r, message] of cases) {
    assert.throws(() => policy.evaluate({ r }, "h/out"), (e: unknown) => String((e as Error).message ?? e).includes(`eval_type_error: http.send: operand 1 ${message}`), JSON.stringify(r));
  }
  const lenient = await loadPolicy(await compile("out := http.send(input.r)", false));
  assert.deepEqual(lenient.evaluate({ r: { method: "get" } }, "h/out"), []);
});

test("a well-formed request goes to the host, once per evaluation", async () => {
  let calls = 0;
  const send = (req: { url: string }) => {
    calls++;
    return { status_code: 200, body: req.url };
  };
  const wasm = await compile('out := [a.body, b.body] if {\n\ta := http.send({"method": "get", "url": input.u})\n\tb := http.send({"method": "get", "url": input.u})\n}', false);
  const policy = await loadPolicy(wasm, undefined, { "http.send": send });
  assert.deepEqual(policy.evaluate({ u: "http://a" }, "h/out"), [{ result: ["http://a", "http://a"] }]);
  assert.equal(calls, 1);
  assert.deepEqual(policy.evaluate({ u: "http://b" }, "h/out"), [{ result: ["http://b", "http://b"] }]);
  assert.equal(calls, 2);
});
