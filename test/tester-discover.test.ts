// `writ test` finds the files, data and tests `opa test` finds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadFiles, globMatch, LoadError } from "../src/rego/tester/load.js";
import { discoverTests } from "../src/rego/tester/discover.js";
import { parseTestArgs, parseDuration, ArgsError } from "../src/rego/tester/args.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "writ-tester-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test("every JSON and YAML file is data at its directory's path below the argument", () => {
  const root = tree({
    "lib/a.rego": "package a\n",
    "validator/test/fixtures/x/assets/data.json": '{"n": 1}',
    "validator/test/fixtures/x/other.json": '{"m": 2}',
    "validator/cfg/settings.yaml": "on: yes\nlist: [1, 2]\n",
    "validator/.hidden/h.yml": "k: v\n",
    "validator/notes.txt": "not data",
  });
  const loaded = loadFiles([join(root, "lib"), join(root, "validator")]);
  assert.deepEqual(loaded.sources.map((s) => s.path), [join(root, "lib/a.rego")]);
  assert.deepEqual(loaded.data, {
    test: { fixtures: { x: { assets: { n: 1 }, m: 2 } } },
    // YAML 1.1, as sigs.k8s.io/yaml reads it: `on` and `yes` are booleans
    cfg: { true: true, list: [1, 2] },
    ".hidden": { k: "v" },
  });
});

test("a bundle reads only data.json / data.yaml besides Rego", () => {
  const root = tree({
    "bundle/a/data.yaml": "x: 1\n",
    "bundle/a/fixture.json": '{"y": 2}',
    "bundle/data.json": '{"top": true}',
    "bundle/a/p.rego": "package a\n",
  });
  const loaded = loadFiles([join(root, "bundle")], { bundle: true });
  assert.deepEqual(loaded.data, { a: { x: 1 }, top: true });
  assert.equal(loaded.sources.length, 1);
});

test("--ignore patterns match base names below the arguments, not the arguments", () => {
  const root = tree({ "d/a.yaml": "a: 1\n", "d/b.json": '{"b": 2}', "d/sub/c.yaml": "c: 3\n" });
  assert.deepEqual(loadFiles([join(root, "d")], { ignore: ["*.yaml"] }).data, { b: 2 });
  assert.deepEqual(loadFiles([join(root, "d")], { ignore: ["d"] }).data, { a: 1, b: 2, sub: { c: 3 } });
});

test("clashing data is a merge error; objects merge key by key", () => {
  const clash = tree({ "d/a.json": '{"k": 1}', "d/b.json": '{"k": 2}' });
  assert.throws(() => loadFiles([join(clash, "d")]), (e: unknown) => e instanceof LoadError && /merge error/.test(e.message));
  const merge = tree({ "d/a.json": '{"k": {"x": 1}}', "d/b.json": '{"k": {"y": 2}}' });
  assert.deepEqual(loadFiles([join(merge, "d")]).data, { k: { x: 1, y: 2 } });
});

test("a JSON file with a second value is an error unless the first value is asked for", () => {
  const root = tree({ "d/a.json": '{"a": "}{"}\n{"a": 2}\n', "d/s/b.json": '"x y" 1' });
  assert.throws(() => loadFiles([join(root, "d")]), LoadError);
  assert.deepEqual(loadFiles([join(root, "d")], { jsonFirstValue: true }).data, { a: "}{", s: "x y" });
});

test("glob patterns are Go's filepath.Match on one name", () => {
  assert.ok(globMatch("*.yaml", "x.yaml"));
  assert.ok(!globMatch("*.yaml", "x.yml"));
  assert.ok(globMatch("data.[jy]*", "data.json"));
  assert.ok(globMatch("a?c", "abc"));
  assert.ok(!globMatch("a?c", "a/c"));
});

