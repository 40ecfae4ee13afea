import { test } from "node:test";
import assert from "node:assert/strict";
import type { Module, Rule } from "../src/rego/ast.js";
import { parseModule } from "../src/rego/parser/index.js";
import { show, strip } from "./parser-helpers.js";

const v1 = (src: string) => parseModule(`package test\n${src}`, "t.rego");
const v0 = (src: string) => parseModule(`package test\n${src}`, "t.rego", { regoVersion: 0 });

/** A rule head as compact text: `ref [args] key value assign contains`. */
function head(r: Rule): string {
  const h = r.head;
  const parts = [h.ref.map(show).join(" ")];
  if (h.args) parts.push(`args(${h.args.map(show).join(", ")})`);
  if (h.key) parts.push(`key=${show(h.key)}`);
  if (h.value) parts.push(`${h.assign ? ":=" : "="}${show(h.value)}`);
  if (h.contains) parts.push("contains");
  return parts.join(" ");
}
const heads = (m: Module) => m.rules.map(head);

test("package paths and imports", () => {
  const m = parseModule('package a.b["c-d"]\nimport data.x\nimport input.y as z\nimport future.keywords\nimport rego.v1\np := 1', "m");
  assert.deepEqual(m.package.path.map((s) => s.value), ["a", "b", "c-d"]);
  assert.deepEqual(m.imports.map((i) => [show(i.path), i.alias]), [
    ['ref(data, "x")', undefined],
    ['ref(input, "y")', "z"],
    ['ref(future, "keywords")', undefined],
    ['ref(rego, "v1")', undefined],
  ]);
  assert.deepEqual(m.package.loc, { file: "m", row: 1, col: 1 });
  assert.deepEqual(m.imports[1]!.loc, { file: "m", row: 3, col: 1 });
  assert.equal(m.regoVersion, 1);
});

test("v1 rules: complete, partial set, partial object, functions, ref heads", () => {
  const m = v1(`
p := 1
q = 2
r if { true }
s := v if { v := 1 }
t if input.x > 1
u contains x if { some x in [1] }
u contains "lit"
w[k] := v if { k := "a"; v := 1 }
a.b.c := 1
a.b[x] contains y if { x := "k"; y := 1 }
a[x].b[y] := z if { x := 1; y := 2; z := 3 }
f(x, y) := z if { z := x + y }
f(x) if x
g(1) := 2
p2[x] if { x := 1 }
`);
  assert.deepEqual(heads(m), [
    "p :=1",
    "q =2",
    "r =true",
    "s :=v",
    "t =true",
    "u key=x contains",
    'u key="lit" contains',
    "w k :=v",
    'a "b" "c" :=1',
    'a "b" x key=y contains',
    'a x "b" y :=z',
    "f args(x, y) :=z",
    "f args(x) =true",
    "g args(1) :=2",
    "p2 x =true",
  ]);
  assert.deepEqual(m.rules.map((r) => r.body.length), [0, 0, 1, 1, 1, 1, 0, 2, 0, 2, 3, 1, 1, 0, 1]);
  assert.equal(m.regoVersion, 1);
});

test("v0 rules: bodies without if, p[x] partial sets, p[k] = v objects, several bodies", () => {
  const m = v0(`
p { true }
p2 = v { v := 1 }
s[x] { x := 1 }
o[k] = v { k := "a"; v := 1 }
f(x) = y { y := x }
q { false } { true }
g(x) { x } { not x }
`);
  assert.deepEqual(heads(m), [
    "p =true",
    "p2 =v",
    "s key=x contains",
    "o k =v",
    "f args(x) =y",
    "q =true",
    "q =true",
    "g args(x) =true",
    "g args(x) =true",
  ]);
  assert.equal(m.regoVersion, 0);
  // the second body has its own location
  assert.deepEqual(m.rules[6]!.loc, { file: "t.rego", row: 8, col: 13 });
});

test("v0 bare expression statements that OPA reads as rules", () => {
  const m = v0("p[1]\na.b.c\nf(1)\nx = 1\ny := 2\nz[1] = 3");
  assert.deepEqual(heads(m), ["p key=1 contains", 'a "b" "c" =true', "f args(1) =true", "x =1", "y :=2", "z 1 =3"]);
});

