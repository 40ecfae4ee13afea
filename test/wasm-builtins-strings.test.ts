// Native string builtins: Go's strings semantics (rune offsets, byte-wise
// comparison, Unicode case mapping).
import { test } from "node:test";
import assert from "node:assert/strict";
import { callBuiltin } from "./wasm-ir.js";

type Case = [name: string, args: unknown[], want: unknown];

async function check(cases: Case[]): Promise<void> {
  for (const [name, args, want] of cases) {
    const text = args.map((a) => (typeof a === "string" && a.startsWith("{") ? a : JSON.stringify(a)));
    assert.deepEqual(await callBuiltin(name, text), want, `${name}(${text.join(", ")})`);
  }
}

test("concat over arrays and sets", async () => {
  await check([
    ["concat", ["/", ["", "foo", "bar", "0", "baz"]], "/foo/bar/0/baz"],
    ["concat", [",", []], ""],
    ["concat", [", ", ["a"]], "a"],
    ["concat", [",", '{"b", "a", "c"}'], "a,b,c"],
    ["concat", [",", ["a", 1]], undefined],
    ["concat", [",", "ab"], undefined],
  ]);
});

test("startswith endswith contains", async () => {
  await check([
    ["startswith", ["abcdefgh", "abcd"], true],
    ["startswith", ["abcdefgh", "bcd"], false],
    ["endswith", ["abcdefgh", "fgh"], true],
    ["endswith", ["abcdefgh", "fg"], false],
    ["contains", ["abcdefgh", "defg"], true],
    ["contains", ["abcdefgh", "ac"], false],
    ["contains", ["abc", ""], true],
    ["contains", [1, "a"], undefined],
  ]);
});

test("lower and upper map Unicode", async () => {
  await check([
    ["lower", ["AbCdEf"], "abcdef"],
    ["upper", ["AbCdEf"], "ABCDEF"],
    ["upper", ["åäö é"], "ÅÄÖ É"],
    ["lower", ["ÀÉÎ ΣΑΣ"], "àéî σασ"],
  ]);
});

test("indexof and substring count runes", async () => {
  await check([
    ["indexof", ["abcdefgh", "cde"], 2],
    ["indexof", ["abcabcabcdefgh", "cde"], 8],
    ["indexof", ["abcdefgh", "xyz"], -1],
    ["indexof", ["μx", "x"], 1],
    ["indexof", ["μ", "μμ"], -1],
    ["indexof", ["skön var våren", "vår"], 9],
    ["indexof", ["🍧🍨🧁🍰🍮", "🍮"], 4],
    ["indexof", ["abc", ""], undefined],
    ["substring", ["abcdefgh", 2, 3], "cde"],
    ["substring", ["åäö", 0, 2], "åä"],
    ["substring", ["abcdefgh", 2, -1], "cdefgh"],
    ["substring", ["aåäö", 2, -1], "äö"],
    ["substring", ["abcdefghåäö", 2, 10000], "cdefghåäö"],
    ["substring", ["aaa", 3, -1], ""],
    ["substring", ["åäö", 4, -1], ""],
    ["substring", ["aaa", -1, -1], undefined],
    ["substring", ["aaa", 1.5, 1], undefined],
  ]);
});

test("trim family", async () => {
  await check([
    ["trim", ["...foo.bar...", "."], "foo.bar"],
    ["trim", ["...foo.bar...", ".fr"], "oo.ba"],
    ["trim", ["¡¡¡foo, bar!!!", "!¡"], "foo, bar"],
    ["trim", ["", "."], ""],
    ["trim_left", ["¡¡¡foo, bar!!!", "!¡"], "foo, bar!!!"],
    ["trim_right", ["¡¡¡foo, bar!!!", "!¡"], "¡¡¡foo, bar"],
    ["trim_prefix", ["¡¡¡foo, bar!!!", "¡¡¡foo"], ", bar!!!"],
    ["trim_prefix", ["¡¡¡foo, bar!!!", "¡¡¡bar"], "¡¡¡foo, bar!!!"],
    ["trim_suffix", ["¡¡¡foo, bar!!!", ", bar!!!"], "¡¡¡foo"],
    ["trim_space", [" \t\n foo, bar \n\t\r\n"], "foo, bar"],
    ["trim_space", ["\u00a0\u3000x\u2003"], "x"],
  ]);
});

