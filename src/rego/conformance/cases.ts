// OPA's conformance cases (shared/opa-conformance/v1/<folder>/*.json): where
// they are and what one looks like. Format: shared/opa-conformance/SOURCE.md.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface ConformanceCase {
  note: string;
  query: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: Record<string, unknown>[];
  sort_bindings?: boolean;
  want_error_code?: string;
  want_error?: string;
  strict_error?: boolean;
  ignore_generated_vars?: boolean;
}

export interface LoadedCase extends ConformanceCase {
  folder: string;
  file: string;
}

/** The `v1` folder of the cases: $WRIT_CONFORMANCE_DIR, or `shared/` beside
 *  the checkout or any folder above it (a worktree lives deeper than main). */
export function findConformanceDir(): string | undefined {
  const env = process.env.WRIT_CONFORMANCE_DIR;
  if (env) return existsSync(env) ? resolve(env) : undefined;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "shared", "opa-conformance", "v1");
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function listFolders(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every case of the given folders (all when omitted), in a stable order. */
export function loadCases(root: string, folders: string[] = listFolders(root)): LoadedCase[] {
  const out: LoadedCase[] = [];
  for (const folder of folders) {
    const dir = join(root, folder);
    if (!existsSync(dir)) throw new Error(`no conformance folder ${folder}`);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const parsed = JSON.parse(readFileSync(join(dir, file), "utf8")) as { cases: ConformanceCase[] };
      for (const c of parsed.cases) out.push({ ...c, folder, file });
    }
  }
  return out;
}

/** Does the case expect a parse error of its modules or query? */
export function expectsParseError(c: ConformanceCase): boolean {
  return c.want_error_code === "rego_parse_error" || (c.want_error_code === undefined && (c.want_error ?? "").includes("rego_parse_error"));
}
