// json.patch, native: OPA's semantics (topdown/json.go over its edit tree),
// through writ's compiler and the unmodified SDK. Sets and non-string keys
// survive, which the host version (arguments as JSON) could not do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";
import { callBuiltin } from "./wasm-ir.js";
import { conformanceDir, TermReader, type Json } from "./builtins-conformance-cases.js";

async function compile(body: string, strictBuiltinErrors = false) {
  const { wasm } = await compileRego({ modules: [{ path: "p.rego", source: `package p\n\n${body}\n` }], entrypoints: ["p/out"], strictBuiltinErrors });
  return loadPolicy(wasm);
}

async function out(body: string, input?: unknown): Promise<unknown> {
  const rs = (await compile(body)).evaluate(input, "p/out") as { result: unknown }[];
  return rs.length ? rs[0]!.result : undefined;
}

/** json.patch(doc, patch) on Rego term texts; undefined when it is. */
function patch(doc: string, ops: string): Promise<unknown> {
  return callBuiltin("json.patch", [doc, ops]);
}

test("patches on sets (OPA conformance jsonpatch/set-*)", async () => {
  // basic-remove, basic-add, basic-move: the results stay sets
  assert.deepEqual(
    await out('r := json.patch({"foo": {"a", "b", "c"}}, [{"op": "remove", "path": "foo/b"}])\nout := [r.foo, is_set(r.foo)]'),
    [["a", "c"], true],
  );
  assert.deepEqual(
    await out('r := json.patch({"foo": {"a", "b", "c"}}, [{"op": "add", "path": "foo/d", "value": "d"}])\nout := [r.foo, is_set(r.foo)]'),
    [["a", "b", "c", "d"], true],
  );
  assert.deepEqual(
    await out('r := json.patch({"foo": {"a", "b"}, "bar": {"c", "d"}}, [{"op": "move", "from": "foo/a", "path": "bar/a"}])\nout := [r.foo, r.bar, is_set(r.foo), is_set(r.bar)]'),
    [["b"], ["a", "c", "d"], true, true],
  );
  // add-to-nested-array: a composite set member as a path segment
  assert.deepEqual(
    await out('r := json.patch({[1]}, [{"op": "add", "path": [[1], 1], "value": 2}])\nout := [r, is_set(r), r == {[1, 2]}]'),
    [[[1, 2]], true, true],
  );
  // add-with-mismatched-key-value: a member must be its own key
  assert.equal(await out('out := json.patch({"foo": {"a", "b", "c"}}, [{"op": "add", "path": "foo/d", "value": "e"}])'), undefined);
  // add-to-bad-path
  assert.equal(await out('out := json.patch([1, 2, 3], [{"op": "add", "path": "1.2", "value": "foo"}])'), undefined);
  // sets in the value and in the patch itself
  assert.deepEqual(await out('r := json.patch({}, [{"op": "add", "path": "/s", "value": {1, 2}}])\nout := [is_set(r.s), r.s]'), [true, [1, 2]]);
  assert.deepEqual(await out('out := json.patch({"a"}, [{"op": "remove", "path": "/a"}]) == set()'), true);
  assert.equal(await out('out := json.patch({"a"}, [{"op": "remove", "path": "/b"}])'), undefined);
  assert.equal(await out('out := json.patch({"a"}, [{"op": "remove", "path": "/a"}, {"op": "remove", "path": "/a"}])'), undefined);
  // members merge when an edit makes two equal
  assert.deepEqual(await out('out := json.patch({[1], [1, 2]}, [{"op": "add", "path": [[1], "-"], "value": 2}]) == {[1, 2]}'), true);
  // a patch on a set member that is a scalar goes nowhere
  assert.equal(await out('out := json.patch({"a"}, [{"op": "add", "path": "/a/x", "value": 1}])'), undefined);
  // test on a set
  assert.deepEqual(await out('out := json.patch({"s": {1, 2}}, [{"op": "test", "path": "/s", "value": {2, 1}}]) == {"s": {1, 2}}'), true);
  // copy of a set keeps it a set
  assert.deepEqual(await out('r := json.patch({"s": {1}}, [{"op": "copy", "from": "/s", "path": "/t"}])\nout := [is_set(r.s), is_set(r.t)]'), [true, true]);
});

test("non-string object keys through array paths", async () => {
  assert.deepEqual(await out('out := json.patch({1: "a"}, [{"op": "replace", "path": [1], "value": "b"}]) == {1: "b"}'), true);
  assert.deepEqual(await out('out := json.patch({1: {"x": 1}}, [{"op": "remove", "path": [1, "x"]}]) == {1: {}}'), true);
  // a string segment does not name a number key
  assert.equal(await out('out := json.patch({1: "a"}, [{"op": "remove", "path": "/1"}])'), undefined);
});

