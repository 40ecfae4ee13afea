// rego.parse_module: a module's AST as OPA's JSON, compiled by writ and
// evaluated by the unmodified OPA Wasm SDK with the host builtins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";
import { builtinImplementations, createBuiltinContext, createHostBuiltins } from "../src/rego/builtins/host.js";

const parseModule = builtinImplementations(createBuiltinContext())["rego.parse_module"]!;
const parse = (source: string): Record<string, unknown> => parseModule("x.rego", source) as Record<string, unknown>;
type Rule = { head: unknown; body: unknown[]; else?: Rule; default?: boolean };
const rules = (source: string): Rule[] => parse(source).rules as Rule[];

// shorthands for OPA's term JSON
const v = (name: string) => ({ type: "var", value: name });
const s = (x: string) => ({ type: "string", value: x });
const n = (x: number) => ({ type: "number", value: x });
const b = (x: boolean) => ({ type: "boolean", value: x });
const ref = (...terms: unknown[]) => ({ type: "ref", value: terms });
const op = (name: string, ...rest: string[]) => ref(v(name), ...rest.map(s));
const trueBody = [{ index: 0, terms: b(true) }];

async function policyFor(strict: boolean) {
  const source = 'package t\n\np := x if {\n\tm := rego.parse_module("x.rego", input.src)\n\tx := m["package"].path[1].value\n}\n\nast := rego.parse_module("x.rego", input.src)\n';
  const { wasm } = await compileRego({ modules: [{ path: "t.rego", source }], entrypoints: ["t/p", "t/ast"], strictBuiltinErrors: strict });
  return loadPolicy(wasm, undefined, createHostBuiltins({ strict }));
}

// OPA conformance case regoparsemodule/ok (v1/test/cases/testdata/v1/regoparsemodule)
test("the package path of a parsed module, through the SDK", async () => {
  const policy = await policyFor(false);
  const src = "package foo.bar\n\nimport rego.v1\nimport data.a\n\np if { a = true }";
  assert.deepEqual(policy.evaluate({ src }, "t/p"), [{ result: "foo" }]);
  const [{ result }] = policy.evaluate({ src }, "t/ast") as [{ result: unknown }];
  // derived from OPA's Package/Import/Rule/Expr MarshalJSON (v1/ast/policy.go):
  // the package path starts with `data`; `a = true` is the call eq(a, true)
  assert.deepEqual(result, {
    package: { path: [v("data"), s("foo"), s("bar")] },
    imports: [{ path: ref(v("rego"), s("v1")) }, { path: ref(v("data"), s("a")) }],
    rules: [
      {
        head: { name: "p", ref: [v("p")], value: b(true) },
        body: [{ index: 0, terms: [op("eq"), v("a"), b(true)] }],
      },
    ],
  });
});

// OPA conformance case regoparsemodule/error
test("a syntax error is OPA's rego_parse_error, raised in strict mode", async () => {
  const strict = await policyFor(true);
  assert.throws(
    () => strict.evaluate({ src: "package foo." }, "t/ast"),
    (e: Error & { code?: string }) => {
      assert.match(e.message, /rego_parse_error: unexpected eof token: expected ident/);
      return true;
    },
  );
  const lax = await policyFor(false);
  assert.deepEqual(lax.evaluate({ src: "package foo." }, "t/ast"), []);
  // the host's own text: OPA's ast.Errors inside topdown's builtin error
  const host = createHostBuiltins({ strict: true });
  assert.throws(() => host["rego.parse_module"]!("x.rego", "package foo."), {
    message: "eval_builtin_error: rego.parse_module: 1 error occurred: x.rego:1: rego_parse_error: unexpected eof token: expected identifier",
    code: "eval_builtin_error",
  });
  assert.throws(() => host["rego.parse_module"]!("x.rego", 1), { message: "eval_type_error: rego.parse_module: operand 1 must be string but got number" });
});

// Expected JSON copied from OPA's v1/ast/marshal_test.go (the "base case" of
// each test: OPA's default JSON options, no locations).
test("OPA's marshal_test.go expectations", () => {
  // TestRule_MarshalJSON / TestHead_MarshalJSON / TestExpr_MarshalJSON
  const allow = rules("package foo\n\n# comment\n\nallow if { true }\n")[0]!;
  assert.deepEqual(
    allow,
    JSON.parse(`{"body":[{"index":0,"terms":{"type":"boolean","value":true}}],"head":{"name":"allow","value":{"type":"boolean","value":true},"ref":[{"type":"var","value":"allow"}]}}`),
  );
  // TestEvery_MarshalJSON: the Every is the first expression's terms
  const every = rules("package foo\n\nallow if {\n\tevery e in [1,2,3] {\n\t\te == 1\n    }\n}\n")[0]!.body[0] as { terms: unknown };
  assert.deepEqual(
    every.terms,
    JSON.parse(`{"body":[{"index":0,"terms":[{"type":"ref","value":[{"type":"var","value":"equal"}]},{"type":"var","value":"e"},{"type":"number","value":1}]}],"domain":{"type":"array","value":[{"type":"number","value":1},{"type":"number","value":2},{"type":"number","value":3}]},"key":null,"value":{"type":"var","value":"e"}}`),
  );
  // TestWith_MarshalJSON: module.Rules[1].Body[0].With[0]
  const withs = rules("package foo\n\na if {input}\n\nb if {\n\ta with input as 1\n}\n");
  assert.deepEqual((withs[1]!.body[0] as { with: unknown[] }).with[0], JSON.parse(`{"target":{"type":"ref","value":[{"type":"var","value":"input"}]},"value":{"type":"number","value":1}}`));
  // TestRuleHeadRefWithTermLocations_MarshalJSON, locations dropped: a ref head has no name
  const refHead = rules('package test\n\nimport rego.v1\n\nref.head[rule].test contains "value" if {\n\trule := "rule"\n}')[0]!;
  assert.deepEqual(
    refHead.head,
    JSON.parse(`{"key":{"type":"string","value":"value"},"ref":[{"type":"var","value":"ref"},{"type":"string","value":"head"},{"type":"var","value":"rule"},{"type":"string","value":"test"}]}`),
  );
  // TestPackage_MarshalJSON / TestComment_MarshalJSON: comments keep Go's field names, base64 text, and a location
  assert.deepEqual(parse("package foo\n\n# comment\n\nallow if { true }\n").comments, [{ Text: Buffer.from(" comment").toString("base64"), Location: { file: "x.rego", row: 3, col: 1 } }]);
});

