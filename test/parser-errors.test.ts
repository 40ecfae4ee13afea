import { test } from "node:test";
import assert from "node:assert/strict";
import { RegoError } from "../src/rego/errors.js";
import { parseModule, parseQuery } from "../src/rego/parser/index.js";

/** The problems of a module that must not parse, as `row:col message`. */
function problems(src: string, regoVersion: 0 | 1 = 1): string[] {
  try {
    parseModule(src, "e.rego", { regoVersion });
  } catch (e) {
    assert.ok(e instanceof RegoError, `not a RegoError: ${e}`);
    assert.equal(e.code, "rego_parse_error");
    for (const p of e.errors) {
      assert.equal(p.code, "rego_parse_error");
      assert.equal(p.location.file, "e.rego");
    }
    assert.match(e.message, /^e\.rego:\d+:\d+: rego_parse_error: /);
    return e.errors.map((p) => `${p.location.row}:${p.location.col} ${p.message}`);
  }
  assert.fail(`parsed: ${src}`);
}

test("v1 requires `if` before bodies and `contains` for multi-value rules", () => {
  assert.deepEqual(problems("package a\np { true }"), ["2:1 `if` keyword is required before rule body"]);
  assert.deepEqual(problems("package a\np[x] { x := 1 }"), [
    "2:1 `if` keyword is required before rule body",
    "2:1 `contains` keyword is required for partial set rules",
  ]);
  assert.deepEqual(problems("package a\nf(x) = 1 { x }"), ["2:1 `if` keyword is required before function body"]);
  assert.deepEqual(problems("package a\np := 1 if { false } else = 2 { true }"), ["2:21 `if` keyword is required before rule body"]);
  assert.deepEqual(problems("package a\np[1]"), ["2:1 `contains` keyword is required for partial set rules"]);
  assert.deepEqual(problems("package a\na.b.c"), ["2:1 rule must have value assignment and/or body declaration"]);
  // the same modules are fine in v0
  for (const src of ["package a\np { true }", "package a\np[x] { x := 1 }", "package a\na.b.c"]) {
    assert.ok(parseModule(src, "e.rego", { regoVersion: 0 }));
  }
});

test("unexpected tokens are reported where they are, with OPA's names", () => {
  assert.deepEqual(problems("package a\np if { x := }"), ["2:13 unexpected } token"]);
  assert.deepEqual(problems("package a\np if {\n  x := 1\n"), ["4:1 unexpected eof token"]);
  assert.deepEqual(problems("package a\np := [1, 2"), ['2:11 unexpected eof token: expected "," or "]"']);
  assert.deepEqual(problems("package a\np if { x := 1 y := 2 }"), ["2:15 unexpected identifier token: expected \\n or ; or }"]);
  assert.deepEqual(problems("package a\np := [x | ]"), ["2:11 found empty body"]);
  assert.deepEqual(problems("package a\np := {1: }"), ["2:10 unexpected } token"]);
  assert.deepEqual(problems("package a\np := (1 + 2"), ["2:12 non-terminated expression"]);
  assert.deepEqual(problems("package a\np if { not some x }"), ["2:12 unexpected some keyword: illegal negation of 'some'"]);
  assert.deepEqual(problems("package a\np if { every x in xs }"), ["2:22 unexpected } token: missing body"]);
  assert.deepEqual(problems("package a\np if { x with y }"), ["2:17 unexpected } token: expected as keyword"]);
  assert.deepEqual(problems("package a\np := 01"), ["2:6 unexpected number token: expected number without leading zero"]);
});

test("lexical errors: strings, escapes, numbers, stray characters", () => {
  assert.deepEqual(problems('package a\np := "abc'), ["2:6 non-terminated string"]);
  assert.deepEqual(problems('package a\np := "a\\qb"'), ["2:6 illegal escape sequence"]);
  assert.deepEqual(problems("package a\np := 1.x"), ["2:6 expected fraction"]);
  assert.deepEqual(problems("package a\np := 1abc"), ["2:6 illegal number format"]);
  assert.deepEqual(problems("package a\np if { !x }"), ["2:8 illegal ! character"]);
  assert.deepEqual(problems("package a\np := 1 ~ 2"), ["2:8 illegal token"]);
  assert.deepEqual(problems("package a\np := `abc"), ["2:6 non-terminated string"]);
});

