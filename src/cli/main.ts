// The `writ` command: a registry of subcommands, each in its own file under
// ./commands. Adding a command is one file plus one line below.
import type { Command } from "./command.js";

const commands: Record<string, () => Promise<{ default: Command }>> = {
  compile: () => import("./commands/compile.js"),
  keys: () => import("./commands/keys.js"),
  bundle: () => import("./commands/bundle.js"),
  build: () => import("./commands/build.js"),
  serve: () => import("./commands/serve.js"),
  kill: () => import("./commands/kill.js"),
  verify: () => import("./commands/verify.js"),
  audit: () => import("./commands/audit.js"),
  token: () => import("./commands/token.js"),
  test: () => import("./commands/test.js"),
  hook: () => import("./commands/hook.js"),
  init: () => import("./commands/init.js"),
  "mcp-proxy": () => import("./commands/mcp-proxy.js"),
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
    ...names.map((n) => `  ${n}`),
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
  const load = commands[name];
  if (!load) {
    process.stderr.write(`writ: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    const cmd = (await load()).default;
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
