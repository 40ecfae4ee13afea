// Test reports in `opa test`'s text and JSON formats.
import type { TestResult } from "./runner.js";

function duration(ns: number): string {
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)}µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(1)}ms`;
  return `${(ns / 1e9).toFixed(2)}s`;
}

const label = { pass: "PASS", fail: "FAIL", error: "ERROR", skip: "SKIPPED" } as const;

/** Like opa test's pretty report: every test when verbose, else only the
 *  ones that did not pass; then the counts. */
export function textReport(results: TestResult[], options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const r of results) {
    if (!options.verbose && (r.status === "pass" || r.status === "skip")) continue;
    lines.push(`${r.test.name}: ${label[r.status]} (${duration(r.durationNs)})`);
    if (r.message) lines.push(`  ${r.message}`);
    if (r.output) for (const l of r.output.split("\n")) lines.push(`  ${l}`);
  }
  const total = results.length;
  const count = (s: TestResult["status"]) => results.filter((r) => r.status === s).length;
  lines.push("-".repeat(80));
  for (const s of ["pass", "fail", "error", "skip"] as const) {
    const n = count(s);
    if (n > 0 || (s === "pass" && total > 0)) lines.push(`${label[s]}: ${n}/${total}`);
  }
  return lines.join("\n");
}

/** The array `opa test --format=json` prints. */
export function jsonReport(results: TestResult[]): unknown[] {
  return results.map((r) => {
    const out: Record<string, unknown> = {
      location: r.test.location,
      package: ["data", ...r.test.packagePath].join("."),
      name: r.test.ruleName,
      duration: r.durationNs,
    };
    if (r.status === "fail") out.fail = true;
    if (r.status === "skip") out.skip = true;
    if (r.status === "error") out.error = { code: "eval_error", message: r.message ?? "error" };
    if (r.output) out.output = Buffer.from(r.output + "\n").toString("base64");
    return out;
  });
}
