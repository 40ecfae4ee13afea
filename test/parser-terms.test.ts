import { test } from "node:test";
import assert from "node:assert/strict";
import { parseQuery, parseTerm } from "../src/rego/parser/index.js";
import { RegoError } from "../src/rego/errors.js";
import { show, strip, term } from "./parser-helpers.js";

test("scalars: null, booleans, numbers keep their literal text", () => {
  assert.equal(term("null"), "null");
  assert.equal(term("true"), "true");
  assert.equal(term("false"), "false");
  for (const n of ["0", "1", "1.5", "1e3", "1E-3", "0.25", "123456789123456789123", "-1", "-1.5e10"]) {
    assert.deepEqual(strip(parseTerm(n)), { type: "number", raw: n });
  }
  assert.deepEqual(strip(parseTerm(".5")), { type: "number", raw: ".5" });
  assert.deepEqual(strip(parseTerm("-.5")), { type: "number", raw: "-.5" });
  assert.deepEqual(strip(parseTerm("- 1")), { type: "number", raw: "-1" });
});

test("strings: every JSON escape, and raw strings verbatim", () => {
  assert.deepEqual(strip(parseTerm(String.raw`"a\"b\\c\/d\be\ff\ng\rh\ti\u00e9\ud83d\ude00"`)), {
    type: "string",
    value: 'a"b\\c/d\be\ff\ng\rh\ti\u00e9\u{1F600}',
  });
  assert.deepEqual(strip(parseTerm("`a\\nb\n\"c\"`")), { type: "string", value: 'a\\nb\n"c"' });
  assert.deepEqual(strip(parseTerm('""')), { type: "string", value: "" });
});

test("vars and refs: dots, brackets, root documents, refs on calls and collections", () => {
  assert.equal(term("x"), "x");
  // identifiers: ASCII letters and _, then also any Unicode decimal digit
  assert.equal(term("x\u0663y"), "x\u0663y");
  assert.equal(term("a\u{1D7CE}b"), "a\u{1D7CE}b");
  assert.throws(() => parseTerm("\u00e9"), /illegal token/);
  assert.equal(term("_"), "_");
  assert.equal(term("input"), "ref(input)");
  assert.equal(term("data"), "ref(data)");
  assert.equal(term('a.b[c]["d"]'), 'ref(a, "b", c, "d")');
  assert.equal(term("input.x[0].y"), 'ref(input, "x", 0, "y")');
  assert.equal(term("f(x).y"), 'ref(f(x), "y")');
  assert.equal(term("f(x)[0]"), "ref(f(x), 0)");
  assert.equal(term("[1, 2][i]"), "ref([1, 2], i)");
  assert.equal(term('{"a": 1}.a'), 'ref({"a": 1}, "a")');
  assert.equal(term("[x | x := 1][0]"), "ref(arraycomp(x | 1), 0)");
  assert.equal(term("a[x + 1]"), "ref(a, plus(x, 1))");
  // keywords are fine as selectors, and as a ref's head when a selector follows
  assert.equal(term("foo.not.if"), 'ref(foo, "not", "if")');
  assert.equal(term("not.foo"), 'ref(not, "foo")');
  assert.equal(term("true.x"), 'ref(true, "x")');
});

test("calls: plain, dotted, data functions, zero arguments, set()", () => {
  assert.equal(term("count(x)"), "count(x)");
  assert.equal(term("a.b.c(x, y)"), "a.b.c(x, y)");
  assert.equal(term("data.lib.f(x)"), "ref(data).lib.f(x)".replace("ref(data)", "data"));
  assert.equal(term("time.now_ns()"), "time.now_ns()");
  assert.deepEqual(strip(parseTerm("set()")), { type: "set", items: [] });
  const call = parseTerm("data.lib.f(1)");
  assert.equal(call.type, "call");
  if (call.type === "call") assert.deepEqual(strip(call.op), { type: "ref", terms: [{ type: "var", name: "data" }, { type: "string", value: "lib" }, { type: "string", value: "f" }] });
});

test("collections: arrays, objects, sets, trailing commas, empty ones", () => {
  assert.equal(term("[]"), "[]");
  assert.equal(term("{}"), "{}");
  assert.equal(term("[1, 2, 3,]"), "[1, 2, 3]");
  assert.equal(term('{"a": {1, 2}}'), '{"a": set(1, 2)}');
  assert.equal(term('{"a": 1, "b": [true, null],}'), '{"a": 1, "b": [true, null]}');
  assert.equal(term("{1}"), "set(1)");
  assert.equal(term("{1, 2 + 3}"), "set(1, plus(2, 3))");
  assert.equal(term("{x + 1: y}"), "{plus(x, 1): y}");
  assert.equal(term("[k, v in xs]"), "[k, internal.member_2(v, xs)]");
  assert.equal(term("[\n  1,\n  2\n]"), "[1, 2]");
});

test("comprehensions: array, set, object; `{a | b}` is a comprehension", () => {
  assert.equal(term("[x | x := 1]"), "arraycomp(x | 1)");
  assert.equal(term("{x | some x in xs; x > 1}"), "setcomp(x | 2)");
  assert.equal(term("{k: v | k := 1\n v := 2}"), "objectcomp(k: v | 2)");
  assert.equal(term("{a | b}"), "setcomp(a | 1)");
  assert.equal(term("{x + 1: y | y := 1}"), "objectcomp(plus(x, 1): y | 1)");
  assert.equal(term("[ [x | x := 1] ]"), "[arraycomp(x | 1)]");
});

