// `writ build` as a library: contracts, manifests and the organisation's Rego
// → one signed OPA bundle with writ's base policy, evaluated at writ/decision.
//
//   load + check YAML (every problem, file:line:col)
//   → compile to data + generated Rego (package writ.custom)
//   → compile base + org + generated Rego to policy.wasm
//   → write /.manifest, /data.json, /policy.wasm, the Rego sources, and
//     /.signatures.json
import { createHash, type KeyObject } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { relative } from "node:path";
import { compileRego } from "../rego/compile.js";
import { RegoError, type RegoProblem } from "../rego/errors.js";
import { collectRegoFiles } from "../cli/files.js";
import { version as writVersion } from "../version.js";
import { writeBundle, bundleFiles } from "../bundle/write.js";
import type { BundleManifest } from "../bundle/types.js";
import { findYamlFiles, loadPolicyDocuments, type LoadedDocument } from "./load.js";
import { compileDocuments, type GeneratedModule } from "./compile.js";
import { ContractError, type SourceProblem } from "./problems.js";
import { locateInString } from "./yaml-source.js";

export const DECISION_ENTRYPOINT = "writ/decision";

/** writ's base policy, shipped with the package. */
export const baseRegoDir = fileURLToPath(new URL("../../../rego/base/", import.meta.url));

export interface BuildOptions {
  /** the organisation's Rego: files or directories */
  rego?: string[];
  contracts?: string[];
  manifests?: string[];
  /** PEM text or key; without it the bundle is unsigned */
  signingKey?: KeyObject | string;
  keyId?: string;
  /** default: the first 16 hex digits of the sources digest */
  revision?: string;
  /** generated Rego names its YAML relative to this (default: cwd) */
  sourceRoot?: string;
  /** progress, one line at a time (the CLI sends it to stderr) */
  log?: (line: string) => void;
}

export interface BuildResult {
  bytes: Uint8Array;
  manifest: BundleManifest;
  /** the files in the bundle, by name */
  files: Map<string, Uint8Array>;
  data: Record<string, unknown>;
  generated: GeneratedModule[];
  /** milliseconds per stage */
  timings: { load: number; compileContracts: number; compileRego: number; write: number; total: number };
}

interface RegoSource {
  /** name inside the bundle */
  name: string;
  /** name in compile errors: the path the author knows */
  path: string;
  source: string;
  bytes: Uint8Array;
}

const RESERVED = /^writ(\.(lib|match|manifest|contract|custom))?$|^writ\.(lib|match|manifest|contract|custom)\./;

