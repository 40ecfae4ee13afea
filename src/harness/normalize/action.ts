// One tool call, as any harness reports it → the normalized action writ
// decides on. Adapters only say which fields of their payload hold what;
// everything else (shell parsing, path resolution, aliases, git and package
// recognition, the MCP server identity) happens here, the same for all.
import type { ActionArgs, ActionKind } from "../../decide/types.js";
import { gitInvocation, primaryGit, type GitAction } from "./git.js";
import { packageInstall } from "./packages.js";
import { patchFiles } from "./patch.js";
import { resolvePath } from "./paths.js";
import { analyzeShell } from "./shell/analyze.js";
import { COMMAND_FIELDS, PATCH_FIELDS, PATHS_FIELDS, PATH_FIELDS, WORKDIR_FIELDS, toolShape } from "./tools.js";
import { boundedRaw } from "./raw.js";

export type NormalizedAction = { kind: ActionKind } & ActionArgs;

export interface ToolCall {
  /** the tool's name as the harness reports it */
  tool: string;
  /** the tool's input, as the harness reports it (object or JSON string) */
  input: unknown;
  /** the working directory the harness reports */
  cwd?: string;
  /** an MCP call, identified from the harness's trusted fields — never
   *  from the tool input or a name the model could choose */
  mcp?: { server: string; tool: string; source?: string };
  home?: string;
}

export function normalizeToolCall(call: ToolCall): NormalizedAction {
  const input = asObject(call.input);
  const raw = boundedRaw(call.input);
  const home = call.home ?? process.env.HOME;
  if (call.mcp) {
    const a: NormalizedAction = { kind: "mcp", mcp_server: call.mcp.server, mcp_tool: call.mcp.tool, raw };
    if (call.mcp.source !== undefined) a.mcp_source = call.mcp.source;
    return a;
  }
  const shape = toolShape(call.tool);
  const cwd = call.cwd;
  switch (shape.shape) {
    case "shell": {
      const workdir = stringField(input, WORKDIR_FIELDS);
      const dir = workdir !== undefined ? resolvePath(workdir, cwd ?? "/", home)[0] : cwd;
      const command = commandLine(input);
      if (command === undefined) return { kind: "shell", raw };
      return { ...shellAction(command, dir, home, shape.parse), raw };
    }
    case "read":
    case "write":
    case "delete": {
      const kind: ActionKind = shape.shape === "read" ? "file_read" : shape.shape === "write" ? "file_write" : "file_delete";
      // a search or listing with no path reads the working directory
      const names = pathNames(input);
      if (names.length === 0 && shape.shape === "read" && cwd && /^(glob|grep|ls|list|list_dir|list_directory|search_file_content|codebase_search|file_search|grep_search)$/i.test(call.tool)) names.push(cwd);
      return { kind, paths: resolveAll(names, cwd, home), raw };
    }
    case "editor": {
      const cmd = input.command;
      const kind: ActionKind = cmd === "view" ? "file_read" : "file_write";
      return { kind, paths: resolveAll(pathNames(input), cwd, home), raw };
    }
    case "patch": {
      const text = stringField(input, PATCH_FIELDS) ?? (typeof call.input === "string" ? call.input : "");
      const files = patchFiles(text);
      const kind: ActionKind = files.written.length === 0 && files.deleted.length > 0 ? "file_delete" : "file_write";
      return { kind, paths: resolveAll([...files.written, ...files.deleted], cwd, home), raw };
    }
    case "fetch":
      return { ...networkAction(input), raw };
    case "other":
      return { kind: "other", raw };
  }
}

/** A shell line → kind "shell" with its commands, paths, git and package
 *  facts. */
export function shellAction(command: string, cwd: string | undefined, home: string | undefined, parse = true): NormalizedAction {
  if (!parse) return { kind: "shell", command, dynamic: true };
  const a = analyzeShell(command, { cwd, home });
  const action: NormalizedAction = { kind: "shell", command, dynamic: a.dynamic };
  if (!a.parsed) return action;
  action.commands = a.commands;
  if (a.paths.length) action.paths = a.paths;
  const gits: GitAction[] = [];
  const packages: string[] = [];
  let manager: string | undefined;
  for (const c of a.commands) {
    const g = gitInvocation(c, cwd);
    if (g) gits.push(g);
    const p = packageInstall(c.name, c.args);
    if (p) {
      manager ??= p.manager;
      packages.push(...p.packages);
    }
  }
  const git = primaryGit(gits);
  if (git) action.git = git;
  if (manager !== undefined) {
    action.package_manager = manager;
    action.packages = [...new Set(packages)];
  }
  return action;
}

function networkAction(input: Record<string, unknown>): NormalizedAction {
  let url = stringField(input, ["url", "uri", "href"]);
  if (url === undefined) {
    // Gemini's web_fetch carries its URLs inside the prompt
    const text = stringField(input, ["prompt", "query"]) ?? "";
    const urls = [...new Set(text.match(/https?:\/\/[^\s"'<>)\]]+/g) ?? [])];
    const hosts = new Set(urls.map(hostOf));
    // several hosts cannot be named in one action: name none, so policies
    // that require a host deny
    if (hosts.size !== 1) return { kind: "network" };
    url = urls[0];
  }
  const host = hostOf(url);
  return host ? { kind: "network", url, host } : { kind: "network", url };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return "";
  }
}

/** The command line of a shell tool: a string, or an argv array (Codex),
 *  which is quoted back into a line so both take the same path. */
function commandLine(input: Record<string, unknown>): string | undefined {
  for (const f of COMMAND_FIELDS) {
    const v = input[f];
    if (typeof v === "string") return v;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.map(shellQuote).join(" ");
  }
  return undefined;
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function pathNames(input: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const f of PATH_FIELDS) {
    const v = input[f];
    if (typeof v === "string" && v !== "") {
      out.push(v);
      break;
    }
  }
  for (const f of PATHS_FIELDS) {
    const v = input[f];
    if (Array.isArray(v)) for (const x of v) if (typeof x === "string" && x !== "") out.push(x);
  }
  return out;
}

function resolveAll(names: string[], cwd: string | undefined, home: string | undefined): string[] {
  return [...new Set(names.flatMap((n) => resolvePath(n, cwd ?? "/", home)))];
}

function stringField(input: Record<string, unknown>, fields: string[]): string | undefined {
  for (const f of fields) {
    const v = input[f];
    if (typeof v === "string") return v;
  }
  return undefined;
}

/** Tool input as an object; harnesses sometimes send it as a JSON string. */
export function asObject(v: unknown): Record<string, unknown> {
  if (typeof v === "string") {
    try {
      const parsed: unknown = JSON.parse(v);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* not JSON: a bare string input */
    }
    return {};
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
