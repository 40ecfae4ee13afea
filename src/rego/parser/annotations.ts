// `# METADATA` blocks: the comment lines after a `# METADATA` line, on
// consecutive rows and starting in column 1, hold a YAML mapping. Each block
// belongs to the first package or rule below it; its scope defaults to that
// statement's kind, as OPA's does.
import { parse as parseYaml } from "yaml";
import type { Annotation, Comment, Location, Package, Rule } from "../ast.js";
import type { RegoProblem } from "../errors.js";

const SCOPES = new Set(["package", "subpackages", "rule", "document"]);

interface Block {
  loc: Location;
  lines: string[];
}

function findBlocks(comments: Comment[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let prev: Comment | undefined;
  for (const c of comments) {
    if (current && prev && c.loc.row === prev.loc.row + 1 && c.loc.col === 1) {
      current.lines.push(c.text.startsWith(" ") ? c.text.slice(1) : c.text);
      prev = c;
      continue;
    }
    current = undefined;
    if (c.text.trim().startsWith("METADATA")) {
      current = { loc: c.loc, lines: [] };
      blocks.push(current);
    }
    prev = c;
  }
  return blocks;
}

export type Statement = { kind: "package"; node: Package } | { kind: "rule"; node: Rule } | { kind: "import"; loc: Location };

const stmtLoc = (s: Statement) => (s.kind === "import" ? s.loc : s.node.loc);

/** Parses every METADATA block, attaches rule-scoped ones to their rules
 *  (`Rule.annotations`) and returns them all, with any problems. */
export function processAnnotations(
  comments: Comment[],
  statements: Statement[],
): { annotations: Annotation[]; problems: RegoProblem[] } {
  const annotations: Annotation[] = [];
  const problems: RegoProblem[] = [];
  const problem = (message: string, location: Location) => problems.push({ code: "rego_parse_error", message, location });
  for (const block of findBlocks(comments)) {
    const text = block.lines.join("\n");
    if (text.trim() === "") {
      problem("expected METADATA block, found whitespace", block.loc);
      continue;
    }
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (e) {
      problem(`yaml: ${(e as Error).message.split("\n")[0]}`, block.loc);
      continue;
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      problem("yaml: METADATA block must be a mapping", block.loc);
      continue;
    }
    const record = data as Record<string, unknown>;
    const target = statements.find((s) => stmtLoc(s).row > block.loc.row);
    let scope = typeof record.scope === "string" ? record.scope : undefined;
    if (scope === undefined) {
      if (target?.kind === "rule") scope = record.entrypoint === true ? "document" : "rule";
      else if (target?.kind === "package") scope = "package";
      else if (target?.kind === "import") scope = "import";
    }
    const have = target ? ` (have ${target.kind})` : "";
    if (scope === undefined || !SCOPES.has(scope)) {
      problem(`invalid annotation scope '${scope ?? ""}'`, block.loc);
      continue;
    }
    if ((scope === "rule" || scope === "document") && target?.kind !== "rule") {
      problem(`annotation scope '${scope}' must be applied to rule${have}`, block.loc);
      continue;
    }
    if ((scope === "package" || scope === "subpackages") && target?.kind !== "package") {
      problem(`annotation scope '${scope}' must be applied to package${have}`, block.loc);
      continue;
    }
    const annotation: Annotation = { scope: scope as Annotation["scope"], data: record, loc: block.loc };
    annotations.push(annotation);
    if (target?.kind === "rule") (target.node.annotations ??= []).push(annotation);
  }
  return { annotations, problems };
}
