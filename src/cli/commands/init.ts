// `writ init <harness>`: writes the harness's hook configuration for a
// project. Idempotent: a second run changes nothing; settings that are
// not writ's are kept.
import { parseArgs } from "node:util";
import { existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "../command.js";
import { INIT } from "../../harness/init/harnesses.js";

const help = `usage: writ init <harness> [options]

Writes the project's hook configuration so the harness asks writ before
every tool call:
  claude-code  .claude/settings.json (PreToolUse, PermissionRequest,
               PostToolUse, UserPromptSubmit; onFailure "block")
  codex        .codex/hooks.json (PreToolUse, PermissionRequest)
  cursor       .cursor/hooks.json (preToolUse, beforeShellExecution,
               beforeMCPExecution, beforeReadFile)
  gemini       .gemini/settings.json (BeforeTool)
  opencode     .opencode/plugins/writ.js
  mcp          .mcp.json: every stdio server behind writ mcp-proxy

options:
      --dir DIR        the project (default: the current directory)
      --url URL        writ's address, written into the hooks (default: the
                       hooks read $WRIT_URL, else http://127.0.0.1:8787)
      --command CMD    how the harness runs writ (default: \`writ-hook\` and
                       \`writ\` when they are on PATH and are this writ, else
                       this node and bin/writ-hook.cjs, bin/writ.js)
      --http           claude-code: an HTTP hook served by writ serve
      --local          claude-code: .claude/settings.local.json
  -h, --help           this text`;

const here = dirname(fileURLToPath(import.meta.url));
const writJs = resolve(here, "../../../../bin/writ.js");
const writHookCjs = resolve(here, "../../../../bin/writ-hook.cjs");
const opencodeModule = resolve(here, "../../harness/opencode.js");

/** `name` if the one on PATH is this package's `file`, else node + file. */
function onPath(name: string, file: string): string[] {
  for (const d of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(d, name);
    try {
      if (existsSync(candidate) && realpathSync(candidate) === realpathSync(file)) return [name];
    } catch {
      // unreadable PATH entries are not writ
    }
  }
  return [process.execPath, file];
}

const command: Command = {
  help,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: "string" },
        url: { type: "string" },
        command: { type: "string" },
        http: { type: "boolean", default: false },
        local: { type: "boolean", default: false },
      },
    });
    const harness = positionals[0] === "claude" ? "claude-code" : positionals[0] === "gemini-cli" ? "gemini" : positionals[0];
    const init = harness ? INIT[harness] : undefined;
    if (!init) {
      process.stderr.write(`writ init: name a harness (${Object.keys(INIT).join(", ")})\n\n${help}\n`);
      return 2;
    }
    const writ = values.command ? values.command.split(/\s+/).filter(Boolean) : onPath("writ", writJs);
    // hooks run through the fast entry unless a command is given
    const hook = values.command ? [...writ, "hook"] : onPath("writ-hook", writHookCjs);
    try {
      const result = init({ dir: resolve(values.dir ?? "."), writ, hook, url: values.url, http: values.http, local: values.local, opencodeModule });
      for (const c of result.changes) process.stdout.write(`${c.status.padEnd(9)} ${c.path}\n`);
      for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`writ init: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
export default command;
