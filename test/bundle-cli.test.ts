// writ keys generate, writ bundle inspect and writ bundle verify, run as the
// real command on real files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBundle, unpackFiles, packFiles } from "../src/bundle/index.js";

const root = join(fileURLToPath(import.meta.url), "../../..");
const writ = (args: string[], cwd?: string) => spawnSync(process.execPath, [join(root, "bin/writ.js"), ...args], { encoding: "utf8", ...(cwd ? { cwd } : {}) });

function keysIn(dir: string): { privateKey: string; publicKey: string } {
  const r = writ(["keys", "generate", "--out", dir]);
  assert.equal(r.status, 0, r.stderr);
  return { privateKey: join(dir, "private.pem"), publicKey: join(dir, "public.pem") };
}

test("writ keys generate writes an Ed25519 pair, the private key mode 0600, and will not overwrite it", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "writ-keys-")), "keys");
  const k = keysIn(dir);
  assert.equal(statSync(k.privateKey).mode & 0o777, 0o600);
  assert.match(readFileSync(k.privateKey, "utf8"), /^-----BEGIN PRIVATE KEY-----\n/);
  assert.match(readFileSync(k.publicKey, "utf8"), /^-----BEGIN PUBLIC KEY-----\n/);
  const before = readFileSync(k.privateKey, "utf8");
  const again = writ(["keys", "generate", "--out", dir]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists/);
  assert.equal(readFileSync(k.privateKey, "utf8"), before);
  assert.equal(writ(["keys", "generate", "--out", dir, "--force"]).status, 0);
  assert.notEqual(readFileSync(k.privateKey, "utf8"), before);
  assert.equal(writ(["keys", "generate"]).status, 2);
  assert.equal(writ(["keys", "rotate", "--out", dir]).status, 2);
});

test("writ --help lists every command with a summary, and each command has --help", () => {
  const listing = writ(["--help"]).stdout;
  const names = [...listing.matchAll(/^ {2}([a-z-]+) +\S.*$/gm)].map((m) => m[1]!);
  for (const expected of ["audit", "build", "bundle", "compile", "hook", "init", "keys", "kill", "mcp-proxy", "serve", "test", "token", "usage", "verify"]) {
    assert.ok(names.includes(expected), `${expected} is listed`);
  }
  for (const cmd of names) {
    const r = writ([cmd, "--help"]);
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout, /^usage: writ /, cmd);
  }
});

function bundleFile(dir: string, privateKeyPem: string): string {
  const file = join(dir, "b.tar.gz");
  writeFileSync(
    file,
    writeBundle(
      {
        manifest: { revision: "r7", roots: ["writ"], wasm: [{ entrypoint: "writ/decision", module: "/policy.wasm" }], rego_version: 1, metadata: { writ_version: "0.1.0" } },
        wasm: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
        data: { writ: { contracts: { "t-1": {} }, manifests: { coder: {} } } },
        files: { "rego/org/platform.rego": "package writ.platform\n" },
      },
      { signingKey: privateKeyPem },
    ),
  );
  return file;
}

test("writ bundle verify: exit 0 when intact; exit 1 naming the changed, added or removed file", () => {
  const dir = mkdtempSync(join(tmpdir(), "writ-verify-"));
  const k = keysIn(join(dir, "keys"));
  const file = bundleFile(dir, readFileSync(k.privateKey, "utf8"));
  const ok = writ(["bundle", "verify", file, "--key", k.publicKey]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /verified \(EdDSA, key \S+, 4 files\)/);

  const files = unpackFiles(readFileSync(file));
  for (const name of files.keys()) {
    const tampered = new Map(files);
    const bytes = new Uint8Array(files.get(name)!);
    bytes[bytes.length >> 1]! ^= 1;
    tampered.set(name, bytes);
    const bad = join(dir, "bad.tar.gz");
    writeFileSync(bad, packFiles(tampered));
    const r = writ(["bundle", "verify", bad, "--key", k.publicKey]);
    assert.equal(r.status, 1, name);
    assert.match(r.stderr, new RegExp(`^ {2}${name.replace(/\./g, "\\.")}: `, "m"), `${name}: ${r.stderr}`);
  }
  const added = new Map(files).set("rego/org/backdoor.rego", new TextEncoder().encode("package writ.platform\n"));
  writeFileSync(join(dir, "added.tar.gz"), packFiles(added));
  const ra = writ(["bundle", "verify", join(dir, "added.tar.gz"), "--key", k.publicKey]);
  assert.equal(ra.status, 1);
  assert.match(ra.stderr, /rego\/org\/backdoor\.rego: added/);
  const removed = new Map(files);
  removed.delete("rego/org/platform.rego");
  writeFileSync(join(dir, "removed.tar.gz"), packFiles(removed));
  const rr = writ(["bundle", "verify", join(dir, "removed.tar.gz"), "--key", k.publicKey]);
  assert.equal(rr.status, 1);
  assert.match(rr.stderr, /rego\/org\/platform\.rego: removed/);
  // another key
  const other = keysIn(join(dir, "other"));
  const ro = writ(["bundle", "verify", file, "--key", other.publicKey]);
  assert.equal(ro.status, 1);
  assert.match(ro.stderr, /\.signatures\.json: signature \(signature does not verify with the given key\)/);
  // usage and missing files
  assert.equal(writ(["bundle", "verify", file]).status, 2);
  const missing = writ(["bundle", "verify", join(dir, "nope.tar.gz"), "--key", k.publicKey]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /ENOENT/);
});

test("writ bundle inspect shows the manifest, files, signature and data; with --key it verifies", () => {
  const dir = mkdtempSync(join(tmpdir(), "writ-inspect-"));
  const k = keysIn(join(dir, "keys"));
  const file = bundleFile(dir, readFileSync(k.privateKey, "utf8"));
  const r = writ(["bundle", "inspect", file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^revision {3}r7$/m);
  assert.match(r.stdout, /^entrypoint writ\/decision → \/policy\.wasm$/m);
  assert.match(r.stdout, /^contracts {2}t-1$/m);
  assert.match(r.stdout, /^manifests {2}coder$/m);
  assert.match(r.stdout, /^signature {2}EdDSA, key \S+, 4 files listed \(not verified: give --key\)$/m);
  assert.match(r.stdout, /rego\/org\/platform\.rego$/m);
  const v = writ(["bundle", "inspect", file, "--key", k.publicKey, "--json"]);
  assert.equal(v.status, 0, v.stderr);
  const j = JSON.parse(v.stdout);
  assert.equal(j.verification.ok, true);
  assert.equal(j.manifest.revision, "r7");
  assert.equal(j.files.length, 5);
});
