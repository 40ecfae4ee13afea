// Finding Rego unit tests, as `opa test` does: a test is a rule whose head
// ref has a ground prefix element starting with `test_` (`todo_test_` marks a
// skipped one); rules that share a test name in one package are separate
// tests, renamed `name#01`, `name#02`, …; tests run in the order of their
// module's file name, then of their rules. Files and data load as OPA's
// loader does (see load.ts).
import type { Module, Rule, Term } from "../ast.js";
import { RegoError, type RegoProblem } from "../errors.js";
import { parseModule } from "../parser/index.js";
import { loadFiles, type LoadOptions } from "./load.js";
import { isGround } from "../compiler/terms.js";

/** How a test's value decides its outcome (OPA's runTest). */
export type TestKind =
  /** the value must be `true` */
  | "value"
  /** a partial-object test (`test_x[case] if …`): every leaf must be `true` */
  | "object";

export interface DiscoveredTest {
  /** `data.pkg.test_name` (with `#NN` for repeated names) */
  name: string;
  /** package path below data */
  packagePath: string[];
  /** the rule's name in the entrypoint (renamed when repeated) */
  ruleName: string;
  /** entrypoint: `pkg/path/test_name` */
  entrypoint: string;
  kind: TestKind;
  skip: boolean;
  location: { file: string; row: number; col: number };
}

export interface TestSources {
  /** modules that parsed, in file-name order */
  modules: Module[];
  sources: { path: string; source: string }[];
  data: Record<string, unknown>;
  tests: DiscoveredTest[];
  /** every parse problem; `opa test` stops on any of them */
  parseErrors: RegoProblem[];
}

export interface DiscoverOptions extends LoadOptions {
  regoVersion: 0 | 1;
}

const TEST_PREFIX = "test_";
const SKIP_PREFIX = "todo_test_";

function groundName(t: Term, first: boolean): string | undefined {
  if (first && t.type === "var") return t.name;
  if (t.type === "string") return t.value;
  return undefined;
}

/** OPA's ruleName: the first element of the head ref's ground prefix that
 *  starts with a test prefix, and its index; undefined for other rules. */
function testNameOf(rule: Rule): { name: string; index: number } | undefined {
  const ref = rule.head.ref;
  for (let i = 0; i < ref.length; i++) {
    const n = groundName(ref[i]!, i === 0);
    if (n === undefined) return undefined;
    if (n.startsWith(TEST_PREFIX) || n.startsWith(SKIP_PREFIX)) return { name: n, index: i };
  }
  return undefined;
}

function kindOf(rule: Rule, index: number): TestKind {
  const rest = rule.head.ref.slice(index + 1);
  if (!rule.head.contains && !rule.head.args && rest.length > 0 && !isGround(rest[rest.length - 1]!)) return "object";
  return "value";
}

function renameAt(rule: Rule, index: number, name: string): void {
  const t = rule.head.ref[index]!;
  if (t.type === "var") t.name = name;
  else if (t.type === "string") t.value = name;
  for (let r = rule.else; r; r = r.else) renameAt(r, index, name);
}

/** Go's sort order for module names: by UTF-8 bytes. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function discoverTests(paths: string[], options: DiscoverOptions): TestSources {
  const loaded = loadFiles(paths, options);
  const sources = [...loaded.sources].sort((a, b) => byteOrder(a.path, b.path));
  const modules: Module[] = [];
  const parseErrors: RegoProblem[] = [];
  for (const s of sources) {
    try {
      modules.push(parseModule(s.source, s.path, { regoVersion: options.regoVersion }));
    } catch (err) {
      if (!(err instanceof RegoError)) throw err;
      parseErrors.push(...err.errors);
    }
  }

  const tests: DiscoveredTest[] = [];
  const seen = new Map<string, number>();
  for (const m of modules) {
    const pkg = m.package.path.map((s) => s.value);
    for (const rule of m.rules) {
      const found = testNameOf(rule);
      if (!found) continue;
      const ref = rule.head.ref.slice(0, found.index + 1).map((t) => groundName(t, t === rule.head.ref[0])!);
      let name = found.name;
      if (name.startsWith(TEST_PREFIX)) {
        // OPA renames repeated `test_` names (not `todo_test_` ones).
        const key = [...pkg, ...ref].join("\u0000");
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        if (n > 0) {
          name = `${name}#${String(n).padStart(2, "0")}`;
          renameAt(rule, found.index, name);
          ref[ref.length - 1] = name;
        }
      }
      tests.push({
        name: ["data", ...pkg, ...ref].join("."),
        packagePath: pkg,
        ruleName: ref.join("."),
        entrypoint: [...pkg, ...ref].join("/"),
        kind: kindOf(rule, found.index),
        skip: name.startsWith(SKIP_PREFIX),
        location: rule.loc,
      });
    }
  }
  return { modules, sources, data: loaded.data, tests, parseErrors };
}
