import { test } from "node:test";
import assert from "node:assert/strict";
import { runPool } from "../src/rego/conformance/pool.js";
import { diffResultSets } from "../src/rego/conformance/compare.js";
import { prepareInput, withInput } from "../src/rego/conformance/input.js";

const fixture = new URL("./conformance-fixture-worker.js", import.meta.url);
const mk = (note: string) => ({ note, query: "x = 1" });

test("the pool stops hung cases, survives crashing workers, and keeps case order", async () => {
  const notes = ["pass", "hang", "pass", "exit", "fail", "throw", "pass", "hang", "pass"];
  const results = await runPool<{ note: string }, { status: string; reason?: string }>(notes.map(mk), {
    workers: 2,
    timeoutMs: 400,
    workerUrl: fixture,
    failure: (reason) => ({ status: "fail", reason }),
  });
  assert.deepEqual(
    results.map((r) => r.status),
    ["pass", "fail", "pass", "fail", "fail", "fail", "pass", "fail", "pass"],
  );
  assert.match(results[1]!.reason!, /timed out after 400 ms/);
  assert.match(results[3]!.reason!, /worker exited \(code 3\)/);
  assert.equal(results[4]!.reason, "said so");
  assert.match(results[5]!.reason!, /worker crashed: boom/);
});

test("result sets compare as sets, with sort_bindings and ignore_generated_vars", () => {
  assert.equal(diffResultSets([{ x: 1 }, { x: 2 }], [{ x: 2 }, { x: 1 }], {}), undefined);
  assert.equal(diffResultSets([{ x: { a: 1, b: 2 } }], [{ x: { b: 2, a: 1 } }], {}), undefined);
  assert.match(diffResultSets([{ x: 1 }], [{ x: 2 }], {})!, /expected \[\{"x":1\}\], got \[\{"x":2\}\]/);
  assert.match(diffResultSets([], [{ x: 1 }], {})!, /expected \[\]/);
  assert.notEqual(diffResultSets([{ x: [1, 2] }], [{ x: [2, 1] }], {}), undefined);
  assert.equal(diffResultSets([{ x: [1, 2] }], [{ x: [2, 1] }], { sortBindings: true }), undefined);
  assert.equal(diffResultSets([{ x: 1 }], [{ x: 1, __localq0__: 5 }], { ignoreGeneratedVars: true }), undefined);
  assert.notEqual(diffResultSets([{ x: 1 }], [{ x: 1, __localq0__: 5 }], {}), undefined);
  assert.match(diffResultSets([], "oops", {})!, /expected a result set/);
});

test("input_term: JSON when possible, else `with input as` on every expression", () => {
  assert.deepEqual(prepareInput({ note: "", query: "data.a = x", input_term: '{"a": [1, -2.5, null, true]}' }), {
    query: "data.a = x",
    input: { a: [1, -2.5, null, true] },
  });
  assert.deepEqual(prepareInput({ note: "", query: "data.a = x; y = 1", input_term: "{1, 2}" }), {
    query: "data.a = x with input as {1, 2}; y = 1 with input as {1, 2}",
    input: undefined,
  });
  assert.equal(withInput("a = 1\nsome x\nb = x", '{"k": {1}}'), 'a = 1 with input as {"k": {1}}; some x; b = x with input as {"k": {1}}');
  assert.deepEqual(prepareInput({ note: "", query: "q", input: { z: 1 } }), { query: "q", input: { z: 1 } });
});
