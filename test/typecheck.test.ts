// Compile-time type errors (OPA's rego_type_error): the errors OPA's type
// checker reports, with its code, location and wording, and — as important —
// policies OPA accepts, which must compile.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRego, RegoError } from "../src/index.js";

async function compile(source: string, ...more: string[]): Promise<RegoError | undefined> {
  const modules = [source, ...more].map((s, i) => ({ path: i === 0 ? "policy.rego" : `other${i}.rego`, source: s }));
  try {
    await compileRego({ modules, entrypoints: [] });
    return undefined;
  } catch (err) {
    if (err instanceof RegoError) return err;
    throw err;
  }
}

async function typeErrors(source: string): Promise<string[]> {
  const err = await compile(source);
  assert.ok(err, "expected a compile error");
  for (const e of err.errors) assert.equal(e.code, "rego_type_error", e.message);
  return err.errors.map((e) => `${e.location.file}:${e.location.row}:${e.location.col}: ${e.message}`);
}

const v1 = (body: string) => `package test\n\nimport rego.v1\n\n${body}\n`;

test("a builtin called with an argument of the wrong type", async () => {
  assert.deepEqual(await typeErrors(v1("p if count(1)")), [
    "policy.rego:5:6: count: invalid argument(s)\n" +
      "\thave: (number)\n" +
      "\twant: (collection: any<string, array[any], object[any: any], set[any]>, n: number)",
  ]);
});

test("a call used as a value shows its result variable as unknown", async () => {
  assert.deepEqual(await typeErrors(v1('p := upper(1)')), [
    "policy.rego:5:6: upper: invalid argument(s)\n\thave: (number, ???)\n\twant: (x: string, y: string)",
  ]);
});

test("a variable's type is inferred from what it is bound to", async () => {
  assert.deepEqual(await typeErrors(v1('p if {\n\tx := count([1, 2])\n\tstartswith(x, "a")\n}')), [
    "policy.rego:7:2: startswith: invalid argument(s)\n\thave: (number, string)\n\twant: (search: string, base: string, result: boolean)",
  ]);
});

test("a key a rule's object value cannot have is an undefined ref", async () => {
  assert.deepEqual(await typeErrors(v1('p := {"a": 1, "b": 2}\n\nq if p.c == 1')), [
    "policy.rego:7:6: undefined ref: data.test.p.c\n" +
      "\tdata.test.p.c\n" +
      "\t            ^\n" +
      '\t            have: "c"\n' +
      '\t            want (one of): ["a" "b"]',
  ]);
});

test("selecting into a scalar rule value is an undefined ref", async () => {
  assert.deepEqual(await typeErrors(v1("p := 1\n\nq if p.x")), [
    "policy.rego:7:6: undefined ref: data.test.p.x\n\tdata.test.p.x\n\t^^^^^^^^^^^\n\thave: number",
  ]);
});

test("an index past a known array's end is an undefined ref", async () => {
  assert.deepEqual(await typeErrors(v1("p if {\n\txs := [1, 2]\n\txs[2] == 1\n}")), [
    "policy.rego:7:2: undefined ref: xs[2]\n\txs[2]\n\t   ^\n\t   have: 2\n\t   want (type): number",
  ]);
});

test("values of types that cannot be equal are a match error", async () => {
  assert.deepEqual(await typeErrors(v1('p if {\n\tx := 1\n\tx == "a"\n}')), [
    "policy.rego:7:2: match error\n\tleft  : number\n\tright : string",
  ]);
  assert.deepEqual(await typeErrors(v1('p if {\n\t[a, b] = {"a": 1}\n}')), [
    "policy.rego:6:2: match error\n\tleft  : array<???, ???>\n\tright : object<a: number>",
  ]);
});

test("a Rego function's argument types are inferred from its body", async () => {
  assert.deepEqual(await typeErrors(v1("f(x) := lower(x)\n\np := f(1)")), [
    "policy.rego:7:6: data.test.f: invalid argument(s)\n\thave: (number, ???)\n\twant: (string, string)",
  ]);
});

test("a function used as a value is an undefined ref", async () => {
  assert.deepEqual(await typeErrors(v1("f(x) := x\n\np := f")), [
    "policy.rego:7:6: undefined ref: data.test.f\n\tdata.test.f\n\t^^^^^^^^^^^\n\thave: (any) => any",
  ]);
});

test("a with replacement must take the arguments of the function it replaces", async () => {
  assert.deepEqual(await typeErrors(v1("mock(a, b) := true\n\np if {\n\tcount([1]) == 1 with count as mock\n}")), [
    "policy.rego:8:18: count: arity mismatch\n\thave: (any, any)\n\twant: (collection: any<string, array[any], object[any: any], set[any]>)",
  ]);
});

test("calls with the wrong number of arguments", async () => {
  assert.deepEqual(await typeErrors(v1('p if startswith("a")')), [
    "policy.rego:5:6: startswith: arity mismatch\n\thave: (string)\n\twant: (string, string)",
  ]);
  assert.deepEqual(await typeErrors(v1("f(x) := x\n\np := f(1, 2)")), ["policy.rego:7:6: function data.test.f has arity 1, got 2 arguments"]);
});

