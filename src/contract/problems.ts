// Problems found in contract and manifest files, each at file:line:col.
export interface SourceProblem {
  file: string;
  line: number;
  col: number;
  message: string;
  /** JSON pointer into the document (ajv's instancePath), "" for the root */
  path: string;
  /** the schema rule that failed, e.g. urn:writ:schema:task-contract#/properties/budget/required */
  schemaPath?: string;
}

export function formatProblem(p: SourceProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}${p.path ? ` (at ${p.path})` : ""}${p.schemaPath ? ` [${p.schemaPath}]` : ""}`;
}

/** Thrown with every problem of every file involved. */
export class ContractError extends Error {
  readonly problems: SourceProblem[];
  constructor(problems: SourceProblem[]) {
    const lines = problems.map(formatProblem);
    super(lines.length === 1 ? lines[0]! : `${lines.join("\n")}\n(${lines.length} problems)`);
    this.name = "ContractError";
    this.problems = problems;
  }
}
