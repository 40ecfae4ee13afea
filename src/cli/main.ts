// The `writ` command: a registry of subcommands, each in its own file under
// ./commands. Adding a command is one file plus one line below.
import type { Command } from "./command.js";

interface Entry {
  /** one line for `writ --help` (kept here so listing loads no command) */
  summary: string;
  load: () => Promise<{ default: Command }>;
}

const commands: Record<string, Entry> = {
  compile: { summary: "compile Rego into an OPA-ABI Wasm module", load: () => import("./commands/compile.js") },
  keys: { summary: "generate an Ed25519 signing key pair", load: () => import("./commands/keys.js") },
  bundle: { summary: "inspect or verify a signed bundle", load: () => import("./commands/bundle.js") },
  build: { summary: "build contracts, manifests and Rego into a signed bundle", load: () => import("./commands/build.js") },
  serve: { summary: "run the decision service (POST /v1/decide)", load: () => import("./commands/serve.js") },
  kill: { summary: "set, list or lift kill switches on a running service", load: () => import("./commands/kill.js") },
  usage: { summary: "what each task contract has used on a running service; reset one", load: () => import("./commands/usage.js") },
  verify: { summary: "verify a signed decision (JWS) against a JWKS", load: () => import("./commands/verify.js") },
  audit: { summary: "verify or export the audit log", load: () => import("./commands/audit.js") },
  token: { summary: "issue or revoke agent and operator tokens", load: () => import("./commands/token.js") },
  test: { summary: "run Rego unit tests (as opa test) and conformance fixture suites", load: () => import("./commands/test.js") },
  hook: { summary: "answer a harness hook (claude-code, codex, cursor, gemini)", load: () => import("./commands/hook.js") },
  init: { summary: "write a harness's hook configuration for a project", load: () => import("./commands/init.js") },
  "mcp-proxy": { summary: "gate an MCP server's tools/call through writ", load: () => import("./commands/mcp-proxy.js") },
};

/** Commands a harness runs as a hook: harnesses take exit 1 as "go ahead",
 *  so if these fail to load or crash, they exit 2, which blocks. */
const FAIL_CLOSED = new Set(["hook"]);

function usage(): string {
  const names = Object.keys(commands).sort();
  return [
    "writ — policy decisions for AI agents",
    "",
    "usage: writ <command> [options]",
    "",
    "commands:",
    ...names.map((n) => `  ${n.padEnd(11)} ${commands[n]!.summary}`),
    "",
    "Run `writ <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    const { version } = await import("../version.js");
    process.stdout.write(`writ ${version}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`writ: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    const cmd = (await entry.load()).default;
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(cmd.help + "\n");
      return 0;
    }
    return await cmd.run(rest);
  } catch (err) {
    if (!FAIL_CLOSED.has(name)) throw err;
    process.stderr.write(`writ ${name}: ${err instanceof Error ? err.message : String(err)}; blocking\n`);
    return 2;
  }
}
