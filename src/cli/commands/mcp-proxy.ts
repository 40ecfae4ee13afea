// `writ mcp-proxy -- <server command>`: an MCP server behind writ.
import { parseArgs } from "node:util";
import { basename } from "node:path";
import type { Command } from "../command.js";
import { DEFAULT_TIMEOUT_MS, DEFAULT_URL, httpDecider } from "../../harness/client.js";

const help = `usage: writ mcp-proxy [options] -- <server command> [args…]

Starts the MCP server and relays its stdio. Every tools/call is decided by
writ first; a denial, or no decision (writ unreachable, slow, invalid),
is answered as a tool result with isError and never reaches the server.

options:
      --server-name NAME   the server's name for policies (default: the
                           command's basename)
      --url URL            writ's address (default: $WRIT_URL, else ${DEFAULT_URL})
      --timeout MS         (default: $WRIT_TIMEOUT_MS, else ${DEFAULT_TIMEOUT_MS})
      --session ID         the session (default: $WRIT_SESSION, else one per proxy)
      --contract ID        the task contract (default: $WRIT_CONTRACT)
  -h, --help               this text

The agent's credential comes from $WRIT_TOKEN.

Example (Claude Code .mcp.json):
  {"mcpServers":{"pg":{"command":"writ","args":["mcp-proxy","--server-name","pg","--","npx","-y","@acme/pg-mcp"]}}}`;

const command: Command = {
  help,
  async run(argv) {
    const dash = argv.indexOf("--");
    const own = dash >= 0 ? argv.slice(0, dash) : argv;
    const server = dash >= 0 ? argv.slice(dash + 1) : [];
    const { values } = parseArgs({
      args: own,
      options: {
        "server-name": { type: "string" },
        url: { type: "string" },
        timeout: { type: "string" },
        session: { type: "string" },
        contract: { type: "string" },
      },
    });
    if (server.length === 0) {
      process.stderr.write(`writ mcp-proxy: no server command after --\n\n${help}\n`);
      return 2;
    }
    const env = process.env;
    const url = values.url ?? env.WRIT_URL ?? DEFAULT_URL;
    const timeoutMs = Number(values.timeout ?? env.WRIT_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
    const { runMcpProxy } = await import("../../harness/mcp-proxy.js");
    return runMcpProxy({
      serverName: values["server-name"] ?? basename(server[0]),
      command: server[0],
      args: server.slice(1),
      decide: httpDecider({ url, token: env.WRIT_TOKEN, timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS }),
      session: values.session ?? env.WRIT_SESSION ?? `mcp-${process.pid}-${Date.now().toString(36)}`,
      contract: values.contract ?? env.WRIT_CONTRACT,
      url,
    });
  },
};
export default command;
