// Lasting memos (codegen + pure.ts): results of argument-pure functions of
// one argument, kept across evaluations for long-lived arguments, must
// never outlive the values they were computed from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";
import { compileToIR } from "../src/rego/compile.js";
import { argumentPureFuncs } from "../src/rego/wasm/pure.js";
import { isNativeBuiltin } from "../src/rego/wasm/natives.js";

const source = `package t

has_a(x) := contains(x, "a")

# reads input: not argument-pure, never kept
matches_input(x) := x == input.want

# calls a pure function: pure itself
has_a_twice(x) := has_a(x)

data_flags := [has_a(p) | some p in data.ps]

twice_flags := [has_a_twice(p) | some p in data.ps]

input_flags := [has_a(p) | some p in input.ps]

input_matches := [m | some p in data.ps; m := matches_input(p)]
`;

async function policy() {
  const { wasm } = await compileRego({ modules: [{ path: "t.rego", source }], entrypoints: ["t/data_flags", "t/twice_flags", "t/input_flags", "t/input_matches"] });
  return loadPolicy(wasm);
}

const result = (rs: unknown) => (rs as { result: unknown }[])[0]!.result;

test("argument-pure functions: no input, no data, only natives and pure functions", () => {
  const ir = compileToIR({ modules: [{ path: "t.rego", source }], entrypoints: ["t/data_flags", "t/input_matches"] });
  const pure = argumentPureFuncs(ir, (b) => isNativeBuiltin(b));
  const names = (s: Set<string>) => [...s].map((n) => n.replace(/^g\d+\./, "")).sort();
  assert.ok(names(pure).includes("data.t.has_a"));
  assert.ok(!names(pure).includes("data.t.matches_input"));
  assert.ok(!names(pure).includes("data.t.data_flags"), "reads data");
});

test("a kept result is dropped when the data it was computed from is replaced", async () => {
  const p = await policy();
  // the same shapes and lengths: the new data's values land at the old addresses
  p.setData({ ps: ["abc", "xyz"] });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(result(p.evaluate({}, "t/data_flags")), [true, false]);
    assert.deepEqual(result(p.evaluate({}, "t/twice_flags")), [true, false]);
  }
  p.setData({ ps: ["xyz", "abc"] });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(result(p.evaluate({}, "t/data_flags")), [false, true]);
    assert.deepEqual(result(p.evaluate({}, "t/twice_flags")), [false, true]);
  }
});

test("results for input values (short-lived) and of functions that read input are not kept", async () => {
  const p = await policy();
  p.setData({ ps: ["abc", "xyz"] });
  assert.deepEqual(result(p.evaluate({ ps: ["abc", "xyz"] }, "t/input_flags")), [true, false]);
  assert.deepEqual(result(p.evaluate({ ps: ["xyz", "abc"] }, "t/input_flags")), [false, true]);
  assert.deepEqual(result(p.evaluate({ want: "abc" }, "t/input_matches")), [true, false]);
  assert.deepEqual(result(p.evaluate({ want: "xyz" }, "t/input_matches")), [false, true]);
});
