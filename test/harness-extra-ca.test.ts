// The Claude Code hook command `writ init` writes starts Node without
// NODE_EXTRA_CA_CERTS (Node would parse the whole bundle before anything
// else) and still trusts those CAs when writ is served over https: the
// command runs through sh, as Claude Code runs it, against a real https
// server whose certificate only the extra CA file vouches for.
// test/fixtures/tls: a self-signed certificate for 127.0.0.1 (made with
// `openssl req -x509 -newkey ec … -addext subjectAltName=IP:127.0.0.1`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { freshDir, root, runProcess, runWrit, verdict, type Run } from "./harness-helpers.js";

const tls = join(root, "test/fixtures/tls");
const payload = readFileSync(join(root, "test/golden/claude-code/pre-tool-use-bash.json"), "utf8");

/** A command line run as Claude Code runs a command hook: through sh. */
function sh(command: string, env: Record<string, string>): Promise<Run> {
  return runProcess("/bin/sh", ["-c", command], payload, { PATH: process.env.PATH ?? "", WRIT_TOKEN: "t", WRIT_STATE_DIR: freshDir(), ...env });
}

test("the hook writ init configures for Claude Code starts Node without NODE_EXTRA_CA_CERTS and trusts them for https", { skip: process.platform === "win32" }, async () => {
  const server = createServer({ cert: readFileSync(join(tls, "cert.pem")), key: readFileSync(join(tls, "key.pem")) }, (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(verdict("deny")));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = freshDir("writ-init-");
    const init = await runWrit(["init", "claude-code", "--dir", dir, "--url", url], "", { PATH: "/nonexistent" });
    assert.equal(init.code, 0, init.stderr);
    const command: string = JSON.parse(readFileSync(join(dir, ".claude/settings.json"), "utf8")).hooks.PreToolUse[0].hooks[0].command;
    assert.match(command, /^WRIT_EXTRA_CA_CERTS="\$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= /);

    // what the hook's Node saw, recorded by a preload as it starts
    const seen = join(freshDir(), "env.json");
    const preload = join(freshDir(), "preload.cjs");
    writeFileSync(preload, `require("node:fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ node: process.env.NODE_EXTRA_CA_CERTS, writ: process.env.WRIT_EXTRA_CA_CERTS }));\n`);
    const ca = join(tls, "cert.pem");
    const trusted = await sh(command, { NODE_EXTRA_CA_CERTS: ca, NODE_OPTIONS: `--require ${preload}` });
    assert.equal(trusted.code, 2);
    assert.match(trusted.stderr, /^writ denied this: policy db-07/, trusted.stderr);
    assert.deepEqual(JSON.parse(readFileSync(seen, "utf8")), { node: "", writ: ca });

    // without the extra CA the certificate is not trusted, and the hook blocks
    const untrusted = await sh(command, {});
    assert.equal(untrusted.code, 2);
    assert.match(untrusted.stderr, /^writ blocked this: there is no decision \(writ is unreachable at https:\/\/127\.0\.0\.1:\d+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/, untrusted.stderr);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
