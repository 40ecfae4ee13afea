// What goes wrong with a bundle, file by file: verification and reading
// failures name every file involved, so `writ bundle verify` can say which
// file was changed, added or removed.

export type FileProblemKind =
  /** the file's hash differs from the signed one */
  | "changed"
  /** the file is in the bundle but not in the signature */
  | "added"
  /** the signature lists the file but the bundle lacks it */
  | "removed"
  /** a structured file (data.json, .manifest) does not parse */
  | "malformed"
  /** the signature itself (.signatures.json) is missing, malformed or invalid */
  | "signature"
  /** a tar entry of a kind a bundle may not hold (link, device) */
  | "unsupported"
  | "duplicate"
  | "too_large"
  | "truncated"
  /** an unsafe entry name (traversal, absolute after normalising, empty) */
  | "unsafe_path";

export interface FileProblem {
  file: string;
  problem: FileProblemKind;
  detail?: string;
}

export class BundleError extends Error {
  readonly problems: FileProblem[];
  constructor(message: string, problems: FileProblem[] = []) {
    super(message);
    this.name = "BundleError";
    this.problems = problems;
  }
}

/** One line a problem: `data.json: changed (…)`. */
export function describeProblem(p: FileProblem): string {
  return `${p.file}: ${p.problem}${p.detail ? ` (${p.detail})` : ""}`;
}
