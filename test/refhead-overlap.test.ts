// Rules with general ref heads writing at overlapping paths of one object:
// the same path must agree, and a path strictly below (or above) another
// rule's path is a conflict even when the values would merge, as in OPA.
// Compiled by writ, evaluated by the unmodified OPA Wasm SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";

async function evaluate(source: string, entrypoint: string): Promise<unknown[]> {
  const { wasm } = await compileRego({ modules: [{ path: "policy.rego", source }], entrypoints: [entrypoint] });
  const policy = await loadPolicy(wasm);
  return policy.evaluate({}, entrypoint) as unknown[];
}

/** The SDK rethrows the policy's abort message (a string). */
function conflictAt(where: string) {
  return (e: unknown) => String(e instanceof Error ? e.message : e) === `policy.rego:${where}: eval_conflict_error: object keys must be unique`;
}

const injection = [
  "package test",
  "",
  "p[q].r := v if {",
  '\tq := "q"',
  '\tv := {"s": {"t": 1}}',
  "}",
  "",
  "p.q.r.s.u := 42",
  "",
].join("\n");

test("a rule writing below another rule's value is a conflict, though the objects would merge", async () => {
  // not {"q": {"r": {"s": {"t": 1, "u": 42}}}}: reported at the deeper rule
  await assert.rejects(evaluate(injection, "test/p"), conflictAt("8:1"));
  // the same object is built for a query of the package or of a path inside it
  await assert.rejects(evaluate(injection, "test"), conflictAt("8:1"));
  await assert.rejects(evaluate(injection, "test/p/q/r/s"), conflictAt("8:1"));
});

test("a rule writing above another rule's value is a conflict, in either order", async () => {
  const deeperFirst = 'package test\n\np[q].r.s := 1 if q := "a"\n\np[q].r := {"s": 1} if q := "a"\n';
  await assert.rejects(evaluate(deeperFirst, "test/p"), conflictAt("5:1"));
  const shallowerFirst = 'package test\n\np[q].r := {"s": 1} if q := "a"\n\np[q].r.s := 1 if q := "a"\n';
  await assert.rejects(evaluate(shallowerFirst, "test/p"), conflictAt("5:1"));
});

test("rules writing equal values at the same path agree", async () => {
  const src = 'package test\n\np[q].r := i if q := ["a", "b", "c"][i]\n\np.a.r := 0\n';
  assert.deepEqual(await evaluate(src, "test/p"), [{ result: { a: { r: 0 }, b: { r: 1 }, c: { r: 2 } } }]);
  // a different value at the same path still conflicts
  await assert.rejects(evaluate(src.replace("p.a.r := 0", "p.a.r := 7"), "test/p"), conflictAt("5:1"));
});

test("rules at different depths on disjoint paths merge", async () => {
  const src = 'package test\n\np[q].r.s := i if q := ["a", "b", "c"][i]\n\np.d.r := 3\n\np.e := 4\n';
  assert.deepEqual(await evaluate(src, "test/p"), [
    { result: { a: { r: { s: 0 } }, b: { r: { s: 1 } }, c: { r: { s: 2 } }, d: { r: 3 }, e: 4 } },
  ]);
});