test("split and replace", async () => {
  await check([
    ["split", ["foo.bar.baz", "."], ["foo", "bar", "baz"]],
    ["split", ["foo", "."], ["foo"]],
    ["split", ["", "."], [""]],
    ["split", ["test", ""], ["t", "e", "s", "t"]],
    ["split", ["", ""], []],
    ["split", ["a::b::", "::"], ["a", "b", ""]],
    ["split", ["åäö", ""], ["å", "ä", "ö"]],
    ["replace", ["foo.bar.baz", ".", ","], "foo,bar,baz"],
    ["replace", ["foo...bar", "..", ",,"], "foo,,.bar"],
    ["replace", ["", "hi", "bye"], ""],
    ["replace", ["abc", "", "-"], "-a-b-c-"],
    ["replace", ["aaa", "a", "bb"], "bbbbbb"],
  ]);
});

test("strings.reverse and format_int", async () => {
  await check([
    ["strings.reverse", ["bar"], "rab"],
    ["strings.reverse", ["2\ufe0f\u20e3"], "\u20e3\ufe0f2"],
    ["strings.reverse", ["1\ud83d\ude00\ud835\udefe"], "\ud835\udefe\ud83d\ude001"],
    ["strings.reverse", [""], ""],
    ["strings.reverse", [123], undefined],
    ["format_int", [15.5, 16], "f"],
    ["format_int", [255, 2], "11111111"],
    ["format_int", [8, 8], "10"],
    ["format_int", [-15.9, 10], "-15"],
    ["format_int", [3.1, 10], "3"],
    ["format_int", [4.1, 199], undefined],
  ]);
});

test("count counts runes of strings", async () => {
  await check([
    ["count", ["abcde"], 5],
    ["count", ["åäö"], 3],
    ["count", ["🍧🍨"], 2],
  ]);
});

test("strings.replace_n: patterns in key order, first match wins", async () => {
  await check([
    ["strings.replace_n", ['{"<": "&lt;", ">": "&gt;"}', "This is <b>HTML</b>!"], "This is &lt;b&gt;HTML&lt;/b&gt;!"],
    ["strings.replace_n", ['{"f": "x", "foo": "xxx"}', "foobar"], "xoobar"],
    ["strings.replace_n", ['{"old1": "new1"}', "nothing to do"], "nothing to do"],
    ["strings.replace_n", ['{2: "x"}', "foo"], undefined],
    ["strings.replace_n", ['{"f": 100}', "foo"], undefined],
    ["strings.replace_n", ['{"f": "x"}', 100], undefined],
  ]);
});

test("internal.template_string renders parts as OPA's string interpolation", async () => {
  assert.equal(
    await callBuiltin("internal.template_string", ['["a ", {1}, " b ", {"s"}, " ", {[1, "x", {"k": set()}]}, " ", {{2}}, " ", set()]']),
    'a 1 b s [1, "x", {"k": set()}] {2} <undefined>',
  );
  assert.equal(await callBuiltin("internal.template_string", ['["q: ", {["tab\\there", "é\\u0001"]}]']), 'q: ["tab\\there", "é\\x01"]');
});

test("several values in one interpolated term are a conflict, strict or not", async () => {
  const { loadPolicy } = await import("@open-policy-agent/opa-wasm");
  const { builtinCallPolicy } = await import("./wasm-ir.js");
  for (const strict of [false, true]) {
    const policy = await loadPolicy(builtinCallPolicy("internal.template_string", ['["x", {1, 2}]']).wasm(strict));
    assert.throws(
      () => policy.evaluate(null, "t/call"),
      (e: unknown) => e === "policy.rego:3:5: eval_conflict_error: template-strings must not produce multiple outputs",
    );
  }
});