// Expectations derived from OPA's parser (v1/ast/parser.go: parseRules,
// parseHead, parseElse, parseSome, parseWith, genwildcard) and the
// MarshalJSON methods of v1/ast/policy.go and term.go: no generated JSON from
// OPA itself was at hand for these.
test("rules with else, functions, some/every, with and comprehensions", () => {
  const src = [
    "package t",
    "import data.lib as l",
    "default p := false",
    "p := x if { x := input.a } else := 2 if { true } else if { 3 > 2 }",
    'f(_, y) := {"b": 1, "a": [_ | y[_]]} if { some k, v in y; some z; not z with input as {}; {x: 2 | x := k} }',
    's contains {3, 1, "a", null, {2}} if { count(input, n); obj := {y | y := 1} }',
    'q[k] := 1 if { some k in ["a"] }',
    'r["x"] := 1',
    "g(x) if every k, v in x { k < v }",
  ].join("\n");
  const m = parse(src);
  assert.deepEqual(m.imports, [{ path: ref(v("data"), s("lib")), alias: "l" }]);
  const [def, p, f, set, q, r, g] = m.rules as Rule[];
  // default rules get the generated body `true` and "default": true
  assert.deepEqual(def, { head: { name: "p", ref: [v("p")], value: b(false), assign: true }, body: trueBody, default: true });
  // an else copies the head (and its `:=` when it has no value of its own)
  assert.deepEqual(p, {
    head: { name: "p", ref: [v("p")], value: v("x"), assign: true },
    body: [{ index: 0, terms: [op("assign"), v("x"), ref(v("input"), s("a"))] }],
    else: {
      head: { name: "p", ref: [v("p")], value: n(2), assign: true },
      body: trueBody,
      else: { head: { name: "p", ref: [v("p")], value: b(true), assign: true }, body: [{ index: 0, terms: [op("gt"), n(3), n(2)] }] },
    },
  });
  // wildcards are numbered in source order; object keys are sorted; `some k, v in`
  // is a SomeDecl of internal.member_3; `not` and `with` are flags on the expr
  assert.deepEqual(f, {
    head: {
      name: "f",
      ref: [v("f")],
      args: [v("$0"), v("y")],
      value: {
        type: "object",
        value: [
          [s("a"), { type: "arraycomprehension", value: { term: v("$1"), body: [{ index: 0, terms: ref(v("y"), v("$2")) }] } }],
          [s("b"), n(1)],
        ],
      },
      assign: true,
    },
    body: [
      { index: 0, terms: { symbols: [{ type: "call", value: [op("internal", "member_3"), v("k"), v("v"), v("y")] }] } },
      { index: 1, terms: { symbols: [v("z")] } },
      { index: 2, terms: v("z"), negated: true, with: [{ target: ref(v("input")), value: { type: "object", value: [] } }] },
      { index: 3, terms: { type: "objectcomprehension", value: { key: v("x"), value: n(2), body: [{ index: 0, terms: [op("assign"), v("x"), v("k")] }] } } },
    ],
  });
  // a set is sorted in OPA's order (null < numbers < strings < sets); null's value is {}
  assert.deepEqual(set, {
    head: { name: "s", ref: [v("s")], key: { type: "set", value: [{ type: "null", value: {} }, n(1), n(3), s("a"), { type: "set", value: [n(2)] }] } },
    body: [
      { index: 0, terms: [op("count"), v("input"), v("n")] },
      { index: 1, terms: [op("assign"), v("obj"), { type: "setcomprehension", value: { term: v("y"), body: [{ index: 0, terms: [op("assign"), v("y"), n(1)] }] } }] },
    ],
  });
  // `q[k] := 1 if …`: key k (a var selector) and, having a value, the name
  assert.deepEqual(q, {
    head: { name: "q", ref: [v("q"), v("k")], key: v("k"), value: n(1), assign: true },
    body: [{ index: 0, terms: { symbols: [{ type: "call", value: [op("internal", "member_2"), v("k"), { type: "array", value: [s("a")] }] }] } }],
  });
  // a bodiless `r["x"] := 1`: name and key, and the generated body
  assert.deepEqual(r, { head: { name: "r", ref: [v("r"), s("x")], key: s("x"), value: n(1), assign: true }, body: trueBody });
  // every with a key; a function without a value is true
  assert.deepEqual(g, {
    head: { name: "g", ref: [v("g")], args: [v("x")], value: b(true) },
    body: [{ index: 0, terms: { key: v("k"), value: v("v"), domain: v("x"), body: [{ index: 0, terms: [op("lt"), v("k"), v("v")] }] } }],
  });
});
