// Every module and query of OPA's conformance suite must parse (except cases
// that expect a parse error, which must not).
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectsParseError, findConformanceDir, loadCases } from "../src/rego/conformance/cases.js";
import { parseModule, parseQuery } from "../src/rego/parser/index.js";

/** Every term, expression, rule and head in `node` has a location in `file`
 *  on a row of the source. Returns the first offender's path. */
function missingLocation(node: unknown, file: string, rows: number, path = "$"): string | undefined {
  if (Array.isArray(node)) {
    for (const [i, x] of node.entries()) {
      const bad = missingLocation(x, file, rows, `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (node === null || typeof node !== "object") return undefined;
  const o = node as Record<string, unknown>;
  const needsLoc = "type" in o ? o.type !== "some" && o.type !== "somein" && o.type !== "every" && o.type !== "term" && o.type !== "unify" && o.type !== "assign" : "head" in o || "ref" in o || "kind" in o;
  if (needsLoc) {
    const loc = o.loc as { file?: string; row?: number; col?: number } | undefined;
    if (!loc || loc.file !== file || !(loc.row! >= 1 && loc.row! <= rows) || !(loc.col! >= 1)) return path;
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === "loc") continue;
    const bad = missingLocation(v, file, rows, `${path}.${k}`);
    if (bad) return bad;
  }
  return undefined;
}

const root = findConformanceDir();

test("every conformance module and query parses", { skip: root ? false : "shared/opa-conformance not found" }, () => {
  const cases = loadCases(root!);
  assert.ok(cases.length > 2000, `expected OPA's 2,067 cases, found ${cases.length}`);
  const failures: string[] = [];
  let modules = 0;
  for (const c of cases) {
    let error: unknown;
    try {
      (c.modules ?? []).forEach((m, i) => {
        modules++;
        const file = `${c.note}#${i}`;
        const ast = parseModule(m, file);
        const bad = missingLocation(ast.rules, file, m.split("\n").length);
        if (bad) failures.push(`${c.folder}/${c.note}: no location at ${bad}`);
      });
      parseQuery(c.query);
    } catch (e) {
      error = e;
    }
    if (expectsParseError(c) && !error) failures.push(`${c.folder}/${c.note}: parsed, but a parse error was expected`);
    if (!expectsParseError(c) && error) failures.push(`${c.folder}/${c.note}: ${(error as Error).message}`);
  }
  assert.ok(modules > 2000);
  assert.deepEqual(failures, []);
});