function packageOf(source: string): { name: string; line: number } | undefined {
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*package\s+([A-Za-z_][\w.]*|[^\s#]+)/.exec(lines[i]!);
    if (m) return { name: m[1]!, line: i + 1 };
  }
  return undefined;
}

function baseModules(): RegoSource[] {
  return readdirSync(baseRegoDir)
    .filter((f) => f.endsWith(".rego"))
    .sort()
    .map((f) => {
      const bytes = readFileSync(`${baseRegoDir}/${f}`);
      return { name: `rego/base/${f}`, path: `rego/base/${f}`, source: bytes.toString("utf8"), bytes };
    });
}

/** The org's Rego, named in the bundle `rego/org/<path under the directory given>`. */
function orgModules(paths: string[], sourceRoot: string): { modules: RegoSource[]; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const modules: RegoSource[] = [];
  const names = new Set<string>();
  for (const given of paths) {
    for (const file of collectRegoFiles([given])) {
      const under = underGiven(given, file.path);
      let name = `rego/org/${under.split("\\").join("/")}`;
      for (let n = 2; names.has(name); n++) name = `rego/org/${n}/${under}`;
      names.add(name);
      const display = relative(sourceRoot, file.path).startsWith("..") ? file.path : relative(sourceRoot, file.path);
      const pkg = packageOf(file.source);
      if (pkg && RESERVED.test(pkg.name)) {
        problems.push({
          file: display,
          line: pkg.line,
          col: 1,
          message: `package ${pkg.name} belongs to writ's base policy; platform rules go in package writ.platform (helpers in writ.platform.* or your own namespace)`,
          path: "",
        });
      }
      modules.push({ name, path: display, source: file.source, bytes: Buffer.from(file.source, "utf8") });
    }
  }
  return { modules, problems };
}

/** A file's path under the directory it was found in (its base name when
 *  the file itself was given). */
function underGiven(given: string, file: string): string {
  const rel = relative(given, file);
  return (rel === "" ? file.split(/[\\/]/).pop()! : rel).split("\\").join("/");
}

/** SHA-256 over every input (role, path relative to the directory given, and
 *  content digest), sorted: the same sources give the same digest on any
 *  machine, from any working directory. */
export function sourcesDigest(entries: { role: string; path: string; bytes: Uint8Array }[]): string {
  const lines = entries
    .map((e) => `${e.role}:${e.path}\u0000${createHash("sha256").update(e.bytes).digest("hex")}\n`)
    .sort();
  return createHash("sha256").update(`writ ${writVersion}\n`).update(lines.join("")).digest("hex");
}

/** The sources digest of a build's inputs, without building. */
export function digestInputs(options: Pick<BuildOptions, "rego" | "contracts" | "manifests">): string {
  const entries: { role: string; path: string; bytes: Uint8Array }[] = [];
  for (const m of baseModules()) entries.push({ role: "base", path: m.name, bytes: m.bytes });
  for (const given of options.rego ?? []) for (const f of collectRegoFiles([given])) entries.push({ role: "rego", path: underGiven(given, f.path), bytes: Buffer.from(f.source) });
  for (const [role, paths] of [["contracts", options.contracts ?? []], ["manifests", options.manifests ?? []]] as const) {
    for (const given of paths) for (const file of findYamlFiles([given])) entries.push({ role, path: underGiven(given, file), bytes: readFileSync(file) });
  }
  return sourcesDigest(entries);
}

/** Compile errors inside generated modules, mapped back to the YAML. */
function mapGeneratedErrors(err: RegoError, generated: GeneratedModule[]): SourceProblem[] | undefined {
  const byPath = new Map(generated.map((g) => [g.path, g]));
  const mapped: SourceProblem[] = [];
  for (const p of err.errors as RegoProblem[]) {
    const g = byPath.get(p.location.file);
    if (!g) return undefined; // not ours alone: report the compiler's message as is
    const origin = g.lineMap.get(p.location.row);
    if (!origin) {
      mapped.push({ file: g.from, line: 1, col: 1, message: `generated Rego (${g.path}:${p.location.row}): ${p.message}`, path: "" });
      continue;
    }
    const doc = origin.doc as LoadedDocument<unknown>;
    // generated body lines are the YAML line indented by one tab
    const pos = locateInString(doc.yaml, origin.pointer, origin.bodyLine, Math.max(1, p.location.col - 1));
    mapped.push({ file: doc.file, line: pos.line, col: pos.col, message: `rego: ${p.code}: ${p.message}`, path: origin.pointer });
  }
  return mapped;
}

export async function buildPolicyBundle(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const sourceRoot = options.sourceRoot ?? process.cwd();
  const t0 = performance.now();

  const docs = loadPolicyDocuments({ contracts: options.contracts ?? [], manifests: options.manifests ?? [] }, { sourceRoot });
  const org = orgModules(options.rego ?? [], sourceRoot);
  if (org.problems.length > 0) throw new ContractError(org.problems);
  const base = baseModules();
  const t1 = performance.now();
  log(`loaded ${docs.manifests.length} manifest(s), ${docs.contracts.length} contract(s), ${org.modules.length} org Rego module(s)`);

  const compiled = compileDocuments(docs);
  const t2 = performance.now();

  const generated: RegoSource[] = compiled.modules.map((g) => ({ name: g.path, path: g.path, source: g.source, bytes: Buffer.from(g.source) }));
  const all = [...base, ...org.modules, ...generated];
  let wasm: Uint8Array;
  try {
    const result = await compileRego({
      modules: all.map((m) => ({ path: m.path, source: m.source })),
      entrypoints: [DECISION_ENTRYPOINT],
      regoVersion: 1,
    });
    wasm = result.wasm;
  } catch (err) {
    if (err instanceof RegoError) {
      const mapped = mapGeneratedErrors(err, compiled.modules);
      if (mapped) throw new ContractError(mapped);
    }
    throw err;
  }
  const t3 = performance.now();
  log(`compiled ${all.length} Rego module(s) → policy.wasm (${wasm.length} bytes, ${(t3 - t2).toFixed(0)} ms)`);

  // from the files as given (not the loaded copies) so that a staleness
  // check without building (digestInputs) computes the same value
  const digest = digestInputs(options);
  const roots = [...new Set([...all.map((m) => packageOf(m.source)?.name.split(".")[0]).filter((r): r is string => !!r), "writ"])].sort();
  const manifest: BundleManifest = {
    revision: options.revision ?? digest.slice(0, 16),
    roots,
    wasm: [{ entrypoint: DECISION_ENTRYPOINT, module: "/policy.wasm" }],
    rego_version: 1,
    metadata: {
      writ_version: writVersion,
      sources_digest: digest,
      contracts: Object.keys(compiled.data.writ.contracts),
      manifests: Object.keys(compiled.data.writ.manifests),
    },
  };
  const contents = {
    manifest,
    wasm,
    data: compiled.data as unknown as Record<string, unknown>,
    files: new Map(all.map((m) => [m.name, m.bytes] as [string, Uint8Array])),
  };
  const bytes = writeBundle(contents, {
    ...(options.signingKey ? { signingKey: options.signingKey } : {}),
    ...(options.keyId ? { keyId: options.keyId } : {}),
  });
  const t4 = performance.now();
  log(`wrote bundle ${manifest.revision}: ${bundleFiles(contents).size + (options.signingKey ? 1 : 0)} files, ${bytes.length} bytes${options.signingKey ? ", signed" : ", UNSIGNED"}`);
  return {
    bytes,
    manifest,
    files: bundleFiles(contents),
    data: contents.data,
    generated: compiled.modules,
    timings: { load: t1 - t0, compileContracts: t2 - t1, compileRego: t3 - t2, write: t4 - t3, total: t4 - t0 },
  };
}
