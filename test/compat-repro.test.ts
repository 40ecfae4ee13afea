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
    // from input, as in the libraries: a literal object's missing key would
    // be a type error (undefined ref) in OPA and in writ
    "\tparams := input.parameters",
    "\tnot accept(params.rule, 1, params.ranges)",
    "}",
    "",
    "violation contains \"every\" if {",
    "\tevery e in [{\"to\": 2}] { not in_range(e.from, e.to, 1) }",
    "}",
    "",
    "violation contains \"equals\" if {",
    "\tparams := input.parameters",
    "\tnot params.mode == 2",
    "}",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/violation", { parameters: { rule: "any" } }), [{ result: ["equals"] }]);
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

// enterprise-contract/ec-policies policy/lib/json/schema.rego validates rule
// data against schemas that name draft 2020-12; OPA's gojsonschema ignores a
// meta-schema it does not know (ajv refused it), names the root "(Root)" and
// takes only a string or an object.
test("json schemas: an unknown $schema is ignored, the root is (Root), arrays are the wrong type", async () => {
  const src = [
    "package p",
    "",
    "s := {\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"array\", \"minItems\": 1}",
    "",
    "r := [json.match_schema(\"[]\", s), json.verify_schema(s), json.verify_schema(input.array)]",
  ].join("\n");
  // the array comes from input: as a literal, OPA's type checker (and writ's) rejects it
  assert.deepEqual(await evaluate(src, "p/r", { array: ["x"] }), [
    {
      result: [
        [false, [{ desc: "Array must have at least 1 items", error: "(Root): Array must have at least 1 items", field: "(Root)", type: "array_min_items" }]],
        [true, null],
        [false, "jsonschema: wrong type, expected string or object"],
      ],
    },
  ]);
});

// ec-policies rule data checks: gojsonschema names every repeated item, with
// the index it appeared at before (ajv names one pair, later index first).
test("json.match_schema reports each repeated array item as gojsonschema does", async () => {
  const src = ["package p", "", "r := json.match_schema(json.marshal([\"a\", \"a\", 1, 1.0, \"a\"]), {\"uniqueItems\": true})"].join("\n");
  const unique = (i: number, j: number) => ({ desc: `array items[${i},${j}] must be unique`, error: `(Root): array items[${i},${j}] must be unique`, field: "(Root)", type: "unique" });
  assert.deepEqual(await evaluate(src, "p/r"), [{ result: [false, [unique(0, 1), unique(2, 3), unique(1, 4)]] }]);
});

// ec-policies policy/release/github_certificate reads a Fulcio certificate's
// extensions (GitHub workflow OIDs) and its key usages, which OPA returns as
// Go's x509.Certificate fields. (The certificate is mail.google.com's from
// OPA's crypto.x509.parse_certificates conformance cases.)
test("crypto.x509.parse_certificates gives Extensions, KeyUsage and ExtKeyUsage as Go does", async () => {
  const cert = "MIIDujCCAqKgAwIBAgIIE31FZVaPXTUwDQYJKoZIhvcNAQEFBQAwSTELMAkGA1UEBhMCVVMxEzARBgNVBAoTCkdvb2dsZSBJbmMxJTAjBgNVBAMTHEdvb2dsZSBJbnRlcm5ldCBBdXRob3JpdHkgRzIwHhcNMTQwMTI5MTMyNzQzWhcNMTQwNTI5MDAwMDAwWjBpMQswCQYDVQQGEwJVUzETMBEGA1UECAwKQ2FsaWZvcm5pYTEWMBQGA1UEBwwNTW91bnRhaW4gVmlldzETMBEGA1UECgwKR29vZ2xlIEluYzEYMBYGA1UEAwwPbWFpbC5nb29nbGUuY29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfRrObuSW5T7q5CnSEqefEmtH4CCv6+5EckuriNr1CjfVvqzwfAhopXkLrq45EQm8vkmf7W96XJhC7ZM0dYi1/qOCAU8wggFLMB0GA1UdJQQWMBQGCCsGAQUFBwMBBggrBgEFBQcDAjAaBgNVHREEEzARgg9tYWlsLmdvb2dsZS5jb20wCwYDVR0PBAQDAgeAMGgGCCsGAQUFBwEBBFwwWjArBggrBgEFBQcwAoYfaHR0cDovL3BraS5nb29nbGUuY29tL0dJQUcyLmNydDArBggrBgEFBQcwAYYfaHR0cDovL2NsaWVudHMxLmdvb2dsZS5jb20vb2NzcDAdBgNVHQ4EFgQUiJxtimAuTfwb+aUtBn5UYKreKvMwDAYDVR0TAQH/BAIwADAfBgNVHSMEGDAWgBRK3QYWG7z2aLV29YG2u2IaulqBLzAXBgNVHSAEEDAOMAwGCisGAQQB1nkCBQEwMAYDVR0fBCkwJzAloCOgIYYfaHR0cDovL3BraS5nb29nbGUuY29tL0dJQUcyLmNybDANBgkqhkiG9w0BAQUFAAOCAQEAH6RYHxHdcGpMpFE3oxDoFnP+gtuBCHan2yE2GRbJ2Cw8Lw0MmuKqHlf9RSeYfd3BXeKkj1qO6TVKwCh+0HdZk283TZZyzmEOyclm3UGFYe82P/iDFt+CeQ3NpmBg+GoaVCuWAARJN/KfglbLyyYygcQq0SgeDh8dRKUiaW3HQSoYvTvdTuqzwK4CXsr3b5/dAOY8uMuG/IAR3FgwTbZ1dtoWRvOTa8hYiU6A475WuZKyEHcwnGYe57u2I2KbMgcKjPniocj4QzgYsVAVKW3IwaOhyE+vPxsiUkvQHdO2fojCkY8jg70jxM+gu59tPDNbw3Uh/2Ij310FgTHsnGQMyA==";
  const src = [
    "package p",
    "",
    `c := crypto.x509.parse_certificates("${cert}")[0]`,
    "",
    "r := {\"ku\": c.KeyUsage, \"eku\": c.ExtKeyUsage, \"unknown\": c.UnknownExtKeyUsage, \"ids\": [e.Id | some e in c.Extensions], \"bc\": [e | some e in c.Extensions; e.Critical]}",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r"), [
    {
      result: {
        ku: 1,
        eku: [1, 2],
        unknown: null,
        ids: [[2, 5, 29, 37], [2, 5, 29, 17], [2, 5, 29, 15], [1, 3, 6, 1, 5, 5, 7, 1, 1], [2, 5, 29, 14], [2, 5, 29, 19], [2, 5, 29, 35], [2, 5, 29, 32], [2, 5, 29, 31]],
        bc: [{ Critical: true, Id: [2, 5, 29, 19], Value: "MAA=" }],
      },
    },
  ]);
});

