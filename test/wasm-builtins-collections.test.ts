// Native builtins over collections: aggregates, sets, objects, arrays, types,
// membership, walk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { callBuiltin } from "./wasm-ir.js";
import { loadRuntime } from "../src/rego/wasm/runtime-module.js";
import { nativeBuiltinNames, nativeExportName } from "../src/rego/wasm/natives.js";

type Case = [name: string, args: string[], want: unknown];

async function check(cases: Case[]): Promise<void> {
  for (const [name, args, want] of cases) {
    assert.deepEqual(await callBuiltin(name, args), want, `${name}(${args.join(", ")})`);
  }
}

test("every native builtin is exported by the runtime, and only those", () => {
  const rt = loadRuntime();
  const exported = [...rt.funcs.keys()].filter((n) => n.startsWith("writ_bi_")).sort();
  assert.deepEqual(nativeBuiltinNames().map(nativeExportName).sort(), exported);
});

test("count sum product max min", async () => {
  await check([
    ["count", ["[1, 2, 3, 4]"], 4],
    ["count", ['{"a": 1, "b": 2}'], 2],
    ["count", ["{1, 2}"], 2],
    ["count", ["null"], undefined],
    ["sum", ["[1, 2, 3, 4]"], 10],
    ["sum", ["{1, 2, 3, 4}"], 10],
    ["sum", ["[]"], 0],
    ["sum", ["[49649733057, 1]"], 49649733058],
    ["sum", ['[1, "a"]'], undefined],
    ["product", ["[1, 2, 3, 4]"], 24],
    ["product", ["set()"], 1],
    ["max", ["[1, 2, 3, 4]"], 4],
    ["max", ['[1, "a", null]'], "a"],
    ["max", ["[]"], undefined],
    ["min", ["[3, 2, 1, 4, 6, -7, 10]"], -7],
    ["min", ["{1, 2}"], 1],
  ]);
});

test("sort, all, any", async () => {
  await check([
    ["sort", ["[4, 3, 2, 1]"], [1, 2, 3, 4]],
    ["sort", ["{3, 1, 2}"], [1, 2, 3]],
    ["sort", ['[3, "b", null, {"a": 1}, [1], true, "a", 1.5]'], [null, true, 1.5, 3, "a", "b", [1], { a: 1 }]],
    ["sort", ["[" + Array.from({ length: 100 }, (_, i) => (i * 37) % 100).join(",") + "]"], Array.from({ length: 100 }, (_, i) => i)],
    ["sort", ["1"], undefined],
    ["all", ["[true, true]"], true],
    ["all", ["[true, 1]"], false],
    ["all", ["[]"], true],
    ["any", ["[false, true]"], true],
    ["any", ["set()"], false],
    ["any", ["{false}"], false],
  ]);
});

test("and, or", async () => {
  await check([
    ["and", ["{1, 2, 3}", "{2, 3, 4}"], [2, 3]],
    ["and", ["{1}", "set()"], []],
    ["or", ["{1, 2}", "{2, 3}"], [1, 2, 3]],
    ["or", ["{1}", "[2]"], undefined],
  ]);
});

test("object.get and object.keys", async () => {
  await check([
    ["object.get", ['{"a": "b"}', '"a"', '"c"'], "b"],
    ["object.get", ['{"a": "b"}', '"x"', '"c"'], "c"],
    ["object.get", ["{1: 2}", "1", "3"], 2],
    ["object.get", ['{"a": 1}', "[]", "2"], { a: 1 }],
    ["object.get", ['{"a": {"b": {"c": 1}}}', '["a", "b", "c"]', "2"], 1],
    ["object.get", ['{"a": {"b": [{"c": 1}]}}', '["a", "b", 0, "c"]', "2"], 1],
    ["object.get", ['{"a": {"b": [1, 2, 3]}}', '["a", "b", "a"]', "2"], 2],
    ["object.get", ['{1: {"b": {[1, 2, 3]: 1}}}', '[1, "b", [1, 2, 3]]', "2"], 1],
    ["object.get", ['"x"', '"a"', "2"], undefined],
    ["object.keys", ['{"b": 1, "a": 2}'], ["a", "b"]],
    ["object.keys", ["{1: 1, 2: 2}"], [1, 2]],
    ["object.keys", ["{}"], []],
    ["object.keys", ["[]"], undefined],
  ]);
});