test("default rules and default functions", () => {
  const m = v1("default p := false\ndefault f(_) := 1\ndefault q = {\"a\": [1]}\nf(x) := 2 if x");
  assert.deepEqual(heads(m), ["p :=false", "f args(_) :=1", 'q ={"a": [1]}', "f args(x) :=2"]);
  assert.deepEqual(m.rules.map((r) => r.isDefault), [true, true, true, false]);
  assert.deepEqual(m.rules[0]!.body, []);
  assert.deepEqual(m.rules[0]!.loc, { file: "t.rego", row: 2, col: 1 });
  assert.deepEqual(m.rules[0]!.head.loc, { file: "t.rego", row: 2, col: 9 });
});

test("else chains: values, bare else, single-expression bodies, v0 forms", () => {
  const m = v1("p := 1 if { false } else := 2 if { false } else = 3 if x else if { y } else := 5");
  const chain: string[] = [];
  for (let r: Rule | undefined = m.rules[0]; r; r = r.else) chain.push(`${head(r)}/${r.body.length}`);
  assert.deepEqual(chain, ["p :=1/1", "p :=2/1", "p =3/1", "p =true/1", "p :=5/0"]);
  const f = v1("f(x) := 1 if { x } else := 2");
  assert.equal(head(f.rules[0]!.else!), "f args(x) :=2");
  const old = v0("p = 1 { false } else = 2 { true } else { true }");
  const olds: string[] = [];
  for (let r: Rule | undefined = old.rules[0]; r; r = r.else) olds.push(head(r));
  assert.deepEqual(olds, ["p =1", "p =2", "p =true"]);
});

test("future keywords: identifiers in v0 until imported", () => {
  // before the import `in` and `if` are plain names
  const before = v0("if = 1\np { in = 2 }");
  assert.deepEqual(heads(before), ["if =1", "p =true"]);
  const after = v0("import future.keywords.in\np { 1 in [1] }");
  const expr = after.rules[0]!.body[0]!;
  assert.equal(expr.kind.type === "term" && show(expr.kind.term), "internal.member_2(1, [1])");
  const all = v0("import future.keywords\np contains x if { some x in [1] }\nq if { every x in [1] { x > 0 } }");
  assert.deepEqual(heads(all), ["p key=x contains", "q =true"]);
  const every = v0("import future.keywords.every\nq { every x in [1] { x > 0 } }");
  assert.equal(every.rules[0]!.body[0]!.kind.type, "every");
  const regoV1 = v0("import rego.v1\np contains 1 if true");
  assert.equal(regoV1.regoVersion, 1);
  assert.throws(() => v0("import rego.v1\np { true }"), /`if` keyword is required before rule body/);
});

test("bodies: some, some-in, every, not, with, ; and newlines", () => {
  const m = v1(`p if {
  some x, y
  some v in xs
  some k, v in xs
  every x in xs { x > 0 }
  every k, v in xs { k < v; v > 0 }
  not q
  x := input.a with input as {"a": 1} with data.f as 2
  x == 1; y = 2
}`);
  const kinds = m.rules[0]!.body.map((e) => `${e.negated ? "not " : ""}${e.kind.type}${e.with.length ? ` with×${e.with.length}` : ""}`);
  assert.deepEqual(kinds, ["some", "somein", "somein", "every", "every", "not term", "assign with×2", "term", "unify"]);
  const body = m.rules[0]!.body;
  assert.deepEqual(strip(body[0]!.kind), { type: "some", vars: [{ type: "var", name: "x" }, { type: "var", name: "y" }] });
  const someKV = body[2]!.kind;
  assert.ok(someKV.type === "somein" && someKV.key && show(someKV.key) === "k" && show(someKV.value) === "v" && show(someKV.collection) === "xs");
  const every = body[4]!.kind;
  assert.ok(every.type === "every" && every.key && show(every.key) === "k" && every.body.length === 2 && show(every.domain) === "xs");
  assert.deepEqual(body[6]!.with.map((w) => [show(w.target), show(w.value)]), [
    ["ref(input)", '{"a": 1}'],
    ['ref(data, "f")', "2"],
  ]);
  assert.deepEqual(body[6]!.loc, { file: "t.rego", row: 9, col: 3 });
});

