// Rego compiled by writ, evaluated by the unmodified OPA Wasm SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";

async function evaluate(source: string, entrypoint: string, input?: unknown, data?: object): Promise<unknown[]> {
  const { wasm } = await compileRego({ modules: [{ path: "policy.rego", source }], entrypoints: [entrypoint] });
  const policy = await loadPolicy(wasm);
  if (data) policy.setData(data);
  return policy.evaluate(input, entrypoint) as unknown[];
}

test("a complete rule over input, with the bare SDK", async () => {
  const src = 'package example\n\ndefault allow := false\n\nallow if input.user == "alice"\n';
  assert.deepEqual(await evaluate(src, "example/allow", { user: "alice" }), [{ result: true }]);
  assert.deepEqual(await evaluate(src, "example/allow", { user: "bob" }), [{ result: false }]);
  assert.deepEqual(await evaluate(src, "example/allow"), [{ result: false }]);
});

test("an undefined rule gives an empty result set", async () => {
  assert.deepEqual(await evaluate("package t\n\np if input.x > 1\n", "t/p", { x: 0 }), []);
});

test("partial sets, partial objects and comprehensions", async () => {
  const src = [
    "package t",
    "",
    "names contains u.name if some u in input.users",
    "",
    "by_name[u.name] := u.age if some u in input.users",
    "",
    "adults := [n | some u in input.users; u.age >= 18; n := u.name]",
    "",
  ].join("\n");
  const input = { users: [{ name: "a", age: 30 }, { name: "b", age: 10 }] };
  assert.deepEqual(await evaluate(src, "t/names", input), [{ result: ["a", "b"] }]);
  assert.deepEqual(await evaluate(src, "t/by_name", input), [{ result: { a: 30, b: 10 } }]);
  assert.deepEqual(await evaluate(src, "t/adults", input), [{ result: ["a"] }]);
});

test("virtual documents overlay base data", async () => {
  const src = "package a.b\n\nc := 1\n";
  assert.deepEqual(await evaluate(src, "a", undefined, { a: { x: 2 } }), [{ result: { b: { c: 1 }, x: 2 } }]);
});

test("functions, else and with", async () => {
  const src = [
    "package t",
    "",
    "f(x) := \"big\" if x > 10",
    "else := \"small\"",
    "",
    "r := [f(1), f(100)]",
    "",
    "w := v if v := input.n with input.n as 7",
    "",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "t/r"), [{ result: ["small", "big"] }]);
  assert.deepEqual(await evaluate(src, "t/w", { n: 1 }), [{ result: 7 }]);
});

test("conflicting complete rule values abort the evaluation", async () => {
  const src = "package t\n\np := 1 if input.a\n\np := 2 if input.b\n";
  assert.deepEqual(await evaluate(src, "t/p", { a: true }), [{ result: 1 }]);
  await assert.rejects(evaluate(src, "t/p", { a: true, b: true }), /complete rules must not produce multiple outputs/);
});

test("nondeterministic builtins answer alike within one evaluation, anew in the next", async () => {
  const { hostBuiltins } = await import("../src/index.js");
  const src = 'package t\n\nids := [uuid.rfc4122("a"), uuid.rfc4122("a"), uuid.rfc4122("b"), rand.intn("a", 1000000000), rand.intn("a", 1000000000)]\n';
  const { wasm } = await compileRego({ modules: [{ path: "policy.rego", source: src }], entrypoints: ["t/ids"] });
  const policy = await loadPolicy(wasm, undefined, hostBuiltins);
  const once = (policy.evaluate({}, "t/ids") as { result: string[] }[])[0]!.result;
  assert.equal(once[3], once[4], "rand.intn: same key and bound, same number");
  const again = (policy.evaluate({}, "t/ids") as { result: string[] }[])[0]!.result;
  assert.equal(once[0], once[1], "same arguments, same evaluation: same uuid");
  assert.notEqual(once[0], once[2], "other arguments: another uuid");
  assert.notEqual(once[0], again[0], "the next evaluation starts afresh");
});
