// Reductions of what the compatibility corpus (scripts/compat.mjs) found in
// public Rego libraries: each is the smallest Rego showing one gap. Ones not
// fixed yet are marked todo with the owner's folder, so the suite stays green.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego, compileToIR } from "../src/rego/compile.js";

function compiles(source: string, entrypoints: string[], regoVersion: 0 | 1 = 1): void {
  const policy = compileToIR({ modules: [{ path: "repro.rego", source }], entrypoints, regoVersion });
  assert.equal(policy.plans.length, entrypoints.length);
}

async function evaluate(source: string, entrypoint: string, input?: unknown, regoVersion: 0 | 1 = 1): Promise<unknown> {
  const { wasm } = await compileRego({ modules: [{ path: "repro.rego", source }], entrypoints: [entrypoint], regoVersion });
  const policy = await loadPolicy(wasm);
  return policy.evaluate(input, entrypoint);
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

// open-policy-agent/conftest examples/combine/policy/duplicate.rego (run by
// conftest's acceptance tests): `some i` used only inside comprehensions
test("a some-declared variable used only in closures is each closure's own", () => {
  compiles(
    [
      "package p",
      "",
      "xs := [\"a\", \"b\"]",
      "",
      "r contains n if {",
      "\tsome i",
      "\tys := [x | x := xs[i]]",
      "\tzs := {x | x := xs[i]}",
      "\tn := count(ys) + count(zs)",
      "}",
    ].join("\n"),
    ["p/r"],
  );
});

// open-policy-agent/gatekeeper-library src/pod-security-policy/seccomp: a
// zero-argument function passed by name (`canonicalize(p, default_profile)`)
test("a function declared with () is a rule: its bare name is its value", async () => {
  const src = [
    "package p",
    "",
    "f() = out {",
    "\tinput.x == 1",
    "\tout := \"one\"",
    "} else = out {",
    "\tout := \"other\"",
    "}",
    "",
    "g(a) = a",
    "",
    "r := {\"bare\": f, \"called\": f(), \"passed\": g(f)}",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r", { x: 1 }, 0), [{ result: { bare: "one", called: "one", passed: "one" } }]);
  assert.deepEqual(await evaluate(src, "p/r", { x: 2 }, 0), [{ result: { bare: "other", called: "other", passed: "other" } }]);
});

// open-policy-agent/gatekeeper-library src/pod-security-policy/users (12
// tests): `not accept_value(rule, v, params.ranges)` with no `ranges`. OPA's
// rewriteDynamicTerms stage turns every ref argument of a call, in negated
// expressions too, into its own expression before the call
// (`__local0__ = params.ranges; not accept_value(rule, v, __local0__)`), so
// the body fails when the ref is undefined; writ keeps the ref inside the
// `not` (compiler/dynamic.ts leaves negated expressions alone), and the
// negation succeeds.
test(
  "a ref argument of a negated call is evaluated before the negation",
  async () => {
    const src = [
      "package p",
      "",
      "accept(\"any\", _, _)",
      "",
      "violation contains \"v\" if {",
      "\tparams := {\"rule\": \"any\"}",
      "\tnot accept(params.rule, 1, params.ranges)",
      "}",
    ].join("\n");
    assert.deepEqual(await evaluate(src, "p/violation"), [{ result: [] }]);
  },
);
