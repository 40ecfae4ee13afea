// `writ kill`: set, lift and list kill switches on a running service.
import { parseArgs } from "node:util";
import type { Command } from "../command.js";

const help = `usage: writ kill (--agent ID | --session ID | --contract ID | --tool NAME | --model NAME | --all) --reason TEXT
       writ kill --lift KILL_ID [--reason TEXT]
       writ kill --list

Halts (or lets go again) on the next decision. Talks to a running service with
an operator token.

options:
      --server URL     default $WRIT_URL or http://127.0.0.1:8787
      --token TOKEN    operator token; default $WRIT_OPERATOR_TOKEN
  -h, --help           this text`;

const SCOPES = ["agent", "session", "contract", "tool", "model"] as const;

const command: Command = {
  help,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        server: { type: "string", default: process.env.WRIT_URL ?? "http://127.0.0.1:8787" },
        token: { type: "string", default: process.env.WRIT_OPERATOR_TOKEN },
        agent: { type: "string" },
        session: { type: "string" },
        contract: { type: "string" },
        tool: { type: "string" },
        model: { type: "string" },
        all: { type: "boolean", default: false },
        reason: { type: "string" },
        lift: { type: "string" },
        list: { type: "boolean", default: false },
      },
    });
    if (!values.token) {
      process.stderr.write("writ kill: an operator token is needed (--token or WRIT_OPERATOR_TOKEN)\n");
      return 2;
    }
    const headers = { authorization: `Bearer ${values.token}`, "content-type": "application/json" };
    const base = values.server!.replace(/\/$/, "");
    let res: Response;
    try {
      if (values.list) {
        res = await fetch(`${base}/v1/kill`, { headers });
      } else if (values.lift) {
        const q = values.reason ? `?reason=${encodeURIComponent(values.reason)}` : "";
        res = await fetch(`${base}/v1/kill/${encodeURIComponent(values.lift)}${q}`, { method: "DELETE", headers });
      } else {
        const chosen = SCOPES.filter((s) => values[s] !== undefined);
        if (chosen.length + (values.all ? 1 : 0) !== 1) {
          process.stderr.write(`writ kill: name exactly one of --agent, --session, --contract, --tool, --model, --all\n\n${help}\n`);
          return 2;
        }
        if (!values.reason) {
          process.stderr.write("writ kill: --reason is required\n");
          return 2;
        }
        const body = values.all ? { scope: "all", reason: values.reason } : { scope: chosen[0], value: values[chosen[0]], reason: values.reason };
        res = await fetch(`${base}/v1/kill`, { method: "POST", headers, body: JSON.stringify(body) });
      }
    } catch (err) {
      process.stderr.write(`writ kill: cannot reach ${base}: ${(err as Error).message}\n`);
      return 1;
    }
    const text = await res.text();
    process.stdout.write(text.endsWith("\n") ? text : text + "\n");
    return res.ok ? 0 : 1;
  },
};
export default command;
