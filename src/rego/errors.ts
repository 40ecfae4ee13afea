// Errors raised while parsing and compiling Rego. Codes are OPA's, so that
// tooling written for OPA's error output keeps working.
import type { Location } from "./ast.js";

export type RegoErrorCode =
  | "rego_parse_error"
  | "rego_compile_error"
  | "rego_type_error"
  | "rego_unsafe_var_error"
  | "rego_recursion_error";

/** One problem in one place. */
export interface RegoProblem {
  code: RegoErrorCode;
  message: string;
  location: Location;
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.row}:${loc.col}`;
}

/**
 * What `compileRego` and the parser throw. `code` and `location` are those of
 * the first problem; `errors` holds every problem found (OPA reports all the
 * errors of a compile stage at once, and so do we). The message starts with
 * `file:row:col` and lists every problem, one a line.
 */
export class RegoError extends Error {
  readonly code: RegoErrorCode;
  readonly location: Location;
  readonly errors: RegoProblem[];

  constructor(problems: RegoProblem[] | RegoProblem) {
    const list = Array.isArray(problems) ? problems : [problems];
    if (list.length === 0) throw new TypeError("RegoError needs at least one problem");
    const first = list[0]!;
    const lines = list.map((p) => `${formatLocation(p.location)}: ${p.code}: ${p.message}`);
    super(list.length === 1 ? lines[0] : `${lines[0]}\n${lines.slice(1).join("\n")}\n(${list.length} errors)`);
    this.name = "RegoError";
    this.code = first.code;
    this.location = first.location;
    this.errors = list;
  }
}

/** Collects problems during one stage; `throwIfAny` raises them together. */
export class ProblemList {
  readonly items: RegoProblem[] = [];
  /** The same problem at the same place is kept once: rewrites that copy an
   *  expression's `with` onto the expressions extracted from it (as OPA's
   *  do) would otherwise report a bad `with` once per copy. */
  add(code: RegoErrorCode, message: string, location: Location): void {
    const dup = this.items.some((p) => p.code === code && p.message === message && p.location.file === location.file && p.location.row === location.row && p.location.col === location.col);
    if (!dup) this.items.push({ code, message, location });
  }
  get length(): number {
    return this.items.length;
  }
  throwIfAny(): void {
    if (this.items.length > 0) {
      const sorted = [...this.items].sort(
        (a, b) =>
          a.location.file.localeCompare(b.location.file) ||
          a.location.row - b.location.row ||
          a.location.col - b.location.col,
      );
      throw new RegoError(sorted);
    }
  }
}