test("every op on objects and arrays", async () => {
  const cases: [string, string, unknown][] = [
    ['{"a": 1}', '[{"op": "add", "path": "/b", "value": [1]}]', { a: 1, b: [1] }],
    ['{"a": 1}', '[{"op": "add", "path": "/a", "value": 2}]', { a: 2 }],
    ['{"a": {"b": [1, 3]}}', '[{"op": "add", "path": "/a/b/1", "value": 2}]', { a: { b: [1, 2, 3] } }],
    ['{"a": [1]}', '[{"op": "add", "path": "/a/-", "value": 2}]', { a: [1, 2] }],
    ['[1]', '[{"op": "add", "path": "/1", "value": 2}]', [1, 2]],
    ['[1]', '[{"op": "add", "path": [0], "value": 0}]', [0, 1]],
    ['{"a": 1, "b": 2}', '[{"op": "remove", "path": "/a"}]', { b: 2 }],
    ['[1, 2, 3]', '[{"op": "remove", "path": "/1"}]', [1, 3]],
    ['[1, 2, 3, 4]', '[{"op": "remove", "path": "/1"}, {"op": "remove", "path": "/2"}]', [1, 3]],
    ['{"a": 1}', '[{"op": "replace", "path": "/a", "value": {"x": 1}}]', { a: { x: 1 } }],
    ['[1, 2]', '[{"op": "replace", "path": "/0", "value": 9}]', [9, 2]],
    ['{"a": 1}', '[{"op": "replace", "path": "", "value": [1]}]', [1]],
    ['{"a": {"b": 1}, "c": {}}', '[{"op": "move", "from": "/a/b", "path": "/c/d"}]', { a: {}, c: { d: 1 } }],
    ['{"a": ["all", "grass", "cows", "eat"]}', '[{"op": "move", "from": "/a/1", "path": "/a/3"}]', { a: ["all", "cows", "eat", "grass"] }],
    ['{"a": [1, {"b": 2}]}', '[{"op": "copy", "from": "/a/1", "path": "/c"}]', { a: [1, { b: 2 }], c: { b: 2 } }],
    ['{"a": [1, 2]}', '[{"op": "test", "path": "/a", "value": [1, 2]}, {"op": "test", "path": "/a/1", "value": 2}]', { a: [1, 2] }],
    ['{"a": 1}', "[]", { a: 1 }],
    ['"x"', '[{"op": "add", "path": "", "value": "y"}]', "y"],
    // escapes, leading slashes, empty segments
    ['{"a/b": 1, "m~n": 2}', '[{"op": "remove", "path": "/a~1b"}, {"op": "replace", "path": "/m~0n", "value": 3}]', { "m~n": 3 }],
    ['{"~1": 1}', '[{"op": "test", "path": "/~01", "value": 1}]', { "~1": 1 }],
    ['{"a": 1}', '[{"op": "add", "path": "//b", "value": 2}]', { a: 1, b: 2 }],
    ['{"a": 1}', '[{"op": "add", "path": "b", "value": 2}]', { a: 1, b: 2 }],
    ['{}', '[{"op": "add", "path": "/", "value": 1}]', { "": 1 }],
    ['{"a": {}}', '[{"op": "add", "path": "/a/", "value": 1}]', { a: { "": 1 } }],
    // indexes: "-0" and "+1" parse, as Go's ParseInt does
    ['[1, 2]', '[{"op": "replace", "path": "/+1", "value": 3}]', [1, 3]],
    ['[1, 2]', '[{"op": "remove", "path": "/-0"}]', [2]],
    // unknown members are ignored
    ['{"a": 1}', '[{"op": "remove", "path": "/a", "value": 5, "x": 1}]', {}],
    // the whole document removed, then put back
    ['{"a": 1}', '[{"op": "remove", "path": ""}, {"op": "add", "path": "", "value": 2}]', 2],
    // OPA's edit tree reads an untouched array element at the index it had
    // before earlier edits in the same call
    ['[1, 2, 3, 4]', '[{"op": "remove", "path": "/0"}, {"op": "test", "path": "/0", "value": 1}]', [1, 3, 4]],
  ];
  for (const [doc, ops, want] of cases) assert.deepEqual(await patch(doc, ops), want, `json.patch(${doc}, ${ops})`);
});