test("print used as a value", async () => {
  assert.deepEqual(await typeErrors(v1("p := print(1)")), ["policy.rego:5:6: print(1) used as value"]);
});

test("every type error of a module is reported at once, in source order", async () => {
  const err = await compile(v1('a := 1\n\nb if a.x\n\nc if count(1)\n\nd if {\n\tx := "s"\n\tx == 1\n}'));
  assert.ok(err);
  assert.deepEqual(
    err.errors.map((e) => [e.code, e.location.row, e.message.split("\n")[0]]),
    [
      ["rego_type_error", 7, "undefined ref: data.test.a.x"],
      ["rego_type_error", 9, "count: invalid argument(s)"],
      ["rego_type_error", 13, "match error"],
    ],
  );
  assert.match(err.message, /^policy\.rego:7:6: rego_type_error: undefined ref: data\.test\.a\.x\n/);
  assert.match(err.message, /\(3 errors\)$/);
});

test("errors inside comprehensions are reported; a rule with errors does not cascade", async () => {
  assert.deepEqual(await typeErrors(v1("p := [x | x := upper(1)]\n\nq if p[0] == 1")), [
    "policy.rego:5:16: upper: invalid argument(s)\n\thave: (number, ???)\n\twant: (x: string, y: string)",
  ]);
});

test("conflicts OPA finds between rules are type errors too", async () => {
  assert.deepEqual(await typeErrors("package test\n\ndefault p := 1\n\ndefault p := 2\n"), ["policy.rego:5:1: multiple default rules data.test.p found"]);
});

// Policies OPA accepts: each must compile.
const accepted: Record<string, string> = {
  "input is of any type": 'p if {\n\tx := input.foo\n\tstartswith(x, "a")\n\tx.bar == 1\n}',
  "base data is of any type": "p := data[2]\n\nq if data.other.x.y[_] == 1",
  "iterating a set rule": 'names contains n if some n in ["a", "b"]\n\np if {\n\tsome n in names\n\tstartswith(n, "a")\n}',
  "object rules with dynamic keys": 'o[k] := v if some k, v in {"a": 1}\n\np if {\n\to[k] > 0\n\tstartswith(k, "a")\n}',
  "rules defined by ref heads": 'deep.a.b := 1\n\ndeep.c := "x"\n\np if {\n\tdeep.a.b == 1\n\tdata.test.deep.c == "x"\n}',
  "a function called with the types of all its definitions": 'f(x) := y if y := x + 1\n\nf(x) := x if is_string(x)\n\np if {\n\tf(1) == 2\n\tf("a") == "a"\n}',
  "an unconstrained function argument takes anything": 'id(x) := x\n\np if {\n\tid(1) == 1\n\tid("a") == "a"\n}',
  "a function of no arguments is a document": 'h() := {"a": 1}\n\np if h.a == 1',
  "a rule's type is the union of its values": 'r := 1 if input.x\n\nelse := "a"\n\np if r == "a"',
  "every body": 'names contains n if some n in ["a"]\n\np if every n in names {\n\tstartswith(n, "a")\n}',
  "comprehension types": 'p if count([x | some x in ["a"]]) == 1\n\nq if {\n\txs := [a | a := input.x[_]]\n\txs[0].foo == 1\n}',
  "walk with a pattern": "p if {\n\twalk(input, [path, value])\n\tcount(path) > 0\n}",
  "a set of unconstrained arguments": "f(a) := {a}\n\np if f(1)",
  "a with replacement of the same arity": "mock(x) := 1\n\np if {\n\tcount([1]) == 1 with count as mock\n}",
  "destructuring": 'p if {\n\t[a, b] := split("a.b", ".")\n\tstartswith(a, b)\n\t{"k": v} := {"k": 1}\n\tv > 0\n}',
  "a union-typed array element": 'p if {\n\tx := [1, "a"][_]\n\tx == 1\n}',
  "print and string templates": 'p if {\n\tprint("x", 1)\n\t$"a{1}b" == "a1b"\n}',
  "a head value with calls and an unconstrained argument (StyraInc/regal)":
    'loc(location) := {{"location": location, "ref": concat("", ["a"])}}\n\np if {\n\texpected := {loc({"row": 1})}\n\texpected == {loc({"row": 1})}\n}',
  "builtins with wide results": 'p if {\n\tu := object.union({"a": 1}, {"b": 2})\n\tu.b == 2\n\tn := to_number("1")\n\tn + 1 > 0\n}',
};

test("accepted: dynamic keys of another package's rules", async () => {
  const err = await compile(v1("p if {\n\tsome k\n\tdata.lib[k]\n\tis_string(k)\n}"), "package lib\n\nq := 1\n");
  assert.equal(err?.message, undefined);
});

for (const [name, body] of Object.entries(accepted)) {
  test(`accepted: ${name}`, async () => {
    const err = await compile(v1(body));
    assert.equal(err?.message, undefined);
  });
}