test("array.concat, array.slice, array.reverse", async () => {
  await check([
    ["array.concat", ["[1, 2]", "[3, 4]"], [1, 2, 3, 4]],
    ["array.concat", ["[]", "[]"], []],
    ["array.concat", ['{"a": 1}', "[]"], undefined],
    ["array.slice", ["[1, 2, 3, 4, 5]", "1", "3"], [2, 3]],
    ["array.slice", ["[1, 2, 3]", "0", "0"], []],
    ["array.slice", ["[1, 2, 3, 4, 5]", "-4", "-1"], []],
    ["array.slice", ["[1, 2, 3, 4, 5]", "4", "1"], []],
    ["array.slice", ["[1, 2, 3, 4, 5]", "-1", "2"], [1, 2]],
    ["array.slice", ["[1, 2, 3, 4, 5]", "3", "6"], [4, 5]],
    ["array.slice", ["[1, 2, 3]", "1000", "2000"], []],
    ["array.reverse", ["[1, 2, 3]"], [3, 2, 1]],
    ["array.reverse", ["[]"], []],
    ["array.reverse", ['{"a": 1}'], undefined],
  ]);
});

test("type predicates and type_name", async () => {
  const values: [string, string][] = [
    ["null", "null"], ["true", "boolean"], ["1.5", "number"], ['"s"', "string"], ["[1]", "array"], ['{"a": 1}', "object"], ["{1}", "set"],
  ];
  const preds: Record<string, string> = {
    null: "is_null", boolean: "is_boolean", number: "is_number", string: "is_string", array: "is_array", object: "is_object", set: "is_set",
  };
  for (const [text, type] of values) {
    assert.equal(await callBuiltin("type_name", [text]), type);
    for (const [t, pred] of Object.entries(preds)) assert.equal(await callBuiltin(pred, [text]), t === type, `${pred}(${text})`);
  }
});

test("internal.member_2 and internal.member_3 (the in operator)", async () => {
  await check([
    ["internal.member_2", ["1", "{1}"], true],
    ["internal.member_2", ["1", "[1]"], true],
    ["internal.member_2", ["1", '{"foo": 1}'], true],
    ["internal.member_2", ["1", "{2}"], false],
    ["internal.member_2", ["1", '"foo"'], false],
    ["internal.member_2", ['"foo"', "1"], false],
    ["internal.member_2", ['{"foo": {"baz": 2000}}', '[{"foo": {"baz": 2000}}]'], true],
    ["internal.member_2", ["1.0", "[1]"], true],
    ["internal.member_3", ['"foo"', "1", '{"foo": 1}'], true],
    ["internal.member_3", ["1", '"two"', '["one", "two", "three"]'], true],
    ["internal.member_3", ["0", '"two"', '["one", "two"]'], false],
    ["internal.member_3", ["1", '"foo"', "1"], false],
  ]);
});

test("walk visits paths in order", async () => {
  await check([
    ["walk", ["1"], [[[], 1]]],
    ["walk", ["[1, 2]"], [[[], [1, 2]], [[0], 1], [[1], 2]]],
    ["walk", ['{"v2": "b", "v1": "a"}'], [[[], { v1: "a", v2: "b" }], [["v1"], "a"], [["v2"], "b"]]],
    ["walk", ["{{1, 2}}"], [[[], [[1, 2]]], [[[1, 2]], [1, 2]], [[[1, 2], 1], 1], [[[1, 2], 2], 2]]],
  ]);
});

test("union and intersection of sets of sets keep set members", async () => {
  await check([
    ["union", ["{{1, 2}, {2, 3}}"], [1, 2, 3]],
    ["union", ["set()"], []],
    ["union", ["{{{1}}, {2}}"], [2, [1]]],
    ["intersection", ["{{1, 2}, {2, 3}}"], [2]],
    ["intersection", ["{{1, 2}}"], [1, 2]],
    ["intersection", ["set()"], []],
    ["union", ["{[1]}"], undefined],
  ]);
});

test("object.union, object.union_n, object.remove, object.filter", async () => {
  await check([
    ["object.union", ['{"a": 1}', '{"b": 2}'], { a: 1, b: 2 }],
    ["object.union", ['{"a": {"b": {"c": 1}}, "e": 1}', '{"a": {"b": "foo", "b1": "bar"}, "d": 7, "e": 17}'], { a: { b: "foo", b1: "bar" }, d: 7, e: 17 }],
    ["object.union", ['{"a": {"x": 1}}', '{"a": {"y": 2}}'], { a: { x: 1, y: 2 } }],
    ["object.union", ["[1]", "{}"], undefined],
    ["object.union_n", ['[{"a": 1, "b": 2}, {"a": "a", "d": 4}, {"a": "final"}]'], { a: "final", b: 2, d: 4 }],
    ["object.union_n", ["[]"], {}],
    ["object.union_n", ['[{"foo": 1}, "baz"]'], undefined],
    ["object.remove", ['{"a": 1, "b": {"c": 3}, "d": 4}', '{"b", "d"}'], { a: 1 }],
    ["object.remove", ['{"a": 1, "b": {"c": 3}, "d": 4}', '["d", "b"]'], { a: 1 }],
    ["object.remove", ['{"a": 1, "b": {"c": 3}, "d": 4}', '{"b": 1, "d": ""}'], { a: 1 }],
    ["object.remove", ['{"a": 1}', '"a"'], undefined],
    ["object.filter", ['{"a": 1, "b": 2, "c": 3}', '["a", "c", "z"]'], { a: 1, c: 3 }],
    ["object.filter", ['{"a": 1, [[7]]: 2}', "{[[7]]}"], { "[[7]]": 2 }],
  ]);
  // non-string keys survive natively: compare in Rego, not through JSON
  assert.equal(await callBuiltin("equal", ['{[[7]]: 2}', '{[[7]]: 2}']), true);
});

