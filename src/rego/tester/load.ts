// Loading policy and data files the way `opa test` does, so that suites
// written for OPA find the same modules and the same data documents.
//
// Plain paths (OPA's file loader): every `.rego` file is a module and every
// `.json`, `.yaml` and `.yml` file is data, whatever its name, merged at the
// path of its directory below the argument (`opa test lib/ validator/` puts
// validator/test/fixtures/x/data.json at data.test.fixtures.x). A file named
// on the command line with another extension is tried as Rego, JSON, then
// YAML. Nothing is skipped by default, hidden directories included; `--ignore`
// patterns match base names below the arguments.
//
// Bundles (`opa test -b dir`): only `.rego` files and files named data.json,
// data.yaml or data.yml count; the rest of the tree is ignored.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseAllDocuments } from "yaml";

export interface LoadOptions {
  /** load each path as a bundle directory (`opa test -b`) */
  bundle?: boolean;
  /** `--ignore` shell patterns, matched against base names below the arguments */
  ignore?: string[];
  /** read only the first value of a JSON file and ignore what follows, as
   *  OPA releases before v0.30 did (current OPA rejects trailing values) */
  jsonFirstValue?: boolean;
}

export interface LoadedFiles {
  /** Rego sources, named as OPA names modules (the path as walked) */
  sources: { path: string; source: string }[];
  /** the merged data document */
  data: Record<string, unknown>;
}

export class LoadError extends Error {}

const BUNDLE_DATA = new Set(["data.json", "data.yaml", "data.yml"]);

/** Go's filepath.Match on a base name: `*`, `?`, `[...]` (no separators). */
export function globMatch(pattern: string, name: string): boolean {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) return false; // Go reports ErrBadPattern: no match
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith("^")) cls = "^" + cls.slice(1).replace(/\\/g, "\\\\");
      else cls = cls.replace(/\\/g, "\\\\");
      re += `[${cls}]`;
      i = end;
    } else if (c === "\\" && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else re += escapeRe(c);
  }
  return new RegExp(re + "$").test(name);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** OPA's merge.InterfaceMaps: objects merge key by key; any other clash fails. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    if (existing === undefined) target[k] = v;
    else if (isObject(existing) && isObject(v)) {
      if (!mergeInto(existing, v)) return false;
    } else return false;
  }
  return true;
}

/** The end of the first JSON value in `text` (or the text's length). */
function firstValueEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      if (depth === 0) return i + 1;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && !/\s/.test(c)) {
      // a top-level scalar runs to the next space or bracket
      let j = i;
      while (j < text.length && !/[\s{}[\]"]/.test(text[j]!)) j++;
      return j;
    }
  }
  return text.length;
}

function parseJson(file: string, text: string, firstValue = false): unknown {
  try {
    return JSON.parse(firstValue ? text.slice(0, firstValueEnd(text)) : text);
  } catch (err) {
    throw new LoadError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseYamlDoc(file: string, text: string): unknown {
  try {
    // sigs.k8s.io/yaml (YAML 1.1: yes/no are booleans) reads the first
    // document of a stream; an empty file is null.
    const docs = parseAllDocuments(text, { version: "1.1" });
    const first = Array.isArray(docs) ? docs[0] : undefined;
    if (!first) return null;
    if (first.errors.length > 0) throw first.errors[0];
    return first.toJS({ maxAliasCount: -1 }) ?? null;
  } catch (err) {
    throw new LoadError(`${file}: error converting YAML to JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function mergeDocument(data: Record<string, unknown>, dir: string[], file: string, doc: unknown): void {
  let value = doc;
  for (let i = dir.length - 1; i >= 0; i--) value = { [dir[i]!]: value };
  if (!isObject(value)) throw new LoadError(`${file}: bad document type`);
  if (!mergeInto(data, structuredClone(value))) throw new LoadError(`${file}: merge error`);
}

function looksLikeRego(text: string): boolean {
  return /^\s*(#.*\n\s*)*package\s/.test(text);
}

/** Loads `paths` as `opa test` would, before parsing the Rego. */
export function loadFiles(paths: string[], options: LoadOptions = {}): LoadedFiles {
  const sources: LoadedFiles["sources"] = [];
  const data: Record<string, unknown> = {};
  const ignored = (name: string, depth: number) => depth >= 1 && (options.ignore ?? []).some((p) => globMatch(p, name));

  const walk = (path: string, dir: string[], depth: number, bundleRoot: boolean) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      throw new LoadError(`${path}: no such file or directory`);
    }
    const name = basename(path);
    if (ignored(name, depth)) return;
    if (st.isDirectory()) {
      const below = depth > 0 ? [...dir, name] : dir;
      for (const entry of readdirSync(path).sort()) walk(join(path, entry), below, depth + 1, bundleRoot);
      return;
    }
    const text = () => readFileSync(path, "utf8");
    if (path.endsWith(".rego")) {
      sources.push({ path, source: text() });
    } else if (options.bundle) {
      if (!BUNDLE_DATA.has(name)) return;
      mergeDocument(data, dir, path, name.endsWith(".json") ? parseJson(path, text(), options.jsonFirstValue) : parseYamlDoc(path, text()));
    } else if (path.endsWith(".json")) {
      mergeDocument(data, dir, path, parseJson(path, text(), options.jsonFirstValue));
    } else if (path.endsWith(".yaml") || path.endsWith(".yml")) {
      mergeDocument(data, dir, path, parseYamlDoc(path, text()));
    } else if (depth === 0) {
      // A file named on the command line: Rego, else JSON, else YAML.
      const t = text();
      if (looksLikeRego(t)) sources.push({ path, source: t });
      else {
        let doc: unknown;
        try {
          doc = JSON.parse(t);
        } catch {
          doc = parseYamlDoc(path, t);
        }
        mergeDocument(data, dir, path, doc);
      }
    }
  };
  for (const p of paths) walk(p, [], 0, true);
  return { sources, data };
}
