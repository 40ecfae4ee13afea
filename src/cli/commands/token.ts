// `writ token`: issue and revoke the bearer tokens agents and operators use
// with `writ serve` (only their SHA-256 is stored, in DIR/credentials.json).
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { Credentials } from "../../server/credentials.js";

const help = `usage: writ token issue AGENT --data-dir DIR [--operator] [--owner NAME]
       writ token revoke AGENT --data-dir DIR

issue   prints a new token (shown once). A running service picks it up on
        SIGHUP or restart.
revoke  forgets every token of AGENT.`;

const command: Command = {
  help,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { "data-dir": { type: "string" }, operator: { type: "boolean", default: false }, owner: { type: "string" } },
    });
    const agent = positionals[0];
    if (!agent || !values["data-dir"] || (sub !== "issue" && sub !== "revoke")) {
      process.stderr.write(`${help}\n`);
      return 2;
    }
    const creds = Credentials.open(values["data-dir"]);
    if (sub === "issue") process.stdout.write(creds.issue(agent, values.operator ? "operator" : "agent", values.owner) + "\n");
    else process.stdout.write(`revoked ${creds.revoke(agent)} token(s) of ${agent}\n`);
    return 0;
  },
};
export default command;
