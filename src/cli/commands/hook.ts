// `writ hook <harness>`: a harness's command hook (src/harness/hook-cli.ts).
import type { Command } from "../command.js";
import { hookHelp, runHookCommand } from "../../harness/hook-cli.js";

const command: Command = { help: hookHelp, run: runHookCommand };
export default command;