test("tests run in file-name order, then rule order; repeated names get #NN", () => {
  const root = tree({
    "b_test.rego": "package p\n\ntest_one if { true }\n\ntest_one if { false }\n\ntodo_test_later if { true }\n",
    "a.rego": "package p\n\ntest_first := true\n\nnot_a_test if { true }\n\ntest_fn(x) := x\n",
    "c.rego": "package q\n\ntest_cases[name] if { some name in [\"a\", \"b\"] }\n\ntest_set contains 1 if { true }\n\n# keys that are a ref or a call are not ground either (StyraInc/regal util_test)\ntest_by_ref[tc.name] if { some tc in [{\"name\": \"a\"}] }\n\ntest_by_call[sprintf(\"%v\", [x])] if { some x in [1] }\n\ntest_ground[\"k\"] if { true }\n",
  });
  const found = discoverTests([root], { regoVersion: 1 });
  assert.deepEqual(found.parseErrors, []);
  assert.deepEqual(
    found.tests.map((t) => [t.name, t.kind, t.skip]),
    [
      ["data.p.test_first", "value", false],
      // OPA's runner does not set functions apart either
      ["data.p.test_fn", "value", false],
      ["data.p.test_one", "value", false],
      ["data.p.test_one#01", "value", false],
      ["data.p.todo_test_later", "value", true],
      ["data.q.test_cases", "object", false],
      ["data.q.test_set", "value", false],
      ["data.q.test_by_ref", "object", false],
      ["data.q.test_by_call", "object", false],
      ["data.q.test_ground", "value", false],
    ],
  );
  assert.equal(found.tests[3]!.entrypoint, "p/test_one#01");
  // the repeated rule itself is renamed, so that it compiles as its own rule
  const renamed = found.modules[1]!.rules[1]!.head.ref[0]!;
  assert.deepEqual(renamed.type === "var" && renamed.name, "test_one#01");
});

test("parse errors are collected, the other modules still load", () => {
  const root = tree({ "bad.rego": "package p\n\np if {\n", "good.rego": "package g\n\ntest_ok := true\n" });
  const found = discoverTests([root], { regoVersion: 1 });
  assert.equal(found.modules.length, 1);
  assert.equal(found.tests.length, 1);
  assert.ok(found.parseErrors.length > 0);
  assert.equal(found.parseErrors[0]!.location.file, join(root, "bad.rego"));
});

test("v0 modules load with --v0-compatible", () => {
  const root = tree({ "p.rego": "package p\n\ntest_x { input.a == 1 }\n\ndeny[msg] { msg := \"m\" }\n" });
  assert.ok(discoverTests([root], { regoVersion: 1 }).parseErrors.length > 0);
  const found = discoverTests([root], { regoVersion: 0 });
  assert.deepEqual(found.parseErrors, []);
  assert.deepEqual(found.tests.map((t) => t.name), ["data.p.test_x"]);
});

test("opa test's command line", () => {
  const a = parseTestArgs(["--v0-compatible", "--timeout", "30s", "-v", "lib/", "validator/", "--explain=notes", "--ignore", "*.yaml,*.yml", "--ignore=x"]);
  assert.deepEqual(a.paths, ["lib/", "validator/"]);
  assert.equal(a.regoVersion, 0);
  assert.equal(a.timeoutMs, 30000);
  assert.equal(a.verbose, true);
  assert.deepEqual(a.ignore, ["*.yaml", "*.yml", "x"]);
  assert.deepEqual(a.ignoredFlags, ["--explain=notes"]);
  const b = parseTestArgs(["-b", "./bundle", "-r", "data.p.test_a"]);
  assert.equal(b.bundle, true);
  assert.equal(b.regoVersion, 1);
  assert.ok(b.run!.test("data.p.test_abc"));
  assert.equal(parseDuration("1m30s"), 90000);
  assert.equal(parseDuration("250ms"), 250);
  assert.throws(() => parseDuration("30"), ArgsError);
  assert.throws(() => parseTestArgs(["--frobnicate"]), ArgsError);
});
