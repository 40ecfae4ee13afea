// Compile-time errors: OPA's codes, every problem at once, file:row:col.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRego, RegoError } from "../src/index.js";

async function compileError(source: string, entrypoints = ["test/p"]): Promise<RegoError> {
  try {
    await compileRego({ modules: [{ path: "policy.rego", source }], entrypoints });
  } catch (err) {
    if (err instanceof RegoError) return err;
    throw err;
  }
  assert.fail("expected a RegoError");
}

test("a syntax error names file, line and column", async () => {
  const err = await compileError("package test\n\np if {\n  input.x ==\n}\n");
  assert.equal(err.code, "rego_parse_error");
  assert.equal(err.location.file, "policy.rego");
  assert.ok(err.location.row >= 4, `row ${err.location.row}`);
  assert.match(err.message, /^policy\.rego:\d+:\d+: rego_parse_error: /);
});

test("an unsafe variable is rego_unsafe_var_error at its expression", async () => {
  const err = await compileError("package test\n\np if {\n  x > 1\n}\n");
  assert.equal(err.code, "rego_unsafe_var_error");
  assert.match(err.message, /var x is unsafe/);
  assert.deepEqual([err.location.row, err.location.file], [4, "policy.rego"]);
});

test("an unsafe variable inside a call is reported by its name, not the compiler's", async () => {
  const err = await compileError("package test\n\np if {\n  count(w) > 1\n}\n");
  assert.deepEqual(
    err.errors.map((e) => e.message),
    ["var w is unsafe"],
  );
});

test("an unsafe head variable is reported", async () => {
  const err = await compileError("package test\n\np contains x if {\n  input.y == 1\n}\n");
  assert.equal(err.code, "rego_unsafe_var_error");
  assert.match(err.message, /var x is unsafe/);
});

test("every unsafe variable of a module is reported at once", async () => {
  const err = await compileError("package test\n\np if {\n  x > 1\n}\n\nq if {\n  y < 2\n}\n");
  assert.equal(err.errors.length, 2);
  assert.deepEqual(
    err.errors.map((e) => e.location.row),
    [4, 8],
  );
});

test("recursion is rego_recursion_error naming the cycle", async () => {
  const err = await compileError("package test\n\np if q\n\nq if p\n");
  assert.equal(err.code, "rego_recursion_error");
  assert.match(err.message, /data\.test\.p -> data\.test\.q -> data\.test\.p|data\.test\.q -> data\.test\.p -> data\.test\.q/);
});

test("an undefined function is rego_type_error", async () => {
  const err = await compileError("package test\n\np if nosuchfn(1)\n");
  assert.equal(err.code, "rego_type_error");
  assert.match(err.message, /undefined function nosuchfn/);
});

test("complete and multi-value rules at one path conflict", async () => {
  const err = await compileError("package test\n\np := 1\n\np contains 2\n");
  assert.equal(err.code, "rego_type_error");
  assert.match(err.message, /conflicting rules data\.test\.p/);
});

test("two default rules for one path conflict", async () => {
  const err = await compileError("package test\n\ndefault p := 1\n\ndefault p := 2\n");
  assert.match(err.message, /multiple default rules data\.test\.p/);
});

test("garbage input never crashes the compiler", async () => {
  const inputs = ["", "package", "package test\n\np if {", "{{{{", "package a\np[", "package a\n\"unterminated", "package a\np := `"];
  for (const source of inputs) {
    await assert.rejects(
      compileRego({ modules: [{ path: "bad.rego", source }], entrypoints: ["a/p"] }),
      (err: unknown) => err instanceof RegoError && /^bad\.rego:\d+:\d+: /.test(err.message),
    );
  }
});

test("a call with the wrong number of arguments is rego_type_error", async () => {
  const few = await compileError("package test\n\np if startswith(\"a\")\n");
  assert.equal(few.code, "rego_type_error");
  assert.equal(few.message, 'policy.rego:3:6: rego_type_error: startswith: arity mismatch\n\thave: (string)\n\twant: (string, string)');
  // as in OPA, the arity error stops compilation: no unsafe x and y
  const many = await compileError("package test\n\np if count([1], x, y)\n");
  assert.equal(many.errors.length, 1);
  assert.match(many.message, /count: arity mismatch\n\thave: \(array<number>, \?\?\?, \?\?\?\)\n/);
});
