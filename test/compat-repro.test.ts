// Reductions of what the compatibility corpus (scripts/compat.mjs) found in
// public Rego libraries: each is the smallest Rego showing one gap. Ones not
// fixed yet are marked todo with the owner's folder, so the suite stays green.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego, compileToIR } from "../src/rego/compile.js";
import { hostBuiltins } from "../src/rego/builtins/host.js";

function compiles(source: string, entrypoints: string[], regoVersion: 0 | 1 = 1): void {
  const policy = compileToIR({ modules: [{ path: "repro.rego", source }], entrypoints, regoVersion });
  assert.equal(policy.plans.length, entrypoints.length);
}

async function evaluate(source: string, entrypoint: string, input?: unknown, regoVersion: 0 | 1 = 1): Promise<unknown> {
  const { wasm } = await compileRego({ modules: [{ path: "repro.rego", source }], entrypoints: [entrypoint], regoVersion });
  const policy = await loadPolicy(wasm, undefined, hostBuiltins);
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
// tests) and elastic/cloudbeat cis_aws 5.2/5.3 (2): `not f(…, params.ranges)`
// with no `ranges`. OPA's RewriteDynamicTerms turns the ref arguments of a
// call into expressions of their own before it, negated calls included
// (`__local0__ = params.ranges; not f(…, __local0__)`), so the body fails
// when the ref is undefined. `==` is not a call by then (RewriteEquals made
// it `=`), so `not x.missing == 1` succeeds (google/gke-policy-automation,
// GoogleCloudPlatform/policy-library rely on that).
test("a ref argument of a negated call is evaluated before the negation; not for ==", async () => {
  const src = [
    "package p",
    "",
    "accept(\"any\", _, _)",
    "",
    "in_range(lo, hi, x) if { x >= lo; x <= hi }",
    "",
    "violation contains \"call\" if {",
    "\tparams := {\"rule\": \"any\"}",
    "\tnot accept(params.rule, 1, params.ranges)",
    "}",
    "",
    "violation contains \"every\" if {",
    "\tevery e in [{\"to\": 2}] { not in_range(e.from, e.to, 1) }",
    "}",
    "",
    "violation contains \"equals\" if {",
    "\tparams := {\"rule\": \"any\"}",
    "\tnot params.mode == 2",
    "}",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/violation"), [{ result: ["equals"] }]);
});

// elastic/cloudbeat bundle/compliance/policy/file/common_test.rego: an array
// literal whose elements iterate (`[users[u], groups[g], others[o]]`) grew
// across iterations (one array filled by every binding), and the test ran
// into its time limit.
test("a composite literal with iterating elements is built fresh for each binding", async () => {
  const src = [
    "package p",
    "",
    "arrays := [a | xs := [0, 1]; a := [xs[u], xs[g]]]",
    "",
    "objects := [o | xs := [0, 1]; o := {\"k\": xs[u]}]",
    "",
    "sets := [s | xs := [0, 1]; s := {xs[u], 5}]",
    "",
    "r := {\"arrays\": arrays, \"objects\": objects, \"sets\": sets}",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r"), [
    { result: { arrays: [[0, 0], [0, 1], [1, 0], [1, 1]], objects: [{ k: 0 }, { k: 1 }], sets: [[0, 5], [1, 5]] } },
  ]);
});

// aquasecurity/trivy-checks checks/kubernetes/configmap_with_sensitive.rego
// formats a set with '%s': sprintf runs on the host, and the SDK's JSON
// handed it the set as an array, so the message read '["username"]'.
test("sprintf prints a set operand as a set, also inside arrays and objects", async () => {
  const src = [
    "package p",
    "",
    "s := {x | some x in input.names}",
    "",
    "r := [sprintf(\"'%s'\", [s]), sprintf(\"%v %v %d\", [{\"k\": s}, [set()], 7])]",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r", { names: ["username"] }), [{ result: ["'{\"username\"}'", '{"k": {"username"}} [set()] 7'] }]);
});

// aquasecurity/trivy-checks checks/kubernetes/service_with_externalip.rego:
// `not allowedNames[kubernetes.object.spec.externalName]` with no externalName.
// OPA's RewriteDynamicTerms makes a ref's selector that is itself a ref its
// own expression before the negation, so the rule fails instead of the
// negation succeeding; also under `not … ==`.
test("a ref selector that is a ref is evaluated before a negation", async () => {
  const src = [
    "package p",
    "",
    "allowed := set()",
    "",
    "r contains \"not-member\" if not allowed[input.name]",
    "",
    "r contains \"not-equal\" if not allowed[input.name] == 2",
    "",
    "r contains \"plain-undefined\" if not input.name == 2",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r", {}), [{ result: ["plain-undefined"] }]);
  assert.deepEqual(await evaluate(src, "p/r", { name: "x" }), [{ result: ["not-equal", "not-member", "plain-undefined"] }]);
});