test("infix operators desugar to OPA's builtins with OPA's precedence", () => {
  const cases: [string, string][] = [
    ["1 + 2 * 3", "plus(1, mul(2, 3))"],
    ["(1 + 2) * 3", "mul(plus(1, 2), 3)"],
    ["1 - 2 - 3", "minus(minus(1, 2), 3)"],
    ["8 / 4 % 3", "rem(div(8, 4), 3)"],
    ["a == b + c", "equal(a, plus(b, c))"],
    ["a != b", "neq(a, b)"],
    ["a < b", "lt(a, b)"],
    ["a <= b", "lte(a, b)"],
    ["a > b", "gt(a, b)"],
    ["a >= b", "gte(a, b)"],
    ["a < b == c", "equal(lt(a, b), c)"],
    ["a | b & c", "or(a, and(b, c))"],
    ["a & b | c", "or(and(a, b), c)"],
    ["a | b == c", "equal(or(a, b), c)"],
    ["a & b + c", "and(a, plus(b, c))"],
    ["x in xs", "internal.member_2(x, xs)"],
    ["x in xs == true", "internal.member_2(x, equal(xs, true))"],
    ["x == y in xs", "internal.member_2(equal(x, y), xs)"],
    ["k, v in xs", "internal.member_3(k, v, xs)"],
    ["x in a in b", "internal.member_2(internal.member_2(x, a), b)"],
    ["-x", "minus(0, x)"],
    ["-x.y + 1", 'plus(minus(0, ref(x, "y")), 1)'],
    ["1 - -1", "minus(1, -1)"],
    ["x-1", "minus(x, 1)"],
  ];
  for (const [src, want] of cases) assert.equal(term(src), want, src);
});

test("expressions may continue on the next line after an operator or inside brackets", () => {
  const body = parseQuery("x := 1 +\n  2\ny := f(\n  x,\n  3\n)\nz := (1\n + 2)");
  assert.equal(body.length, 3);
  const rhs = body.map((e) => (e.kind.type === "assign" ? show(e.kind.rhs) : "?"));
  assert.deepEqual(rhs, ["plus(1, 2)", "f(x, 3)", "plus(1, 2)"]);
});

test("a space ends a ref: `a [1]` is not `a[1]`", () => {
  assert.throws(() => parseTerm("a [1]"), RegoError);
  assert.throws(() => parseTerm("f (x)"), RegoError);
});

test("template strings: parts, escapes, raw and multi-line, nesting, with", () => {
  assert.equal(term('$"hello {input.name}!"'), 'template("hello ", ref(input, "name"), "!")');
  assert.equal(term('$""'), "template()");
  assert.equal(term('$"\\t\\n\\""'), 'template("\\t\\n\\"")');
  assert.equal(term('$"\\{42} {x}"'), 'template("{42} ", x)');
  assert.equal(term('$"\\{{42}"'), 'template("{", 42)'); // renders as "{42"
  assert.equal(term('$"{{42}} {{}} {set()}"'), 'template(set(42), " ", {}, " ", set())');
  assert.equal(term('$"{[x | some x in a]}"'), 'template(arraycomp(x | 1))');
  assert.equal(term('$"sum: {1 + a}"'), 'template("sum: ", plus(1, a))');
  assert.equal(term('$"{$"{a}"} {$"{$"{b}"} baz"}"'), 'template(template(a), " ", template(template(b), " baz"))');
  assert.equal(term("$`a\n{x}\n\\{y}`"), 'template("a\\n", x, "\\n{y}")');
  assert.equal(term('$"a}b"'), 'template("a}b")');
  const t = parseTerm('$"foo {a with input as {"a": 42}}"');
  assert.equal(t.type, "template");
  if (t.type === "template") {
    assert.equal(show(t.parts[1] as never), "a");
    assert.equal(t.withs?.[1]?.length, 1);
    assert.equal(show(t.withs![1]![0]!.target), "ref(input)");
  }
  assert.equal(parseTerm('$"{a}"').type === "template" && (parseTerm('$"{a}"') as { withs?: unknown }).withs, undefined);
  for (const bad of ['$"{x := 1}"', '$"{x = 1}"', '$"{not x}"', '$"{some x in y}"', '$"{x"', '$"abc']) {
    assert.throws(() => parseTerm(bad), RegoError, bad);
  }
});

test("term locations are 1-based rows and columns (UTF-16)", () => {
  const body = parseQuery('x := "é"\n  y := [1, z]', "q.rego");
  const first = body[0]!;
  assert.deepEqual(first.loc, { file: "q.rego", row: 1, col: 1 });
  const second = body[1]!;
  assert.deepEqual(second.loc, { file: "q.rego", row: 2, col: 3 });
  if (second.kind.type === "assign" && second.kind.rhs.type === "array") {
    assert.deepEqual(second.kind.rhs.loc, { file: "q.rego", row: 2, col: 8 });
    assert.deepEqual(second.kind.rhs.items[1]!.loc, { file: "q.rego", row: 2, col: 12 });
  } else assert.fail("expected an array");
  const ref = parseTerm("a.b", "t");
  if (ref.type === "ref") assert.deepEqual(ref.terms[1]!.loc, { file: "t", row: 1, col: 3 });
  const call = parseTerm("1 + 2", "t");
  if (call.type === "call") assert.deepEqual(call.op.loc, { file: "t", row: 1, col: 3 });
});

test("parseTerm refuses anything but one term", () => {
  for (const bad of ["", "x := 1", "a; b", "not a", "{", "[1,", "1 2"]) {
    assert.throws(() => parseTerm(bad), RegoError, bad);
  }
});
