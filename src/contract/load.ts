// Loading task contracts and capability manifests from YAML: every file is
// parsed and validated against its schema, then checked for what a schema
// cannot say (unique ids, safe Rego bodies, valid globs, agents that exist).
// All problems of all files are collected, each at file:line:col, before
// anything is compiled.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, isAbsolute } from "node:path";
import { validate, schemaLocation, type SchemaName, type SchemaError } from "./schemas.js";
import { locate, locateInString, parseYamlSource, type YamlSource } from "./yaml-source.js";
import { ContractError, type SourceProblem } from "./problems.js";
import { checkRegoBody } from "./rego-body.js";
import { globProblem } from "./globs.js";
import type { CapabilityManifest, Condition, Matcher, TaskContract } from "./types.js";

export type DocumentKind = "task-contract" | "capability-manifest";

export interface LoadedDocument<T> {
  /** the path read */
  file: string;
  /** the path shown in generated Rego and data: relative to the source root */
  source: string;
  /** the file's bytes, for the sources digest */
  bytes: Uint8Array;
  yaml: YamlSource;
  value: T;
}

/** YAML files under the given files and directories, sorted, recursively;
 *  hidden entries skipped. */
export function findYamlFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, explicit: boolean) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name.startsWith(".")) continue;
        walk(join(p, name), false);
      }
    } else if (explicit || /\.ya?ml$/.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return out;
}

function describe(e: SchemaError): { message: string; key?: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { message: `missing required property "${p.missingProperty}"` };
    case "additionalProperties":
      return { message: `unknown property "${p.additionalProperty}"`, key: String(p.additionalProperty) };
    case "unevaluatedProperties":
      return { message: `unknown property "${p.unevaluatedProperty}"`, key: String(p.unevaluatedProperty) };
    case "enum":
      return { message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "const":
      return { message: `must be ${JSON.stringify(p.allowedValue)}` };
    case "format":
      return { message: p.format === "date-time" ? "must be an RFC 3339 date-time, e.g. 2026-12-31T23:59:59Z" : `must be a ${p.format}` };
    case "pattern":
      if (schemaLocation(e).includes("/$defs/id/")) return { message: "must be an identifier: letters, digits, '.', '_', ':' or '-', starting with a letter or digit" };
      if (schemaLocation(e).includes("/$defs/label/")) return { message: "must be a label: lower-case letters, digits, '.', '_', ':' or '-'" };
      return { message: `must match ${p.pattern}` };
    case "anyOf":
      if (schemaLocation(e).includes("/$defs/condition/")) return { message: "needs when (a matcher), rego (a condition), or both" };
      return { message: e.message ?? "matches none of the allowed forms" };
    case "minProperties":
      return { message: "must not be empty" };
    case "minItems":
      return { message: p.limit === 1 ? "must not be empty" : `must have at least ${p.limit} items` };
    default:
      return { message: e.message ?? e.keyword };
  }
}

/** Schema errors of one document, located. */
export function schemaProblems(src: YamlSource, name: SchemaName): SourceProblem[] {
  const errors = validate(name, src.value);
  // an anyOf's failing branches repeat what the anyOf says; keep the anyOf
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  return errors
    .filter((e) => !(e.keyword === "required" && anyOfPaths.has(e.instancePath) && schemaLocation(e).includes("/anyOf/")))
    .map((e) => {
      const { message, key } = describe(e);
      const pos = locate(src, e.instancePath, key);
      return { file: src.file, line: pos.line, col: pos.col, message, path: e.instancePath, schemaPath: schemaLocation(e) };
    });
}

function problemAt(src: YamlSource, pointer: string, message: string, key?: string): SourceProblem {
  const pos = locate(src, pointer, key);
  return { file: src.file, line: pos.line, col: pos.col, message, path: pointer };
}

