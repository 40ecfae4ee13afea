// `writ build`: contracts, manifests and org Rego → one signed OPA bundle.
import { parseArgs } from "node:util";
import { renameSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "../command.js";
import { buildPolicyBundle } from "../../contract/build.js";
import { ContractError } from "../../contract/problems.js";
import { RegoError } from "../../rego/errors.js";
import { loadPrivateKeyFile } from "../../sign/keys.js";

const help = `usage: writ build [--rego DIR]… [--contracts DIR]… [--manifests DIR]…
                  --signing-key PRIVATE.pem -o FILE.tar.gz

Builds one OPA bundle from the organisation's Rego (package writ.platform),
task contracts and capability manifests (YAML), with writ's base policy:
  /.manifest          revision, roots, wasm entrypoint writ/decision, rego_version,
                      metadata (writ_version, sources_digest, contracts, manifests)
  /policy.wasm        everything compiled for the OPA Wasm ABI
  /data.json          the contracts and manifests, at data.writ.{contracts,manifests}
  /rego/…             the Rego sources: base, org, and generated from the YAML
  /.signatures.json   JWS over every file's hash (OPA's bundle signing)
Every problem in the YAML is reported at once, as file:line:col.

options:
      --rego PATH          org Rego file or directory (repeatable)
      --contracts PATH     task contract YAML file or directory (repeatable)
      --manifests PATH     capability manifest YAML file or directory (repeatable)
  -k, --signing-key FILE   private key PEM (writ keys generate); Ed25519 signs EdDSA
      --key-id ID          kid for the signature (default: the key's JWK thumbprint)
      --revision REV       bundle revision (default: from the sources digest)
      --unsigned           build without a signature (development only)
  -o, --output FILE        where to write the bundle (.tar.gz)
  -h, --help               this text`;

const command: Command = {
  help,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: false,
        options: {
          rego: { type: "string", multiple: true },
          contracts: { type: "string", multiple: true },
          manifests: { type: "string", multiple: true },
          "signing-key": { type: "string", short: "k" },
          "key-id": { type: "string" },
          revision: { type: "string" },
          unsigned: { type: "boolean", default: false },
          output: { type: "string", short: "o" },
        },
      });
    } catch (err) {
      process.stderr.write(`writ build: ${(err as Error).message}\n\n${help}\n`);
      return 2;
    }
    const v = parsed.values;
    if (!v.output) {
      process.stderr.write(`writ build: -o FILE.tar.gz is required\n\n${help}\n`);
      return 2;
    }
    if (!v["signing-key"] && !v.unsigned) {
      process.stderr.write("writ build: --signing-key is required (or --unsigned, for development)\n");
      return 2;
    }
    if (!v.rego?.length && !v.contracts?.length && !v.manifests?.length) {
      process.stderr.write("writ build: nothing to build: give --rego, --contracts and/or --manifests\n");
      return 2;
    }
    const log = (line: string) => process.stderr.write(`writ build: ${line}\n`);
    try {
      const signingKey = v["signing-key"] ? loadPrivateKeyFile(v["signing-key"]) : undefined;
      const result = await buildPolicyBundle({
        rego: v.rego ?? [],
        contracts: v.contracts ?? [],
        manifests: v.manifests ?? [],
        ...(signingKey ? { signingKey } : {}),
        ...(v["key-id"] ? { keyId: v["key-id"] } : {}),
        ...(v.revision ? { revision: v.revision } : {}),
        log,
      });
      // write beside and rename: a watcher (writ serve) never sees half a bundle
      mkdirSync(dirname(v.output), { recursive: true });
      const tmp = `${v.output}.tmp-${process.pid}`;
      writeFileSync(tmp, result.bytes);
      renameSync(tmp, v.output);
      log(`${v.output} (${result.timings.total.toFixed(0)} ms)`);
      return 0;
    } catch (err) {
      if (err instanceof ContractError) {
        process.stderr.write(err.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}${p.schemaPath ? ` [${p.schemaPath}]` : ""}`).join("\n") + "\n");
        process.stderr.write(`writ build: ${err.problems.length} problem(s); no bundle written\n`);
        return 1;
      }
      if (err instanceof RegoError || (err instanceof Error && /PEM|key|ENOENT|not implemented/.test(err.message))) {
        process.stderr.write(`writ build: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
export default command;