test("module structure: package first, one package, valid imports, defaults", () => {
  assert.deepEqual(problems("p := 1"), ["1:1 package expected"]);
  assert.deepEqual(problems("package a\npackage b"), ["2:1 unexpected package"]);
  assert.deepEqual(problems(""), ["1:1 empty module"]);
  assert.deepEqual(problems("# only a comment\n"), ["1:1 empty module"]);
  assert.deepEqual(problems("package a\nimport foo.bar"), ["2:8 unexpected import path, must begin with one of: {data, future, input, rego}, got: foo"]);
  assert.deepEqual(problems("package a\nimport future.keywords.nope"), ["2:8 unexpected keyword, must be one of [contains every if in]"]);
  assert.deepEqual(problems("package a\nimport future.keywords.in as x"), ["2:8 `future` imports cannot be aliased"]);
  assert.deepEqual(problems("package a\nimport rego.v2"), ["2:8 invalid import `rego.v2`, must be `rego.v1`"]);
  assert.deepEqual(problems("package a\nimport data.x[y]"), ["2:15 unexpected var token: expecting string"]);
  assert.deepEqual(problems("package a\ndefault p := x"), ["2:1 illegal default rule (value cannot contain var)"]);
  assert.deepEqual(problems("package a\ndefault f(1) := 1"), ["2:1 illegal default rule (arguments cannot contain number)"]);
  assert.deepEqual(problems("package a\ndefault f(x, x) := 1"), ["2:1 illegal default rule (arguments cannot be repeated x)"]);
  assert.deepEqual(problems("package a\np[x] := 1 if { x := 1 } else := 2"), ["2:25 else keyword cannot be used on rules with variables in head"]);
  assert.deepEqual(problems("package a\n1 + 2"), ["2:1 rule name conflicts with built-in function"]);
  assert.deepEqual(problems('package a\n"x" = 1'), ["2:1 string cannot be used for rule name"]);
  assert.deepEqual(problems("package a\nx = 1 with input as 2"), ["2:1 expressions using with keyword cannot be used for rule head"]);
});

test("keywords: no rule named after one in v1, no import path ending in one", () => {
  assert.deepEqual(problems("package a\ncontains := 1"), ["2:1 contains keyword cannot be used for rule name"]);
  assert.deepEqual(problems("package a\nimport data.foo.in"), ["2:17 unexpected import path, must not end with a keyword, got: in (hint: import a different path or use an alias)"]);
  assert.deepEqual(problems("package a\nimport data.foo.not"), ["2:17 unexpected import path, must not end with a keyword, got: not (hint: import a different path or use an alias)"]);
  // v0 has no `in` keyword until imported, and aliases are always fine
  assert.ok(parseModule("package a\nimport data.foo.in\ncontains = 1", "e.rego", { regoVersion: 0 }));
  assert.ok(parseModule("package a\nimport data.foo.in as x", "e.rego"));
  // in v1 `if` is no identifier: `if = 1` does not parse
  assert.deepEqual(problems("package a\nif = 1"), ["2:1 unexpected if keyword"]);
});

test("v0: a hint when a future keyword is used without its import", () => {
  assert.deepEqual(problems("package a\np { some x in [1] }", 0), [
    "2:12 unexpected identifier token: expected \\n or ; or } (hint: `import future.keywords.in` or `import rego.v1` makes `in` a keyword)",
  ]);
});

test("recovery: every broken statement of a module is reported", () => {
  const src = `package a

p if {
  x := [1, 2
}

q := 1

r if { y := }

s if {
  not some z
}

t := "ok"
u := )
`;
  assert.deepEqual(problems(src), [
    '5:1 unexpected } token: expected "," or "]"',
    "9:13 unexpected } token",
    "12:7 unexpected some keyword: illegal negation of 'some'",
    "16:6 unexpected ) token",
  ]);
});

test("queries: several expressions; errors located in the query text", () => {
  assert.equal(parseQuery("data.a.b = x").length, 1);
  assert.equal(parseQuery("x := 1; y = x + 1").length, 2);
  assert.equal(parseQuery("x := 1\ny = x + 1\n").length, 2);
  assert.throws(() => parseQuery("x := ", "q"), (e: unknown) => e instanceof RegoError && e.location.row === 1 && e.location.col === 6 && /unexpected eof token/.test(e.message));
  assert.throws(() => parseQuery(""), /empty query/);
});
