// `writ verify`: check a signed decision offline.
import { parseArgs } from "node:util";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "../command.js";
import { verifyDecisionJws } from "../../sign/decision.js";
import { keysFromPem } from "../../sign/public-keys.js";
import type { JSONWebKeySet, JWK } from "jose";

const help = `usage: writ verify JWS|- (--jwks URL|FILE | --key PUB.pem …)

Verifies a decision JWS (compact form; "-" reads it from stdin, or the "jws"
field of a decide response) against the service's JWKS or public keys, and
prints its claims. Exit 0 when the signature verifies (an expired decision
still verifies, with a note), 1 when it does not.

options:
      --jwks URL|FILE   the service's /.well-known/jwks.json, fetched or saved
      --key PUB.pem     a public key (repeatable), e.g. DATA/keys/<kid>.pub.pem
      --json            print the result as JSON
  -h, --help            this text`;

const command: Command = {
  help,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { jwks: { type: "string" }, key: { type: "string", multiple: true }, json: { type: "boolean", default: false } },
    });
    let jws = positionals[0];
    if (!jws) {
      process.stderr.write(`writ verify: a JWS is required\n\n${help}\n`);
      return 2;
    }
    if (jws === "-") jws = readFileSync(0, "utf8");
    jws = jws.trim();
    if (jws.startsWith("{")) jws = (JSON.parse(jws) as { jws: string }).jws;
    let jwks: JSONWebKeySet;
    try {
      jwks = await loadJwks(values.jwks, values.key ?? []);
    } catch (err) {
      process.stderr.write(`writ verify: ${(err as Error).message}\n`);
      return 2;
    }
    try {
      const r = await verifyDecisionJws(jws, jwks);
      if (values.json) process.stdout.write(JSON.stringify({ valid: true, expired: r.expired, kid: r.kid, claims: r.claims }, null, 2) + "\n");
      else {
        process.stdout.write(`valid signature (kid ${r.kid})${r.expired ? " — expired at " + new Date(r.claims.exp * 1000).toISOString() : ""}\n`);
        process.stdout.write(JSON.stringify(r.claims, null, 2) + "\n");
      }
      return 0;
    } catch (err) {
      if (values.json) process.stdout.write(JSON.stringify({ valid: false, error: (err as Error).message }) + "\n");
      else process.stdout.write(`INVALID: ${(err as Error).message}\n`);
      return 1;
    }
  },
};

async function loadJwks(source: string | undefined, keyFiles: string[]): Promise<JSONWebKeySet> {
  const keys: JWK[] = [];
  if (source) {
    const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : readFileSync(source, "utf8");
    keys.push(...(JSON.parse(text) as JSONWebKeySet).keys);
  }
  for (const file of keyFiles) {
    const paths = existsSync(file) && !file.endsWith(".pem") ? readdirSync(file).filter((n) => n.endsWith(".pub.pem")).map((n) => join(file, n)) : [file];
    for (const p of paths) {
      for (const [kid, key] of keysFromPem(readFileSync(p))) keys.push({ ...(key.export({ format: "jwk" }) as JWK), kid, alg: "EdDSA" });
    }
  }
  if (keys.length === 0) throw new Error("no keys: give --jwks or --key");
  return { keys };
}
export default command;