function matcherGlobs(m: Matcher | undefined, at: string): [string, string][] {
  if (!m) return [];
  const out: [string, string][] = [];
  for (const field of ["tools", "paths", "hosts", "mcp", "packages", "commands"] as const) {
    (m[field] ?? []).forEach((g, i) => out.push([`${at}/${field}/${i}`, g]));
  }
  (m.git?.branches ?? []).forEach((g, i) => out.push([`${at}/git/branches/${i}`, g]));
  return out;
}

function conditionProblems(src: YamlSource, conditions: Condition[] | undefined, at: string, what: string): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const seen = new Map<string, number>();
  (conditions ?? []).forEach((c, i) => {
    const prev = seen.get(c.id);
    if (prev !== undefined) problems.push(problemAt(src, `${at}/${i}/id`, `duplicate ${what} id "${c.id}" (also at ${at}/${prev})`));
    else seen.set(c.id, i);
    if (c.rego !== undefined) {
      for (const bp of checkRegoBody(c.rego)) {
        const pos = locateInString(src, `${at}/${i}/rego`, bp.line, bp.col);
        problems.push({ file: src.file, line: pos.line, col: pos.col, message: `rego: ${bp.message}`, path: `${at}/${i}/rego` });
      }
    }
  });
  return problems;
}

function globProblems(src: YamlSource, globs: [string, string][]): SourceProblem[] {
  const out: SourceProblem[] = [];
  for (const [pointer, g] of globs) {
    const why = globProblem(g);
    if (why) out.push(problemAt(src, pointer, `invalid glob ${JSON.stringify(g)}: ${why}`));
  }
  return out;
}

function list(xs: string[] | undefined, at: string): [string, string][] {
  return (xs ?? []).map((g, i) => [`${at}/${i}`, g]);
}

function contractChecks(src: YamlSource, c: TaskContract): SourceProblem[] {
  const globs: [string, string][] = [
    ...list(c.paths.allowed, "/paths/allowed"),
    ...list(c.paths.readable, "/paths/readable"),
    ...list(c.paths.forbidden, "/paths/forbidden"),
    ...list(c.tools, "/tools"),
    ...list(c.commands?.allowed, "/commands/allowed"),
    ...list(c.commands?.forbidden, "/commands/forbidden"),
    ...list(c.network?.hosts, "/network/hosts"),
    ...list(c.mcp, "/mcp"),
    ...list(c.validation?.commands, "/validation/commands"),
    ...(c.escalation_triggers ?? []).flatMap((t, i) => matcherGlobs(t.when, `/escalation_triggers/${i}/when`)),
  ];
  const problems = [...globProblems(src, globs), ...conditionProblems(src, c.escalation_triggers, "/escalation_triggers", "escalation trigger")];
  const ids = new Map<string, number>();
  (c.evidence_required ?? []).forEach((e, i) => {
    if (ids.has(e.id)) problems.push(problemAt(src, `/evidence_required/${i}/id`, `duplicate evidence id "${e.id}"`));
    ids.set(e.id, i);
  });
  return problems;
}

function manifestChecks(src: YamlSource, m: CapabilityManifest): SourceProblem[] {
  const globs: [string, string][] = [
    ...list(m.models, "/models"),
    ...m.tools.map((t, i): [string, string] => [`/tools/${i}/name`, t.name]),
    ...(m.mcp_servers ?? []).flatMap((s, i): [string, string][] => [[`/mcp_servers/${i}/name`, s.name], ...list(s.tools, `/mcp_servers/${i}/tools`)]),
    ...list(m.filesystem?.read, "/filesystem/read"),
    ...list(m.filesystem?.write, "/filesystem/write"),
    ...list(m.network?.hosts, "/network/hosts"),
    ...(m.approvals ?? []).flatMap((a, i) => matcherGlobs(a.when, `/approvals/${i}/when`)),
  ];
  return [...globProblems(src, globs), ...conditionProblems(src, m.approvals, "/approvals", "approval")];
}