test("comments are kept; METADATA attaches to the next rule or package with OPA's default scopes", () => {
  const m = parseModule(
    `# METADATA
# title: The package
package a
# a plain comment
# METADATA
# title: Rule p
# custom:
#   level: high
p := 1

# METADATA
# scope: document
# description: all of q
q := 2
`,
    "m",
  );
  assert.deepEqual(m.annotations.map((a) => [a.scope, a.data.title ?? a.data.description]), [
    ["package", "The package"],
    ["rule", "Rule p"],
    ["document", "all of q"],
  ]);
  assert.deepEqual(m.rules[0]!.annotations?.map((a) => a.data), [{ title: "Rule p", custom: { level: "high" } }]);
  assert.equal(m.rules[1]!.annotations?.[0]?.scope, "document");
  assert.deepEqual(m.annotations[1]!.loc, { file: "m", row: 5, col: 1 });
  assert.equal(m.comments.length, 10);
  assert.deepEqual(m.comments[2], { text: " a plain comment", loc: { file: "m", row: 4, col: 1 } });
  assert.throws(() => parseModule("# METADATA\n# scope: rule\npackage a", "m"), /annotation scope 'rule' must be applied to rule \(have package\)/);
  assert.throws(() => parseModule("package a\n# METADATA\n# title: [\np := 1", "m"), /rego_parse_error: yaml/);
});

test("METADATA scopes: subpackages, entrypoint rules, and the errors OPA reports", () => {
  const m = parseModule("# METADATA\n# scope: subpackages\npackage a\n\n# METADATA\n# entrypoint: true\np := 1", "m");
  assert.deepEqual(m.annotations.map((a) => a.scope), ["subpackages", "document"]);
  assert.equal(m.rules[0]!.annotations?.[0]?.data.entrypoint, true);
  const bad = (src: string) => {
    try {
      parseModule(src, "m");
    } catch (e) {
      return (e as { errors: { message: string; location: { row: number } }[] }).errors.map((x) => `${x.location.row}: ${x.message}`);
    }
    return [];
  };
  assert.deepEqual(bad("package a\n# METADATA\n# scope: galaxy\np := 1"), ["2: invalid annotation scope 'galaxy'"]);
  assert.deepEqual(bad("package a\n# METADATA\n#\np := 1"), ["2: expected METADATA block, found whitespace"]);
  assert.deepEqual(bad("package a\n# METADATA\n# scope: package\np := 1"), ["2: annotation scope 'package' must be applied to package (have rule)"]);
  // a comment not in column 1 ends the block
  const m2 = parseModule("package a\n# METADATA\n# title: t\n  # description: not part of it\np := 1", "m");
  assert.deepEqual(m2.annotations[0]!.data, { title: "t" });
});

test("keywords as ref heads and selectors (OPA's keywordrefs)", () => {
  const m = v1("not.foo := 1\nfoo.not := 2\nif.x contains 1\np if { not.foo == 1; true.x == 2 }\ndefault as.foo(_) := 42");
  assert.deepEqual(heads(m).slice(0, 3), ['not "foo" :=1', 'foo "not" :=2', 'if "x" key=1 contains']);
  const p = m.rules[3]!.body[0]!;
  assert.equal(p.negated, false);
  assert.equal(p.kind.type === "term" && show(p.kind.term), 'equal(ref(not, "foo"), 1)');
});

test("rule and expression locations", () => {
  const m = v1("\n  p := 1\nq if {\n\tx := 1\n}");
  assert.deepEqual(m.rules[0]!.loc, { file: "t.rego", row: 3, col: 3 });
  assert.deepEqual(m.rules[1]!.loc, { file: "t.rego", row: 4, col: 1 });
  assert.deepEqual(m.rules[1]!.body[0]!.loc, { file: "t.rego", row: 5, col: 2 });
});
