// `writ keys generate`: an Ed25519 key pair for signing bundles.
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { writeSigningKeyPair } from "../../sign/keys.js";

const help = `usage: writ keys generate --out DIR [--force]

Writes an Ed25519 key pair for signing bundles (writ build --signing-key):
  DIR/private.pem   PKCS#8 PEM, file mode 0600 — keep it out of git
  DIR/public.pem    SPKI PEM, for writ bundle verify --key and writ serve --trust-key

options:
  -o, --out DIR   directory to write the keys into (created if missing)
      --force     overwrite an existing private.pem
  -h, --help      this text`;

const command: Command = {
  help,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { out: { type: "string", short: "o" }, force: { type: "boolean", default: false } },
      });
    } catch (err) {
      process.stderr.write(`writ keys: ${(err as Error).message}\n\n${help}\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (positionals[0] !== "generate" || positionals.length > 1) {
      process.stderr.write(`writ keys: expected "generate"${positionals[0] ? `, got "${positionals.join(" ")}"` : ""}\n\n${help}\n`);
      return 2;
    }
    if (!values.out) {
      process.stderr.write(`writ keys generate: --out DIR is required\n\n${help}\n`);
      return 2;
    }
    try {
      const written = writeSigningKeyPair(values.out, { overwrite: values.force });
      process.stderr.write(`writ keys: wrote ${written.privateKeyPath} (mode 0600) and ${written.publicKeyPath}\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`writ keys generate: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
export default command;
