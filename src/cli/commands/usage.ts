// `writ usage`: what each task contract has used on a running service (the
// count its total_budget is checked against), and an operator's reset.
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { callAsOperator, operatorOptions } from "../operator-call.js";

const help = `usage: writ usage
       writ usage --reset CONTRACT --reason TEXT [--usd N] [--tokens N] [--tool-calls N]

Lists what each task contract has used over all its sessions and agents
({usd, tokens, tool_calls}); --reset sets one back to zero, or to the amounts
given (e.g. spend made outside writ; an amount left out is 0), which the
service records in its audit log with the reason. Talks to a running service
with an operator token.

options:
      --server URL     default $WRIT_URL or http://127.0.0.1:8787
      --token TOKEN    operator token; default $WRIT_OPERATOR_TOKEN
      --usd N          with --reset: the USD it has used
      --tokens N       … the tokens
      --tool-calls N   … the tool calls
  -h, --help           this text`;

const command: Command = {
  help,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...operatorOptions, reset: { type: "string" }, reason: { type: "string" }, usd: { type: "string" }, tokens: { type: "string" }, "tool-calls": { type: "string" } },
    });
    return callAsOperator("usage", values, () => {
      const amounts = { usd: values.usd, tokens: values.tokens, tool_calls: values["tool-calls"] };
      const given = Object.entries(amounts).filter(([, v]) => v !== undefined);
      if (values.reset === undefined) {
        if (given.length === 0) return { path: "/v1/usage" };
        process.stderr.write("writ usage: --usd, --tokens and --tool-calls go with --reset\n");
        return 2;
      }
      if (!values.reason) {
        process.stderr.write("writ usage: --reset needs a --reason\n");
        return 2;
      }
      const to: Record<string, number> = {};
      for (const [k, v] of given) {
        if (v!.trim() === "" || !Number.isFinite(Number(v))) {
          process.stderr.write(`writ usage: --${k.replace("_", "-")} wants a number, not "${v}"\n`);
          return 2;
        }
        to[k] = Number(v);
      }
      const body = given.length ? { reason: values.reason, to } : { reason: values.reason };
      return { method: "POST", path: `/v1/usage/${encodeURIComponent(values.reset)}/reset`, body };
    });
  },
};
export default command;
