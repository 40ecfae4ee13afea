// `writ kill`: set, lift and list kill switches on a running service.
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { callAsOperator, operatorOptions } from "../operator-call.js";

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
        ...operatorOptions,
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
    return callAsOperator("kill", values, () => {
      if (values.list) return { path: "/v1/kill" };
      if (values.lift) return { method: "DELETE", path: `/v1/kill/${encodeURIComponent(values.lift)}${values.reason ? `?reason=${encodeURIComponent(values.reason)}` : ""}` };
      const chosen = SCOPES.filter((s) => values[s] !== undefined);
      if (chosen.length + (values.all ? 1 : 0) !== 1) {
        process.stderr.write(`writ kill: name exactly one of --agent, --session, --contract, --tool, --model, --all\n\n${help}\n`);
        return 2;
      }
      if (!values.reason) {
        process.stderr.write("writ kill: --reason is required\n");
        return 2;
      }
      const body = values.all ? { scope: "all", reason: values.reason } : { scope: chosen[0], value: values[chosen[0]!], reason: values.reason };
      return { method: "POST", path: "/v1/kill", body };
    });
  },
};
export default command;
