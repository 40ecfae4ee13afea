// Runs OPA's conformance cases against writ and summarises per folder.
import { findConformanceDir, listFolders, loadCases, type LoadedCase } from "./cases.js";
import { runPool } from "./pool.js";
import type { CaseOutcome } from "./run-case.js";

export interface RunOptions {
  /** folders of shared/opa-conformance/v1 (all when omitted) */
  folders?: string[];
  /** time limit per case, ms (default 5000) */
  timeoutMs?: number;
  /** worker threads (default 2) */
  workers?: number;
  /** the cases' v1 folder (default: found beside the checkout) */
  root?: string;
  /** only the cases whose note contains this text */
  filter?: string;
  /** evaluate with the bare SDK: no custom builtins at all */
  bare?: boolean;
}

export interface CaseResult {
  folder: string;
  file: string;
  note: string;
  status: "pass" | "fail";
  reason?: string;
}

export interface RunReport {
  total: number;
  passed: number;
  failed: number;
  folders: { folder: string; passed: number; total: number }[];
  cases: CaseResult[];
}

export async function runConformance(options: RunOptions = {}): Promise<RunReport> {
  const root = options.root ?? findConformanceDir();
  if (!root) throw new Error("shared/opa-conformance/v1 not found (set WRIT_CONFORMANCE_DIR)");
  const folders = options.folders ?? listFolders(root);
  const filter = options.filter;
  const cases = loadCases(root, folders).filter((c) => filter === undefined || c.note.includes(filter));
  const outcomes = await runPool<LoadedCase, CaseOutcome>(cases, {
    workerUrl: new URL("./worker.js", import.meta.url),
    workers: options.workers ?? 2,
    timeoutMs: options.timeoutMs ?? 5000,
    failure: (reason) => ({ status: "fail", reason }),
    workerData: { bare: options.bare ?? false },
  });
  const results: CaseResult[] = cases.map((c, i) => ({
    folder: c.folder,
    file: c.file,
    note: c.note,
    ...outcomes[i]!,
  }));
  const summary = folders.map((folder) => {
    const mine = results.filter((r) => r.folder === folder);
    return { folder, passed: mine.filter((r) => r.status === "pass").length, total: mine.length };
  });
  const passed = results.filter((r) => r.status === "pass").length;
  return { total: results.length, passed, failed: results.length - passed, folders: summary, cases: results };
}

/** The report as text: `folder  pass/total` per folder, then the totals. */
export function formatSummary(report: RunReport): string {
  const width = Math.max(0, ...report.folders.map((f) => f.folder.length));
  const lines = report.folders.map((f) => `${f.folder.padEnd(width)}  ${f.passed}/${f.total}`);
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join("\n");
}
