// `writ hook <harness>` — the command line of a harness's command hook,
// shared by the CLI (`writ hook`) and the fast entry (`writ-hook`, one
// bundled CommonJS file: see scripts/build-hook.mjs). Lean on purpose: it
// loads only the adapters, the normalizer and a small HTTP client — no
// compiler, no hono, no ajv, no yaml.
import { readFileSync } from "node:fs";
import { parseHookArgs } from "./hook-args.js";
import { ADAPTERS, adapterName } from "./registry.js";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL } from "./client.js";
import { runHook } from "./run-hook.js";

export const hookHelp = `usage: writ hook <harness> [options]
       writ-hook <harness> [options]      (the same, faster to start)

Reads a hook payload on stdin, asks writ (POST /v1/decide) and answers on
stdout and the exit code the way the harness expects. When writ cannot be
reached, is slow, or answers something invalid, the answer blocks.

harnesses: ${Object.keys(ADAPTERS).join(", ")}
(OpenCode: the plugin "writ/opencode"; MCP servers: writ mcp-proxy)

options:
      --url URL            writ's address (default: $WRIT_URL, else ${DEFAULT_URL})
      --timeout MS         block if writ has not answered by then
                           (default: $WRIT_TIMEOUT_MS, else ${DEFAULT_TIMEOUT_MS})
      --contract ID        the task contract (default: $WRIT_CONTRACT)
      --on-approve MODE    native: the harness's own prompt where it has one
                           (default); deny: a denial naming the approval
      --event NAME         the hook event, where the payload lacks it
  -h, --help               this text

The agent's credential comes from $WRIT_TOKEN (or the file $WRIT_TOKEN_FILE).`;

/** Runs the hook; resolves to the exit code (and usually exits first). */
export async function runHookCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseHookArgs(argv);
  } catch (e) {
    // exit 2: a misconfigured hook must block, not let the call through
    process.stderr.write(`writ hook: ${(e as Error).message}; blocking\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(hookHelp + "\n");
    return 0;
  }
  const name = adapterName(positionals[0] ?? "");
  if (!name) {
    process.stderr.write(`writ hook: unknown harness ${JSON.stringify(positionals[0] ?? "")} (one of: ${Object.keys(ADAPTERS).join(", ")}); blocking\n`);
    return 2;
  }
  const env = process.env;
  const timeoutMs = Number(values.timeout ?? env.WRIT_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
  const onApprove = values["on-approve"] ?? env.WRIT_ON_APPROVE;
  const adapter = await ADAPTERS[name]();
  return runHook(adapter, {
    url: values.url ?? env.WRIT_URL ?? DEFAULT_URL,
    token: token(),
    timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS,
    contract: values.contract ?? env.WRIT_CONTRACT,
    onApprove: onApprove === "deny" ? "deny" : "native",
    hookEvent: values.event,
  });
}

function token(): string | undefined {
  if (process.env.WRIT_TOKEN) return process.env.WRIT_TOKEN;
  const file = process.env.WRIT_TOKEN_FILE;
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    // no token: writ refuses the request, and the hook blocks
    return undefined;
  }
}
