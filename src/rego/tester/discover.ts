// Finding Rego unit tests and the data they run against, as `opa test` does:
// a test is a rule whose name starts with `test_` (`todo_test_` marks a
// skipped one); rules that share a test name in one package are separate
// tests, renamed `name#01`, `name#02`, …; data.json / data.yaml files load at
// the data path of their directory.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Module, Rule } from "../ast.js";
import { parseModule } from "../parser/index.js";

export interface DiscoveredTest {
  /** `data.pkg.test_name` (with `#NN` for repeated names) */
  name: string;
  /** package path below data */
  packagePath: string[];
  /** the rule's name in the entrypoint (renamed when repeated) */
  ruleName: string;
  /** entrypoint: `pkg/path/test_name` */
  entrypoint: string;
  skip: boolean;
  location: { file: string; row: number; col: number };
}

export interface TestSources {
  modules: Module[];
  sources: { path: string; source: string }[];
  data: Record<string, unknown>;
  tests: DiscoveredTest[];
}

function walkFiles(paths: string[]): { rego: string[]; data: { file: string; root: string }[] } {
  const rego: string[] = [];
  const data: { file: string; root: string }[] = [];
  const walk = (p: string, root: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name.startsWith(".") || name === "node_modules") continue;
        walk(join(p, name), root);
      }
      return;
    }
    const base = p.split(sep).pop()!;
    if (p.endsWith(".rego")) rego.push(p);
    else if (base === "data.json" || base === "data.yaml" || base === "data.yml") data.push({ file: p, root });
  };
  for (const p of paths) walk(p, statSync(p).isDirectory() ? p : dirname(p));
  return { rego, data };
}

/** Deep-merges `value` into `target` at `path`; later files win on leaves. */
function mergeAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path) {
    const next = node[key];
    if (!next || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const existing = node[k];
      if (existing && typeof existing === "object" && !Array.isArray(existing) && v && typeof v === "object" && !Array.isArray(v)) {
        mergeAt(node, [k], v);
      } else node[k] = v;
    }
  }
}

function ruleName(rule: Rule): string | undefined {
  const head = rule.head.ref[0];
  if (!head || head.type !== "var" || rule.head.ref.length !== 1 || rule.head.args) return undefined;
  return head.name;
}

export function discoverTests(paths: string[], options: { regoVersion: 0 | 1 }): TestSources {
  const files = walkFiles(paths);
  const sources = files.rego.map((path) => ({ path, source: readFileSync(path, "utf8") }));
  const modules = sources.map((s) => parseModule(s.source, s.path, { regoVersion: options.regoVersion }));
  const data: Record<string, unknown> = {};
  for (const { file, root } of files.data) {
    const text = readFileSync(file, "utf8");
    const value = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
    const rel = relative(root, dirname(file));
    mergeAt(data, rel ? rel.split(sep) : [], value);
  }

  const tests: DiscoveredTest[] = [];
  const seen = new Map<string, number>();
  for (const m of modules) {
    const pkg = m.package.path.map((s) => s.value);
    for (const rule of m.rules) {
      const name = ruleName(rule);
      if (!name || !(name.startsWith("test_") || name.startsWith("todo_test_"))) continue;
      const full = ["data", ...pkg, name].join(".");
      const n = seen.get(full) ?? 0;
      seen.set(full, n + 1);
      let renamed = name;
      if (n > 0) {
        renamed = `${name}#${String(n).padStart(2, "0")}`;
        // Each repeated test is its own rule: give it its own name.
        (rule.head.ref[0] as { name: string }).name = renamed;
      }
      tests.push({
        name: ["data", ...pkg, renamed].join("."),
        packagePath: pkg,
        ruleName: renamed,
        entrypoint: [...pkg, renamed].join("/"),
        skip: name.startsWith("todo_test_"),
        location: rule.loc,
      });
    }
  }
  return { modules, sources, data, tests };
}
