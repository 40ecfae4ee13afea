// net.cidr_contains_matches: native for the match keys (set members, object
// keys of any type), the host's for the CIDRs; through writ's compiler and
// the SDK with writ's host builtins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileOut, evalOut } from "./support/out-policy.js";


test("the keys of set operands are their members (OPA conformance)", async () => {
  assert.deepEqual(
    await evalOut('out := net.cidr_contains_matches({"1.1.1.0/24", "1.1.2.0/24"}, {"1.1.1.1", "1.1.2.1"})'),
    [["1.1.1.0/24", "1.1.1.1"], ["1.1.2.0/24", "1.1.2.1"]],
  );
  assert.deepEqual(
    await evalOut('out := net.cidr_contains_matches({["1.1.1.0/24", "bar"], ["1.1.2.0/24", "foo"]}, {["1.1.1.1", "baz"], ["1.1.2.1", "qux"]})'),
    [[["1.1.1.0/24", "bar"], ["1.1.1.1", "baz"]], [["1.1.2.0/24", "foo"], ["1.1.2.1", "qux"]]],
  );
  // the result is a set of pairs
  assert.deepEqual(await evalOut('r := net.cidr_contains_matches({"10.0.0.0/8"}, {"10.1.1.1", "11.0.0.1"})\nout := [is_set(r), r == {["10.0.0.0/8", "10.1.1.1"]}]'), [true, true]);
  // members that are tuples with sets in them stay whole
  assert.deepEqual(await evalOut('out := net.cidr_contains_matches({["10.0.0.0/8", {1, 2}]}, "10.0.0.1") == {[["10.0.0.0/8", {1, 2}], "10.0.0.1"]}'), true);
});

test("mixed operands: arrays give indexes, objects their keys, strings themselves", async () => {
  assert.deepEqual(await evalOut('out := net.cidr_contains_matches(["1.1.2.0/24", "1.1.1.0/24"], {"1.1.1.1", "1.1.2.1"})'), [[0, "1.1.2.1"], [1, "1.1.1.1"]]);
  assert.deepEqual(await evalOut('out := net.cidr_contains_matches({"1.1.1.0/24"}, ["9.9.9.9", "1.1.1.7"])'), [["1.1.1.0/24", 1]]);
  assert.deepEqual(await evalOut('out := net.cidr_contains_matches({"k1": "1.1.1.1/24", "k2": ["1.1.1.2/24", 1]}, "1.1.1.128")'), [["k1", "1.1.1.128"], ["k2", "1.1.1.128"]]);
  // object keys that are no strings survive
  // (built at run time: the type checker wants string keys)
  assert.deepEqual(
    await evalOut('o := {k: v | some p in input.pairs; k := p[0]; v := p[1]}\nout := net.cidr_contains_matches(o, {"a": "1.1.2.9"}) == {[[2], "a"]}', { pairs: [[1, "1.1.1.0/24"], [[2], "1.1.2.0/24"]] }),
    true,
  );
  assert.deepEqual(await evalOut('out := net.cidr_contains_matches("1.1.1.0/24", "1.1.1.1")'), [["1.1.1.0/24", "1.1.1.1"]]);
  assert.deepEqual(await evalOut('out := net.cidr_contains_matches(set(), {"1.1.1.1"})'), []);
  assert.deepEqual(await evalOut('out := net.cidr_contains_matches({"1.1.1.0/24"}, set())'), []);
  // input: sets arrive as arrays, so as indexes
  assert.deepEqual(await evalOut("out := net.cidr_contains_matches(input.c, input.ip)", { c: { a: "10.0.0.0/8" }, ip: ["10.0.0.1"] }), [["a", 0]]);
});

test("malformed elements are errors, as OPA reports them", async () => {
  // sets and objects built at run time from input.x (the type checker rejects such constants)
  const body = "s1 := {x | some x in input.a}\ns2 := {x | some x in input.b}\no1 := {k: v | some k, v in input.a}\n";
  for (const [expr, a, b, n] of [
    ["s1, s2", [["1.1.1.0/24", "bar"]], [[], ["1.1.2.1", "qux"]], 2],
    ["s1, s2", [[], "1.1.1.0/24"], ["1.1.1.1"], 1],
    ["s1, s2", [1], ["1.1.1.1"], 1],
    ["s1, s2", ["1.1.1.0/24"], [{ x: 1 }], 2],
    ["o1, s2", { a: 1 }, ["1.1.1.1"], 1],
    ["o1, s2", { a: null }, ["1.1.1.1"], 1],
  ] as const) {
    const p = await compileOut(`${body}out := net.cidr_contains_matches(${expr})`, true);
    assert.throws(() => p.evaluate({ a, b }, "p/out"), (e: unknown) => String((e as Error).message ?? e).includes(`net.cidr_contains_matches: operand ${n}: element must be string or non-empty array`), JSON.stringify([a, b]));
    const q = await compileOut(`${body}out := net.cidr_contains_matches(${expr})`);
    assert.deepEqual(q.evaluate({ a, b }, "p/out"), [], JSON.stringify([a, b]));
  }
  // operand 2 is not looked at when operand 1 has no CIDRs
  assert.deepEqual(await evalOut(`${body}out := net.cidr_contains_matches(s1, s2)`, { a: [], b: [1] }), []);
  // a bad CIDR is the host's to report
  const p = await compileOut('out := net.cidr_contains_matches({"nope"}, {"1.1.1.1"})', true);
  assert.throws(() => p.evaluate(undefined, "p/out"), /net.cidr_contains_matches/);
});
