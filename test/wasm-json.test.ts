// The runtime's JSON parser and printer, through the SDK (input and results)
// and through the module's own opa_*_parse / opa_*_dump exports.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { echoPolicy, evaluateRaw, readCString, roundTrip } from "./wasm-ir.js";

async function echo() {
  return loadPolicy(echoPolicy().wasm());
}

test("JSON values survive the round trip through input and result", async () => {
  const policy = await echo();
  const values: unknown[] = [
    { user: "alice", roles: ["admin", "dev"], n: 3, ok: true, none: null },
    [1, -1, 0, 1.5, -0.25, 1e-7, 123456789012, 1.7976931348623157e308, 5e-324, 0.1, 2 ** 53],
    "unicode: åäö ✓ 𝛾 😀 \u0000 \u001f \u007f \u2028",
    "escapes: \" \\ / \b \f \n \r \t",
    { "": "empty key", "key with \"quotes\"": { "\n": [] } },
    [[[[[[[[["deep"]]]]]]]]],
    { a: {}, b: [], c: "" },
    true,
    -17,
    "x",
  ];
  for (const v of values) assert.deepEqual(policy.evaluate(v), [{ result: v }], JSON.stringify(v));
});

test("objects print with their keys in Rego order", async () => {
  const policy = await echo();
  assert.equal(evaluateRaw(policy, '{"b":1,"a":2,"c":{"z":1,"y":2}}'), '[{"result":{"a":2,"b":1,"c":{"y":2,"z":1}}}]');
});

test("duplicate keys: the last one wins, as in Go's decoder", async () => {
  const policy = await echo();
  assert.equal(evaluateRaw(policy, '{"a":1,"a":2}'), '[{"result":{"a":2}}]');
});

test("escapes decode to UTF-8 and print back as JSON", async () => {
  const policy = await echo();
  assert.equal(evaluateRaw(policy, '"\\u00e5\\ud83d\\ude00\\n\\"\\/"'), '[{"result":"å😀\\n\\"/"}]');
  assert.equal(evaluateRaw(policy, '"\\u0001\\u001f"'), '[{"result":"\\u0001\\u001f"}]');
  // a lone surrogate becomes U+FFFD
  assert.equal(evaluateRaw(policy, '"\\ud800x"'), '[{"result":"\uFFFDx"}]');
  assert.equal(evaluateRaw(policy, '"tab\\there"'), '[{"result":"tab\\there"}]');
});

test("numbers keep their exact text when an f64 cannot hold them", async () => {
  const policy = await echo();
  const cases: [string, string][] = [
    ["28857836529306024611913", "28857836529306024611913"],
    ["-9007199254740993", "-9007199254740993"],
    ["12345678901234567890123456789.5", "12345678901234567890123456789.5"],
    ["1e400", "1e400"],
    ["0.30000000000000004", "0.30000000000000004"],
    ["1.0", "1"],
    ["1e2", "100"],
    ["-0", "0"],
    ["2.50", "2.5"],
    ["1E-7", "1e-7"],
    ["123456789012345678", "123456789012345678"],
    ["9007199254740992", "9007199254740992"],
    ["0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827"],
  ];
  for (const [input, output] of cases) assert.equal(evaluateRaw(policy, input), `[{"result":${output}}]`, input);
});

test("invalid JSON input aborts the evaluation", async () => {
  const policy = await echo();
  for (const bad of ["{", "[1,]", "01", "1.", '"\x01"', "tru", "{'a':1}", "[1] 2", "nan"]) {
    assert.throws(() => evaluateRaw(policy, bad), /invalid input/, bad);
  }
});

