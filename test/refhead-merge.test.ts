// Rules in the extent of a rule with a general ref head (`p[q].r := …`) are
// evaluated together with it, as in OPA: each rule writes its value at its
// own full path into one object, so rules of a keyed node below (`p.a[x]`)
// merge with it at disjoint paths instead of clashing over their common
// prefix, and rules that produce nothing leave no empty objects behind.
// Compiled by writ, evaluated by the unmodified OPA Wasm SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";

async function evaluate(source: string, entrypoint: string): Promise<unknown[]> {
  const { wasm } = await compileRego({ modules: [{ path: "policy.rego", source }], entrypoints: [entrypoint] });
  const policy = await loadPolicy(wasm);
  return policy.evaluate({}, entrypoint) as unknown[];
}

/** The value of `data.test.p`, queried as the rule, as the package and
 *  (the part under key "a") as a path inside the rule. */
async function assertP(source: string, p: Record<string, unknown>): Promise<void> {
  assert.deepEqual(await evaluate(source, "test/p"), [{ result: p }]);
  assert.deepEqual(await evaluate(source, "test"), [{ result: { p } }]);
  assert.deepEqual(await evaluate(source, "test/p/a"), p.a === undefined ? [] : [{ result: p.a }]);
}

function conflict(e: unknown): boolean {
  return /^policy\.rego:\d+:\d+: eval_conflict_error: object keys must be unique$/.test(String(e instanceof Error ? e.message : e));
}

const generalRef = 'package test\n\np[q].r := 1 if q := "a"\n\n';

test("a keyed node below a general ref head merges at disjoint paths, in either order", async () => {
  // OPA: {"a": {"r": 1, "s": 1}} (not a conflict over key "a")
  await assertP(generalRef + 'p.a[x] := 1 if x := "s"\n', { a: { r: 1, s: 1 } });
  await assertP('package test\n\np.a[x] := 1 if x := "s"\n\np[q].r := 1 if q := "a"\n', { a: { r: 1, s: 1 } });
  // and with rules further below it
  await assertP(generalRef + 'p.a[x] := 1 if x := "s"\n\np.a.b.c := 2\n', { a: { r: 1, s: 1, b: { c: 2 } } });
});

test("variants: a constant key, a variable first key, a multi-value rule", async () => {
  await assertP(generalRef + "p.a.s := 1\n", { a: { r: 1, s: 1 } });
  await assertP(generalRef + 'p[y].s := 1 if y := "a"\n', { a: { r: 1, s: 1 } });
  await assertP(generalRef + "p.a.t contains 1\n", { a: { r: 1, t: [1] } });
  await assertP(generalRef + 'p.a[x] contains 1 if x := "t"\n', { a: { r: 1, t: [1] } });
});

test("rules below a general ref head that produce nothing add nothing", async () => {
  await assertP(generalRef + "p.x.y := 1 if false\n", { a: { r: 1 } });
  await assertP(generalRef + 'p.x[y] := 1 if {\n\ty := "b"\n\tfalse\n}\n', { a: { r: 1 } });
  await assertP(generalRef + "p.a.t contains 1 if false\n", { a: { r: 1 } });
  // the keyed node queried on its own is still its (empty) object
  assert.deepEqual(await evaluate("package test\n\np.x[y] := 1 if {\n\ty := \"b\"\n\tfalse\n}\n", "test/p/x"), [{ result: {} }]);
});

test("a keyed node below writing at the same path must agree; below a value is a conflict", async () => {
  await assertP(generalRef + 'p.a[x] := 1 if x := "r"\n', { a: { r: 1 } });
  await assert.rejects(evaluate(generalRef + 'p.a[x] := 2 if x := "r"\n', "test/p"), conflict);
  await assert.rejects(evaluate(generalRef + 'p.a[x].s := 1 if x := "r"\n', "test/p"), conflict);
});

test("a rule with a constant ref and rules below it is a compile-time conflict", async () => {
  // OPA's checkRuleConflicts: rego_type_error "rule data.test.p.a conflicts with [data.test.p.a.s]"
  await assert.rejects(
    compileRego({ modules: [{ path: "policy.rego", source: generalRef + 'p.a := {"r": 1}\n\np.a.s := 1\n' }], entrypoints: ["test/p"] }),
    (e: unknown) => /rego_type_error: rule data\.test\.p\.a conflicts with \[data\.test\.p\.a\.s\]/.test(String(e instanceof Error ? e.message : e)),
  );
});