// ec-policies policy/release/tasks: a failed oneOf reports gojsonschema's
// closest branch only (by its score: the array branch that matched the
// type and failed on two items beats the string branch), after the oneOf
// error; `format` is checked (date-time here).
test("json.match_schema reports a failed oneOf's closest branch and checks formats", async () => {
  const src = [
    "package p",
    "",
    "s := {\"type\": \"array\", \"items\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"array\", \"items\": {\"type\": \"string\"}}]}}",
    "",
    "r := [e.error | some e in json.match_schema(json.marshal([[1, 2]]), s)[1]]",
    "",
    "f := [e.error | some e in json.match_schema({\"on\": \"yesterday\", \"ok\": \"2024-01-02T03:04:05Z\"}, {\"properties\": {\"on\": {\"format\": \"date-time\"}, \"ok\": {\"format\": \"date-time\"}}})[1]]",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r"), [
    { result: ["0: Must validate one and only one schema (oneOf)", "0.0: Invalid type. Expected: string, given: integer", "0.1: Invalid type. Expected: string, given: integer"] },
  ]);
  assert.deepEqual(await evaluate(src, "p/f"), [{ result: ["on: Does not match format 'date-time'"] }]);
});

// enterprise-contract/ec-policies policy/build_task/build_labels:
// `not build_label in object.keys(tekton.task_labels(input))` with no labels.
// OPA's RewriteExprTerms makes each call inside a call's arguments its own
// expression before the negation, so an undefined inner call fails the body.
test("a call inside a call's arguments is evaluated before a negation", async () => {
  const src = [
    "package p",
    "",
    "labels(x) := x.metadata.labels",
    "",
    "r contains \"keys\" if not \"k\" in object.keys(labels(input))",
    "",
    "r contains \"count\" if not count(labels(input)) > 0",
    "",
    "r contains \"outer\" if not labels(input)",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r", { metadata: {} }), [{ result: ["outer"] }]);
  assert.deepEqual(await evaluate(src, "p/r", { metadata: { labels: { a: 1 } } }), [{ result: ["keys"] }]);
});

// StyraInc/regal bundle/regal/rules/*/…_test.rego (53 tests): a function
// whose value holds an untyped argument beside a call of a function with a
// ref head (`docs["resolve_url"](…)`) is a "match error" for writ's type
// checker; OPA compiles it (fixed with the head typing of 1492e8a).
test("a function value with an argument and a ref-headed function call type-checks", async () => {
  const src = [
    "package p",
    "",
    "docs[\"resolve_url\"](url, category) := replace(url, \"$c\", category)",
    "",
    "f(location) := {{\"location\": location, \"ref\": docs.resolve_url(\"u\", \"c\")}}",
    "",
    "r := f(input.x)",
  ].join("\n");
  assert.deepEqual(await evaluate(src, "p/r", { x: 1 }), [{ result: [{ location: 1, ref: "u" }] }]);
});