test("json.marshal, json.unmarshal, json.is_valid", async () => {
  await check([
    ["json.marshal", ['[{"foo": {1, 2, 3}}]'], '[{"foo":[1,2,3]}]'],
    ["json.marshal", ['{"b": "<a&b>", "a": 1.5}'], '{"a":1.5,"b":"\\u003ca\\u0026b\\u003e"}'],
    ["json.marshal", ["1e400"], "1e400"],
    ["json.unmarshal", ['"[{\\"foo\\":[1,2,3]}]"'], [{ foo: [1, 2, 3] }]],
    ["json.unmarshal", ['"{"'], undefined],
    ["json.unmarshal", ["1"], undefined],
    ["json.is_valid", ['"{\\"json\\": \\"ok\\"}"'], true],
    ["json.is_valid", ['"{"'], false],
    ["json.is_valid", ['"plainstring"'], false],
    ["json.is_valid", ["1"], false],
  ]);
});

test("base64 and base64url", async () => {
  await check([
    ["base64.encode", ['"hello"'], "aGVsbG8="],
    ["base64.encode", ['"subjects?_d"'], "c3ViamVjdHM/X2Q="],
    ["base64.encode", ['""'], ""],
    ["base64.decode", ['"aGVsbG8="'], "hello"],
    ["base64.decode", ['"c3ViamVjdHM/X2Q="'], "subjects?_d"],
    ["base64.decode", ['"aGVsbG8"'], undefined],
    ["base64.decode", ['"a$=="'], undefined],
    ["base64.is_valid", ['"aGVsbG8="'], true],
    ["base64.is_valid", ['"{\'not\':\'base64\'}"'], false],
    ["base64url.encode", ['"subjects?_d"'], "c3ViamVjdHM_X2Q="],
    ["base64url.decode", ['"aGVsbG8="'], "hello"],
    ["base64url.decode", ['"aGVsbG8"'], "hello"],
    ["base64url.decode", ['"c3ViamVjdHM_X2Q"'], "subjects?_d"],
  ]);
});

test("object.subset over objects, sets and arrays", async () => {
  const A = '{"a": 5, "b": 7, "nested": {"x": 10, "set1": {1, 2, 3, 4}, "arr1": [6, 7, 8, 9]}}';
  const B = '{"a": 5, "nested": {"x": 10, "set1": {4, 1}, "arr1": [7, 8]}}';
  await check([
    ["object.subset", [A, B], true],
    ["object.subset", [B, A], false],
    ["object.subset", ['{"a": [6, 7, 8]}', '{"a": [6, 8]}'], false],
    ["object.subset", ["{1, 2, 3}", "{1, 3}"], true],
    ["object.subset", ["{1, 2, 3}", "{4}"], false],
    ["object.subset", ["[1, 2, 3, 4]", "[2, 3]"], true],
    ["object.subset", ["[1, 2, 3, 4]", "[2, 4]"], false],
    ["object.subset", ["[1, 2, 3]", "{3, 1}"], true],
    ["object.subset", ["[1, 2]", "{3}"], false],
    ["object.subset", ['{"a": 1}', "[1]"], undefined],
  ]);
});

test("graph.reachable", async () => {
  await check([
    ["graph.reachable", ['{"a": ["b"], "b": {"c"}, "c": [], "d": ["a"]}', '["a"]'], ["a", "b", "c"]],
    ["graph.reachable", ['{"a": ["b"], "b": ["a"]}', '{"b"}'], ["a", "b"]],
    ["graph.reachable", ['{"a": ["b"]}', '["z"]'], []],
    ["graph.reachable", ['{[1]: [{2}], {2}: []}', "[[1]]"], [[1], [2]]],
    ["graph.reachable", ['{"a": []}', '"a"'], undefined],
  ]);
});