test("opa_json_parse rejects what is not JSON; opa_value_parse reads Rego sets", async () => {
  const policy = await echo();
  assert.equal(roundTrip(policy, "{1, 2, 3}"), "[1,2,3]");
  assert.equal(roundTrip(policy, "set()"), "[]");
  assert.equal(roundTrip(policy, '{3, "a", [1], {"k": {1}}}'), '[3,"a",[1],{"k":[1]}]');
  assert.equal(roundTrip(policy, '{1: "a", [1, 2]: "b", {"x": 1}: "c"}'), '{"1":"a","[1,2]":"b","{\\"x\\":1}":"c"}');
  assert.equal(roundTrip(policy, "{1, 2, 3}", true), "{1,2,3}");
  assert.equal(roundTrip(policy, "set()", true), "set()");
  assert.equal(roundTrip(policy, '{1: {"a"}}', true), '{1:{"a"}}');
  const e = (policy as any).wasmInstance.exports;
  const mem = (policy as any).mem;
  const parse = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    const addr = e.opa_malloc(bytes.length);
    new Uint8Array(mem.buffer).set(bytes, addr);
    return e.opa_json_parse(addr, bytes.length);
  };
  assert.equal(parse("{1, 2}"), 0);
  assert.equal(parse("set()"), 0);
  assert.notEqual(parse('{"a": [true, false, null]}'), 0);
  assert.equal(readCString(mem, e.opa_json_dump(parse(' { "a" : [ 1 , 2 ] } '))), '{"a":[1,2]}');
});

test("input given as Rego set literals through opa_eval is a set", async () => {
  const policy = await echo();
  assert.equal(evaluateRaw(policy, '{"s": {"b", "a"}}'), '[{"result":{"s":["a","b"]}}]');
});

test("opa_value_add_path and opa_value_remove_path patch data", async () => {
  const policy = await echo();
  const p = policy as any;
  const e = p.wasmInstance.exports;
  const parse = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    const addr = e.opa_malloc(bytes.length);
    new Uint8Array(p.mem.buffer).set(bytes, addr);
    return e.opa_value_parse(addr, bytes.length);
  };
  const base = parse('{"a": {"b": 1}}');
  assert.equal(e.opa_value_add_path(base, parse('["a", "c"]'), parse("2")), 0);
  assert.equal(e.opa_value_add_path(base, parse('["x", "y", "z"]'), parse("[3]")), 0);
  assert.equal(e.opa_value_add_path(base, parse('["a", "b", "c"]'), parse("4")), 2);
  assert.equal(readCString(p.mem, e.opa_json_dump(base)), '{"a":{"b":1,"c":2},"x":{"y":{"z":[3]}}}');
  assert.equal(e.opa_value_remove_path(base, parse('["a", "b"]')), 0);
  assert.equal(e.opa_value_remove_path(base, parse('["x"]')), 0);
  assert.equal(readCString(p.mem, e.opa_json_dump(base)), '{"a":{"c":2}}');
});

test("a large object parses, looks up and prints (hash index, key order)", async () => {
  const policy = await echo();
  const obj = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key-${(i * 7919) % 5000}`, { i }]));
  const rs = policy.evaluate(obj) as { result: Record<string, unknown> }[];
  assert.deepEqual(rs[0]!.result, obj);
  const text = evaluateRaw(policy, JSON.stringify(obj));
  const keys = Object.keys(JSON.parse(text)[0].result);
  assert.deepEqual(keys, [...keys].sort());
});

test("doubles print in their shortest round-trip form (JavaScript's digits)", async () => {
  const policy = await echo();
  // a deterministic spread of doubles over the whole exponent range
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const xs: number[] = [0.1, 0.2, 0.3, 1 / 3, 2 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123.456, 1e-7, 9.5e-7, 1e21 + 65536];
  for (let i = 0; i < 3000; i++) {
    const mant = rand() * 2 - 1;
    const exp = Math.floor(rand() * 600) - 300;
    xs.push(mant * 10 ** exp);
    xs.push(Math.round(rand() * 1e6) / 1000);
  }
  const text = evaluateRaw(policy, JSON.stringify(xs));
  const printed = text.slice('[{"result":['.length, -"]}]".length).split(",");
  assert.equal(printed.length, xs.length);
  printed.forEach((t, i) => {
    const x = xs[i]!;
    assert.equal(Number(t), x, `${t} reads back as ${x}`);
    if (!Number.isInteger(x) || Math.abs(x) < 1e21) assert.equal(t, String(x).replace(/^-0$/, "0"), `digits of ${x}`);
  });
});
