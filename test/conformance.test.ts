// writ against OPA's own conformance cases, on the core language folders.
// The lead raises PASS_RATE_FLOOR as the compiler improves; it is the only
// number to change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { findConformanceDir, listFolders, loadCases } from "../src/rego/conformance/cases.js";
import { runConformance } from "../src/rego/conformance/runner.js";

/** The fraction of the core cases that must pass (all 910 passed when
 *  this was last raised; the issue asks for 95%). Raise it as cases start
 *  passing; never lower it to make a change pass. */
export const PASS_RATE_FLOOR = 1;

export const CORE_FOLDERS = (
  "assignments baseandvirtualdocs comparisonexpr completedoc compositebasedereference compositereferences " +
  "comprehensions containskeyword dataderef defaultkeyword disjunction elsekeyword embeddedvirtualdoc eqexpr " +
  "evaltermexpr every example fix1863 functionerrors functions helloworld indexing indirectreferences " +
  "inputvalues invalidkeyerror keywordrefs negation nestedreferences partialdocconstants partialiter " +
  "partialobjectdoc partialsetdoc planner-ir refheads stringinterpolation topdowndynamicdispatch undos " +
  "varreferences virtualdocs withkeyword arithmetic sets aggregates"
).split(" ");

const root = findConformanceDir();

/** The fraction of all 2,067 cases that must pass (2,065 passed when this
 *  was last raised; issue 3 asks for 97%). */
export const ALL_PASS_RATE_FLOOR = 0.998;

test("every conformance folder runs; the core folders and all cases pass at least their floors", { skip: root ? false : "shared/opa-conformance not found" }, async () => {
  const folders = listFolders(root!);
  const report = await runConformance({ folders, workers: 2, timeoutMs: 5000 });
  // every case of every folder ran and has a verdict
  assert.equal(report.total, loadCases(root!, folders).length);
  assert.deepEqual(report.folders.map((f) => f.folder), folders);
  assert.ok(report.cases.every((c) => c.status === "pass" || (c.status === "fail" && typeof c.reason === "string")));
  assert.equal(report.passed + report.failed, report.total);
  const core = report.cases.filter((c) => CORE_FOLDERS.includes(c.folder));
  assert.equal(core.length, loadCases(root!, CORE_FOLDERS).length);
  const corePassed = core.filter((c) => c.status === "pass").length;
  const coreRate = corePassed / core.length;
  const failures = (cases: typeof core) => cases.filter((c) => c.status === "fail").map((c) => `  ${c.note}: ${c.reason}`).join("\n");
  assert.ok(coreRate >= PASS_RATE_FLOOR, `core pass rate ${(coreRate * 100).toFixed(1)}% (${corePassed}/${core.length}) is below ${(PASS_RATE_FLOOR * 100).toFixed(1)}%:\n${failures(core)}`);
  const rate = report.passed / report.total;
  assert.ok(rate >= ALL_PASS_RATE_FLOOR, `pass rate ${(rate * 100).toFixed(1)}% (${report.passed}/${report.total}) is below ${(ALL_PASS_RATE_FLOOR * 100).toFixed(1)}%:\n${failures(report.cases)}`);
});