/** Parses and checks one document's text. */
export function checkDocumentText(text: string, file: string, kind: DocumentKind): { yaml: YamlSource; problems: SourceProblem[] } {
  const yaml = parseYamlSource(text, file);
  if (yaml.problems.some((p) => p.message.startsWith("YAML error"))) return { yaml, problems: yaml.problems };
  const problems = [...yaml.problems, ...schemaProblems(yaml, kind)];
  if (problems.length === 0) {
    problems.push(...(kind === "task-contract" ? contractChecks(yaml, yaml.value as TaskContract) : manifestChecks(yaml, yaml.value as CapabilityManifest)));
  }
  return { yaml, problems: problems.sort(byPosition) };
}

function byPosition(a: SourceProblem, b: SourceProblem): number {
  return a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1;
}

function displayPath(file: string, sourceRoot: string): string {
  const rel = relative(sourceRoot, file);
  return (rel.startsWith("..") || isAbsolute(rel) ? file : rel).split("\\").join("/");
}

export interface LoadOptions {
  /** generated Rego and data name files relative to this (default: cwd) */
  sourceRoot?: string;
}

function loadKind<T>(paths: string[], kind: DocumentKind, options: LoadOptions, problems: SourceProblem[], seenValues: unknown[] = []): LoadedDocument<T>[] {
  const sourceRoot = options.sourceRoot ?? process.cwd();
  const docs: LoadedDocument<T>[] = [];
  for (const file of findYamlFiles(paths)) {
    const bytes = readFileSync(file);
    const checked = checkDocumentText(bytes.toString("utf8"), file, kind);
    problems.push(...checked.problems);
    seenValues.push(checked.yaml.value);
    if (checked.problems.length === 0) docs.push({ file, source: displayPath(file, sourceRoot), bytes, yaml: checked.yaml, value: checked.yaml.value as T });
  }
  return docs;
}

export interface PolicyDocuments {
  contracts: LoadedDocument<TaskContract>[];
  manifests: LoadedDocument<CapabilityManifest>[];
}

/** Loads every contract and manifest, checks them together (unique ids,
 *  contracts naming agents that have manifests), and throws a ContractError
 *  listing every problem found when there is any. */
export function loadPolicyDocuments(input: { contracts?: string[]; manifests?: string[] }, options: LoadOptions = {}): PolicyDocuments {
  const problems: SourceProblem[] = [];
  const manifestValues: unknown[] = [];
  const manifests = loadKind<CapabilityManifest>(input.manifests ?? [], "capability-manifest", options, problems, manifestValues);
  // agents whose manifest has problems of its own are not reported again as missing
  const namedAgents = new Set(manifestValues.map((v) => (v as { agent_id?: unknown } | undefined)?.agent_id).filter((a): a is string => typeof a === "string"));
  const contracts = loadKind<TaskContract>(input.contracts ?? [], "task-contract", options, problems);
  const agents = new Map<string, LoadedDocument<CapabilityManifest>>();
  for (const m of manifests) {
    const prev = agents.get(m.value.agent_id);
    if (prev) problems.push(problemAt(m.yaml, "/agent_id", `agent ${m.value.agent_id} already has a manifest (${prev.file})`));
    else agents.set(m.value.agent_id, m);
  }
  const ids = new Map<string, LoadedDocument<TaskContract>>();
  for (const c of contracts) {
    const prev = ids.get(c.value.id);
    if (prev) problems.push(problemAt(c.yaml, "/id", `contract id ${c.value.id} is already used by ${prev.file}`));
    else ids.set(c.value.id, c);
    c.value.agents.forEach((a, i) => {
      if (!namedAgents.has(a)) problems.push(problemAt(c.yaml, `/agents/${i}`, `agent ${a} has no capability manifest in this build`));
    });
  }
  if (problems.length > 0) throw new ContractError(problems.sort(byPosition));
  return { contracts, manifests };
}
