// `writ serve`: the decision service.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "../command.js";
import { Service } from "../../server/service.js";
import { loadBundleEngine } from "../../engine/bundle-file.js";
import { buildExampleBundle } from "../../contract/example.js";
import { compileWasmOptimized } from "../../engine/tiering.js";

const help = `usage: writ serve --bundle FILE --data-dir DIR --trust-key PUB.pem [options]
       writ serve --example

Serves POST /v1/decide: evaluates the bundle's writ/decision entrypoint for
each normalized action, writes the decision to the audit log in DIR/audit
(durably, before answering), and answers with a signed verdict.

options:
      --bundle FILE          signed bundle (.tar.gz); watched, swapped atomically
      --data-dir DIR         keys, credentials, sessions, audit log
      --trust-key PUB.pem    key the bundle must be signed with
      --insecure-unsigned    accept an unsigned bundle (development only)
      --allow-network        let policies use http.send and net.lookup_ip_addr
                             (refused by default: a decision does no network
                             I/O unless its operator allowed it)
      --host HOST            default 127.0.0.1
      --port PORT            default 8787 (0: any free port)
      --issue-token AGENT    issue a bearer token for AGENT and print it
      --issue-operator NAME  issue an operator token and print it
      --jwt-issuer ISS       also accept JWTs from ISS (sub = agent id) …
      --jwt-jwks FILE|URL    … verified with this JWKS
      --jwt-audience AUD     … for this audience
      --forward-url URL      POST audit entries there once durable
      --approval-ttl SECS    how long an approval stays valid (default 900)
      --decision-ttl SECS    JWS lifetime (default 300)
      --checkpoint-every N   signed audit checkpoint every N entries (default 1000)
      --session-idle-ttl SECS
                             forget a session unused for SECS (default 0: never);
                             its labels, counters and spend go with it, and the
                             next decision on its id starts afresh (audited)
      --example              the example organisation (examples/acme), built if
                             stale; data in .writ-data/; tokens printed for its
                             agent "coder" and an operator
  -h, --help                 this text

SIGHUP reloads the bundle and the tokens (writ token); SIGINT/SIGTERM stop
after flushing the log.`;

const root = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

const command: Command = {
  help,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        bundle: { type: "string" },
        "data-dir": { type: "string" },
        "trust-key": { type: "string" },
        "insecure-unsigned": { type: "boolean", default: false },
        "allow-network": { type: "boolean", default: false },
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8787" },
        "issue-token": { type: "string", multiple: true },
        "issue-operator": { type: "string", multiple: true },
        "jwt-issuer": { type: "string" },
        "jwt-jwks": { type: "string" },
        "jwt-audience": { type: "string" },
        "forward-url": { type: "string" },
        "approval-ttl": { type: "string" },
        "decision-ttl": { type: "string" },
        "checkpoint-every": { type: "string" },
        "session-idle-ttl": { type: "string" },
        example: { type: "boolean", default: false },
      },
    });
    let bundle = values.bundle;
    let dataDir = values["data-dir"];
    let trustKey = values["trust-key"];
    const issueTokens = [...(values["issue-token"] ?? [])];
    const issueOperators = [...(values["issue-operator"] ?? [])];
    if (values.example) {
      // the ACME example organisation (examples/acme), built when its
      // sources changed, signed with the development key
      try {
        const built = await buildExampleBundle({ log: (line) => process.stderr.write(`writ serve: example: ${line}\n`) });
        bundle ??= built.bundlePath;
        trustKey ??= built.publicKeyPath;
      } catch (err) {
        process.stderr.write(`writ serve: cannot build the example bundle: ${(err as Error).message}\n`);
        return 1;
      }
      dataDir ??= join(root, ".writ-data");
      // the example's coding agent (examples/acme/manifests/coder.yaml)
      issueTokens.push("coder");
      issueOperators.push("dev-operator");
    }
    if (!bundle || !dataDir) {
      process.stderr.write(`writ serve: --bundle and --data-dir are required\n\n${help}\n`);
      return 2;
    }
    if (!trustKey && !values["insecure-unsigned"]) {
      process.stderr.write("writ serve: --trust-key is required (or --insecure-unsigned for development)\n");
      return 2;
    }
    if (!!values["jwt-issuer"] !== !!values["jwt-jwks"]) {
      process.stderr.write("writ serve: --jwt-issuer and --jwt-jwks go together\n");
      return 2;
    }
    for (const flag of ["approval-ttl", "decision-ttl", "checkpoint-every", "session-idle-ttl"] as const) {
      const v = values[flag];
      if (v !== undefined && !(v.trim() !== "" && Number.isFinite(Number(v)) && Number(v) >= 0)) {
        process.stderr.write(`writ serve: --${flag} wants a number ≥ 0, not "${v}"\n`);
        return 2;
      }
    }
    const bundlePath = resolve(bundle);
    // policies evaluated at full speed from the first decision (tiering.ts)
    compileWasmOptimized();
    const trust = { ...(trustKey ? { publicKey: readFileSync(trustKey, "utf8") } : {}), allowUnsigned: values["insecure-unsigned"] };
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    let svc: Service;
    try {
      svc = await Service.start({
        dataDir: resolve(dataDir),
        loadEngine: () => loadBundleEngine(bundlePath, trust, { allowNetwork: values["allow-network"] }),
        watchPath: bundlePath,
        host: values.host,
        port: Number(values.port),
        ...(values["jwt-issuer"] ? { jwt: { issuer: values["jwt-issuer"], jwks: values["jwt-jwks"]!, ...(values["jwt-audience"] ? { audience: values["jwt-audience"] } : {}) } } : {}),
        ...(values["forward-url"] ? { forwardUrl: values["forward-url"] } : {}),
        ...(values["approval-ttl"] ? { approvalTtlMs: num(values["approval-ttl"])! * 1000 } : {}),
        ...(values["decision-ttl"] ? { decisionTtlSeconds: num(values["decision-ttl"]) } : {}),
        ...(values["checkpoint-every"] ? { audit: { checkpointEvery: num(values["checkpoint-every"]) } } : {}),
        ...(values["session-idle-ttl"] ? { sessionIdleTtlMs: num(values["session-idle-ttl"])! * 1000 } : {}),
      });
    } catch (err) {
      process.stderr.write(`writ serve: ${(err as Error).message}\n`);
      return 1;
    }
    const e = svc.engine.current;
    process.stdout.write(`writ serve: ${svc.url} bundle ${e.revision} (sha256 ${e.digest.slice(0, 12)}…) data ${resolve(dataDir)} key ${svc.keyring.current.kid}\n`);
    // --example already issues "coder"; asking for it again must not print two tokens
    for (const agent of new Set(issueTokens)) process.stdout.write(`agent token for ${agent}: ${svc.credentials.issue(agent)}\n`);
    for (const op of new Set(issueOperators)) process.stdout.write(`operator token for ${op}: ${svc.credentials.issue(op, "operator")}\n`);
    return new Promise<number>((resolveExit) => {
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await svc.close();
        resolveExit(0);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
      process.on("SIGHUP", () => {
        try {
          svc.credentials.reload();
        } catch (err) {
          process.stderr.write(`writ serve: credentials not reloaded: ${(err as Error).message}\n`);
        }
        void svc.engine.reload().then((ev) => process.stderr.write(`writ serve: reload: ${ev.kind === "loaded" ? `bundle ${ev.revision}` : `kept old bundle: ${ev.error}`}\n`));
      });
    });
  },
};
export default command;
