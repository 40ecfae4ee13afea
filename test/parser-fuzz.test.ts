// The parser must never crash or hang: on random token soup, on every
// truncation of real modules, and on absurd nesting it either returns an AST
// or throws a RegoError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RegoError } from "../src/rego/errors.js";
import { parseModule, parseQuery, parseTerm } from "../src/rego/parser/index.js";
import { rng } from "./support/rng.js";

function parsesOrRejects(src: string, regoVersion: 0 | 1 = 1): void {
  for (const run of [() => parseModule(src, "f.rego", { regoVersion }), () => parseQuery(src), () => parseTerm(src)]) {
    try {
      run();
    } catch (e) {
      if (!(e instanceof RegoError)) assert.fail(`${(e as Error)?.stack ?? e}\ninput: ${JSON.stringify(src)}`);
      assert.equal(e.code, "rego_parse_error");
      assert.ok(e.errors.every((x) => x.location.row >= 1 && x.location.col >= 1), JSON.stringify(src));
    }
  }
}

const SAMPLE = `package fuzz.sample
import future.keywords
import data.lib as l

# METADATA
# title: allow
default allow := false

allow if {
  some i, x in input.items
  x.kind == "tool"
  not deny[x.name]
  count([y | y := input.items[_]; y > i]) >= 1
  every k, v in {"a": 1} { k != v }
}

deny contains name if { name := input.blocked[_] }
f(x) := $"id-{x + 1}" if { x > 0 } else := "none"
obj[k] := {v | v := input.m[k][_]} if input.m[k]
p.q[r] := 1 if r := "s"
t := \`raw
text\` if { x := input with input as {1, 2} }
`;

const FRAGMENTS = [
  "package", "import", "p", "x", "_", "input", "data", ".", "[", "]", "{", "}", "(", ")", ",", ";", ":", ":=", "=", "==",
  "!=", "<", ">=", "+", "-", "*", "/", "%", "&", "|", "if", "contains", "else", "default", "not", "some", "every", "in",
  "with", "as", "1", "1.5", "-2", '"s"', '"\\u00e9"', "`raw`", '$"t{', '$"e"', "$`r{", "true", "null", "set()", "\n",
  " ", "# c\n", "f(", "\t",
];

test("random token soup never crashes the parser", () => {
  const next = rng(42);
  for (let i = 0; i < 3000; i++) {
    const n = 1 + Math.floor(next() * 40);
    let src = i % 2 === 0 ? "package a\n" : "";
    for (let k = 0; k < n; k++) src += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] + (next() < 0.6 ? " " : "");
    parsesOrRejects(src, i % 3 === 0 ? 0 : 1);
  }
});

test("every truncation of a real module parses or fails cleanly", () => {
  parseModule(SAMPLE, "sample.rego"); // the whole sample is valid
  for (let end = 0; end < SAMPLE.length; end++) parsesOrRejects(SAMPLE.slice(0, end));
  // and with one character dropped
  for (let at = 0; at < SAMPLE.length; at += 3) parsesOrRejects(SAMPLE.slice(0, at) + SAMPLE.slice(at + 1));
});

test("random bytes and absurd nesting are rejected, not fatal", () => {
  const next = rng(7);
  for (let i = 0; i < 500; i++) {
    let src = "";
    const n = Math.floor(next() * 60);
    for (let k = 0; k < n; k++) src += String.fromCharCode(Math.floor(next() * 130));
    parsesOrRejects(src);
  }
  parsesOrRejects("package a\np := " + "[".repeat(20000));
  parsesOrRejects("package a\np := " + "[".repeat(5000) + "]".repeat(5000));
  parsesOrRejects("package a\np := " + "{".repeat(3000) + "1" + "}".repeat(3000));
  parsesOrRejects("package a\np := " + "(".repeat(3000) + "1" + ")".repeat(3000));
  parsesOrRejects("package a\np := " + "1 + ".repeat(20000) + "1");
  parsesOrRejects("package a\np := " + '$"{'.repeat(2000));
});

test("moderately deep nesting still parses", () => {
  const m = parseModule("package a\np := " + "[".repeat(50) + "1" + "]".repeat(50), "f");
  assert.equal(m.rules.length, 1);
  const sets = parseModule("package a\np := " + "{a == ".repeat(30) + "1" + "}".repeat(30), "f");
  assert.equal(sets.rules.length, 1);
});
