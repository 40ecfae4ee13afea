// Every module and query of OPA's conformance suite must parse (except cases
// that expect a parse error, which must not).
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectsParseError, findConformanceDir, loadCases } from "../src/rego/conformance/cases.js";
import { parseModule, parseQuery } from "../src/rego/parser/index.js";

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
        parseModule(m, `${c.note}#${i}`);
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
