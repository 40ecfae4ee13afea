// Reductions of what the compatibility corpus (scripts/compat.mjs) found in
// public Rego libraries: each is the smallest Rego showing one gap. Ones not
// fixed yet are marked todo with the owner's folder, so the suite stays green.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compileToIR } from "../src/rego/compile.js";

function compiles(source: string, entrypoints: string[], regoVersion: 0 | 1 = 1): void {
  const policy = compileToIR({ modules: [{ path: "repro.rego", source }], entrypoints, regoVersion });
  assert.equal(policy.plans.length, entrypoints.length);
}

// elastic/cloudbeat bundle/compliance/policy/process/data_adapter_test.rego
test("a with value iterating a collection binds its wildcard", () => {
  compiles(
    [
      "package p",
      "",
      "delims := [\" \", \"=\"]",
      "",
      "f(d) := {\"d\": d}",
      "",
      "r := input.d",
      "",
      "test_each if {",
      "\tresult := r with input as f(delims[_])",
      "\tresult == \" \"",
      "}",
    ].join("\n"),
    ["p/test_each"],
  );
});

// GoogleCloudPlatform/policy-library validator/test_utils.rego
test("with values inside a comprehension, v0", () => {
  compiles(
    [
      "package p",
      "",
      "deny[v] { v := input.asset }",
      "",
      "get(assets) = out {",
      "\tout := [x | found := deny with input.asset as assets[_]",
      "\t\tx := found[_]]",
      "}",
      "",
      "test_get { count(get([1, 2])) == 2 }",
    ].join("\n"),
    ["p/test_get"],
    0,
  );
});
