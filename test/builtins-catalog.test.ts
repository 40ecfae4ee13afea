import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinCatalog, infixOperators } from "../src/rego/builtins/catalog.js";

test("catalog holds OPA 1.20.2's builtins, internal ones included", () => {
  const names = Object.keys(builtinCatalog);
  assert.equal(names.length, 206);
  for (const n of ["eq", "assign", "internal.member_2", "internal.member_3", "internal.print", "internal.template_string", "walk", "http.send", "io.jwt.decode_verify", "strings.split_n"]) {
    assert.ok(builtinCatalog[n], n);
  }
});

test("infix operators map to their builtins", () => {
  assert.deepEqual(infixOperators, {
    "&": "and", ":=": "assign", "/": "div", "=": "eq", "==": "equal", ">": "gt", ">=": "gte",
    in: "internal.member_2", "<": "lt", "<=": "lte", "-": "minus", "*": "mul", "!=": "neq",
    "|": "or", "+": "plus", "%": "rem",
  });
});

test("flags: relation, nondeterministic, deprecated, variadic", () => {
  assert.equal(builtinCatalog["walk"]!.relation, true);
  assert.equal(builtinCatalog["time.now_ns"]!.nondeterministic, true);
  assert.equal(builtinCatalog["time.now_ns"]!.args.length, 0);
  assert.equal(builtinCatalog["re_match"]!.deprecated, true);
  assert.equal(builtinCatalog["net.cidr_overlap"]!.deprecated, true);
  assert.deepEqual(builtinCatalog["print"]!.variadic, { type: "any" });
  assert.equal(builtinCatalog["print"]!.result, undefined);
  assert.equal(builtinCatalog["internal.print"]!.result, undefined);
  assert.equal(builtinCatalog["regex.template_match"]!.args.length, 4);
  assert.deepEqual(builtinCatalog["time.clock"]!.result, {
    type: "array", static: [{ type: "number" }, { type: "number" }, { type: "number" }],
  });
});