test("failing patches are undefined, also with strict builtin errors", async () => {
  const cases: [string, string][] = [
    ['{"a": 1}', '[{"op": "remove", "path": "/b"}]'],
    ['{"a": 1}', '[{"op": "add", "path": "/b/c", "value": 1}]'],
    ['{"a": 1}', '[{"op": "replace", "path": "/b", "value": 1}]'],
    ['[1, 2]', '[{"op": "add", "path": "/3", "value": 1}]'],
    ['[1, 2]', '[{"op": "add", "path": "/-1", "value": 1}]'],
    ['[1, 2]', '[{"op": "remove", "path": "/2"}]'],
    ['[1, 2]', '[{"op": "remove", "path": "/-"}]'],
    ['[1, 2]', '[{"op": "test", "path": "/01", "value": 2}]'],
    ['[1, 2]', '[{"op": "test", "path": "/1e0", "value": 2}]'],
    ['[1, 2]', '[{"op": "test", "path": [0.5], "value": 1}]'],
    ['[1, 2]', '[{"op": "test", "path": [true], "value": 1}]'],
    ['[1, 2]', '[{"op": "add", "path": "/x", "value": 1}]'],
    ['{"a": 1}', '[{"op": "test", "path": "/a", "value": "1"}]'],
    ['{"a": 1}', '[{"op": "move", "from": "/b", "path": "/c"}]'],
    ['{"a": 1}', '[{"op": "copy", "path": "/c"}]'],
    ['{"a": 1}', '[{"op": "add", "path": "/c"}]'],
    ['{"a": 1}', '[{"op": "test", "path": "/a"}]'],
    ['{"a": 1}', '[{"path": "/a"}]'],
    ['{"a": 1}', '[{"op": "spam", "path": "/a"}]'],
    ['{"a": 1}', '[{"op": 1, "path": "/a"}]'],
    ['{"a": 1}', '[{"op": "remove"}]'],
    ['{"a": 1}', '[{"op": "remove", "path": null}]'],
    ['{"a": 1}', '[{"op": "remove", "path": 1}]'],
    ['{"a": 1}', '["x"]'],
    ['{"a": 1}', '[{"op": "remove", "path": ""}]'],
    ['{"a": 1}', '[{"op": "remove", "path": ""}, {"op": "remove", "path": ""}]'],
    ['"x"', '[{"op": "add", "path": "/a", "value": 1}]'],
    ['{"a": 1}', '[{"op": "remove", "path": "/a"}, {"op": "remove", "path": "/a"}]'],
    ['{"a": {"b": 1}}', '[{"op": "remove", "path": "/a"}, {"op": "add", "path": "/a/b", "value": 1}]'],
  ];
  for (const [doc, ops] of cases) {
    assert.equal(await patch(doc, ops), undefined, `json.patch(${doc}, ${ops})`);
    assert.equal(await callBuiltin("json.patch", [doc, ops], true), undefined, `strict json.patch(${doc}, ${ops})`);
  }
});

test("a patch list that is not an array is a type error", async () => {
  assert.equal(await patch('{"a": 1}', '{"op": "remove", "path": "/a"}'), undefined);
  const p = await compile("out := json.patch({}, input.ops)", true);
  for (const [ops, type] of [[{ op: "add" }, "object"], ["x", "string"]] as const) {
    assert.throws(() => p.evaluate({ ops }, "p/out"), (e: unknown) => String((e as Error).message ?? e).includes(`eval_type_error: json.patch: operand 2 must be array but got ${type}`));
  }
});

test("the patch leaves its operands alone", async () => {
  assert.deepEqual(
    await out('d := {"a": [1, 2], "s": {1}}\nr := json.patch(d, [{"op": "remove", "path": "/a/0"}, {"op": "add", "path": ["s", 2], "value": 2}, {"op": "add", "path": "/b", "value": 1}])\nout := [d, r]'),
    [{ a: [1, 2], s: [1] }, { a: [2], b: 1, s: [1, 2] }],
  );
  // the same on data, whose values outlive the evaluation
  const p = await compile('out := json.patch(data.d, [{"op": "remove", "path": "/a/0"}, {"op": "add", "path": "/x", "value": 1}])');
  const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
  p.setData({ d: { a: [1, 2], ...big } });
  for (let i = 0; i < 3; i++) {
    assert.deepEqual((p.evaluate(undefined, "p/out") as { result: unknown }[])[0]!.result, { a: [2], x: 1, ...big });
  }
});

test("json.patch passes the JSON Patch test suite natively", { skip: conformanceDir() ? false : "shared/opa-conformance not found" }, async () => {
  const dir = join(conformanceDir()!, "jsonpatch");
  const c = readdirSync(dir)
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), "utf8")) as { cases: { note: string; modules?: string[] }[] }).cases)
    .find((x) => x.note === "jsonpatch/json_patch_tests")!;
  const p = await compile("out := json.patch(input.doc, input.patch)");
  let ran = 0;
  const failed: string[] = [];
  for (const module of c.modules!.slice(1)) {
    const m = /^cases :?= /m.exec(module);
    if (!m) continue;
    const r = new TermReader(module, { input: undefined, data: undefined, consts: {} });
    r.i = m.index + m[0].length;
    const list = r.term() as Record<string, Json>[];
    list.forEach((t, i) => {
      if (t["opa_disabled"] === true) return;
      ran++;
      const rs = p.evaluate({ doc: t["doc"], patch: t["patch"] }, "p/out") as { result: unknown }[];
      const got = rs.length ? rs[0]!.result : undefined;
      const label = `${i} ${String(t["comment"] ?? "")}`;
      if ("expected" in t) {
        try {
          assert.deepEqual(got, t["expected"]);
        } catch {
          failed.push(`${label}: got ${JSON.stringify(got)}`);
        }
      } else if ("error" in t) {
        if (got !== undefined) failed.push(`${label}: want no result, got ${JSON.stringify(got)}`);
      } else if (got === undefined) failed.push(`${label}: want a result`);
    });
  }
  assert.ok(ran > 50, `only ${ran} patch cases`);
  assert.deepEqual(failed, []);
});
