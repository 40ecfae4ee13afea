// `writ usage`: what each task contract has used on a running service (the
// count its total_budget is checked against), and an operator's reset.
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { callAsOperator, operatorOptions } from "../operator-call.js";

const help = `usage: writ usage
       writ usage --reset CONTRACT --reason TEXT

Lists what each task contract has used over all its sessions and agents
({usd, tokens, tool_calls}); --reset sets one back to zero, which the service
records in its audit log with the reason. Talks to a running service with an
operator token.

options:
      --server URL     default $WRIT_URL or http://127.0.0.1:8787
      --token TOKEN    operator token; default $WRIT_OPERATOR_TOKEN
  -h, --help           this text`;

const command: Command = {
  help,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...operatorOptions, reset: { type: "string" }, reason: { type: "string" } },
    });
    return callAsOperator("usage", values, () => {
      if (values.reset === undefined) return { path: "/v1/usage" };
      if (!values.reason) {
        process.stderr.write("writ usage: --reset needs a --reason\n");
        return 2;
      }
      return { method: "POST", path: `/v1/usage/${encodeURIComponent(values.reset)}/reset`, body: { reason: values.reason } };
    });
  },
};
export default command;
