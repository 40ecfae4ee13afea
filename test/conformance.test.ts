// writ against OPA's own conformance cases, on the core language folders.
// The lead raises PASS_RATE_FLOOR as the compiler improves; it is the only
// number to change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { findConformanceDir, loadCases } from "../src/rego/conformance/cases.js";
import { runConformance } from "../src/rego/conformance/runner.js";

/** The fraction of the core cases that must pass. 0 while the Wasm emitter
 *  is a stub (every case stops there); raise it as cases start passing. */
export const PASS_RATE_FLOOR = 0;

export const CORE_FOLDERS = (
  "assignments baseandvirtualdocs comparisonexpr completedoc compositebasedereference compositereferences " +
  "comprehensions containskeyword dataderef defaultkeyword disjunction elsekeyword embeddedvirtualdoc eqexpr " +
  "evaltermexpr every example fix1863 functionerrors functions helloworld indexing indirectreferences " +
  "inputvalues invalidkeyerror keywordrefs negation nestedreferences partialdocconstants partialiter " +
  "partialobjectdoc partialsetdoc planner-ir refheads stringinterpolation topdowndynamicdispatch undos " +
  "varreferences virtualdocs withkeyword arithmetic sets aggregates"
).split(" ");

const root = findConformanceDir();

test("core conformance folders pass at least the floor", { skip: root ? false : "shared/opa-conformance not found" }, async () => {
  const report = await runConformance({ folders: CORE_FOLDERS, workers: 2, timeoutMs: 5000 });
  // every case of every folder ran and has a verdict
  assert.equal(report.total, loadCases(root!, CORE_FOLDERS).length);
  assert.deepEqual(report.folders.map((f) => f.folder), CORE_FOLDERS);
  assert.ok(report.cases.every((c) => c.status === "pass" || (c.status === "fail" && typeof c.reason === "string")));
  assert.equal(report.passed + report.failed, report.total);
  const rate = report.passed / report.total;
  assert.ok(rate >= PASS_RATE_FLOOR, `pass rate ${(rate * 100).toFixed(1)}% (${report.passed}/${report.total}) is below the floor ${(PASS_RATE_FLOOR * 100).toFixed(1)}%`);
});
