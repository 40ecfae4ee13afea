// The example bundle (examples/acme): built as `npm start` and the service
// get it, OPA's layout, verified, every file's tampering named, and rebuilt
// only when its sources change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, statSync, appendFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego, hostBuiltins } from "../src/index.js";
import { buildExampleBundle, examplePaths } from "../src/contract/example.js";
import { readBundle, unpackFiles, packFiles, verifyBundle } from "../src/bundle/index.js";

async function compilerMissing(): Promise<string | undefined> {
  try {
    await compileRego({ modules: [{ path: "p.rego", source: "package p\n\nx := 1\n" }], entrypoints: ["p/x"] });
    return undefined;
  } catch (err) {
    return /not implemented/.test((err as Error).message) ? "compiler not yet available" : undefined;
  }
}
const skip = await compilerMissing();
const packageRoot = join(fileURLToPath(import.meta.url), "../../..");

/** A clean copy of the example sources, as a fresh clone has them. */
function cleanRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "writ-example-"));
  cpSync(join(packageRoot, "examples/acme"), join(root, "examples/acme"), { recursive: true });
  return root;
}

test("the example bundle builds from clean sources, in OPA's layout, signed with a dev key made on first use", { skip }, async () => {
  const root = cleanRoot();
  const r = await buildExampleBundle({ root });
  assert.equal(r.built, true);
  const p = examplePaths(root);
  assert.equal(r.bundlePath, p.bundle);
  assert.equal(statSync(join(p.keyDir, "private.pem")).mode & 0o777, 0o600);
  const bundle = readBundle(readFileSync(p.bundle), { publicKey: readFileSync(p.publicKey, "utf8") });
  assert.equal(bundle.signed, true);
  assert.equal(bundle.digest, r.digest);
  const m = bundle.manifest;
  assert.equal(m.revision, r.revision);
  assert.deepEqual(m.roots, ["writ"]);
  assert.deepEqual(m.wasm, [{ entrypoint: "writ/decision", module: "/policy.wasm" }]);
  assert.equal(m.rego_version, 1);
  assert.match(String(m.metadata?.sources_digest), /^[0-9a-f]{64}$/);
  assert.equal(m.metadata?.writ_version, "0.1.0");
  const names = [...bundle.files.keys()];
  for (const f of [".manifest", ".signatures.json", "data.json", "policy.wasm", "rego/base/decision.rego", "rego/org/taint.rego", "rego/generated/contracts/upgrade-lodash.rego"]) {
    assert.ok(names.includes(f), `${f} missing from ${names.join(", ")}`);
  }
  assert.deepEqual(Object.keys((bundle.data.writ as { contracts: object }).contracts).sort(), ["fix-login-timeout", "review-pr-482", "upgrade-lodash"]);
  // it evaluates in the unmodified SDK
  const policy = await loadPolicy(bundle.wasm, undefined, hostBuiltins);
  policy.setData(bundle.data);
  const rs = policy.evaluate(
    {
      action: { harness: "t", session_id: "s", event: "pre_tool_use", tool: "Read", action: { kind: "file_read", paths: ["/w/src/auth/a.ts"] }, cwd: "/w", contract_id: "fix-login-timeout" },
      agent: { id: "coder" },
      session: { id: "s", labels: [], counters: {}, spend: { usd: 0, tokens: 0, tool_calls: 0 }, started_at: "2026-11-23T09:00:00Z" },
      now: "2026-11-23T10:00:00Z",
    },
    "writ/decision",
  ) as { result: { decision: string } }[];
  assert.equal(rs[0]?.result.decision, "allow");
});

test("flipping one byte of any file of the example bundle fails verification, naming that file", { skip }, async () => {
  const root = cleanRoot();
  const r = await buildExampleBundle({ root });
  const pub = readFileSync(r.publicKeyPath, "utf8");
  const files = unpackFiles(readFileSync(r.bundlePath));
  assert.ok(files.size >= 15, `${files.size} files`);
  for (const [name, data] of files) {
    for (const at of [0, data.length >> 1, data.length - 1]) {
      const tampered = new Map(files);
      const copy = new Uint8Array(data);
      copy[at] = copy[at]! ^ 0x01;
      tampered.set(name, copy);
      const report = verifyBundle(unpackFiles(packFiles(tampered)), pub);
      assert.equal(report.ok, false, `${name}@${at}`);
      assert.deepEqual(report.problems.map((p) => p.file), [name], `${name}@${at}: ${JSON.stringify(report.problems)}`);
    }
  }
});

test("buildExampleBundle rebuilds only when the sources or the toolchain change, and the same sources give the same bytes", { skip }, async () => {
  const root = cleanRoot();
  const first = await buildExampleBundle({ root });
  const bytes = readFileSync(first.bundlePath);
  const again = await buildExampleBundle({ root });
  assert.equal(again.built, false);
  const forced = await buildExampleBundle({ root, force: true });
  assert.equal(forced.built, true);
  assert.deepEqual(readFileSync(forced.bundlePath), bytes);
  appendFileSync(join(root, "examples/acme/policy/git.rego"), "\n# a comment changes the sources digest\n");
  const changed = await buildExampleBundle({ root });
  assert.equal(changed.built, true);
  assert.notEqual(changed.revision, first.revision);
  // a bundle tampered on disk is rebuilt, not served
  writeFileSync(changed.bundlePath, packFiles(new Map([...unpackFiles(readFileSync(changed.bundlePath))].map(([n, d]) => [n, n === "data.json" ? new TextEncoder().encode("{}") : d]))));
  assert.equal((await buildExampleBundle({ root })).built, true);
  assert.equal((await buildExampleBundle({ root })).built, false);
  // a bundle another writ compiled (another runtime or compiler) is rebuilt,
  // or a changed compiler would go on serving the old one's code
  const stamp = examplePaths(root).toolchainStamp;
  assert.match(readFileSync(stamp, "utf8"), /^[0-9a-f]{64}\n$/);
  writeFileSync(stamp, `${"0".repeat(64)}\n`);
  assert.equal((await buildExampleBundle({ root })).built, true);
  rmSync(stamp);
  assert.equal((await buildExampleBundle({ root })).built, true);
  assert.equal((await buildExampleBundle({ root })).built, false);
});

test("writ build, then writ bundle verify and inspect, on the example", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "writ-build-cli-"));
  const writ = (args: string[]) => spawnSync(process.execPath, [join(packageRoot, "bin/writ.js"), ...args], { cwd: packageRoot, encoding: "utf8" });
  assert.equal(writ(["keys", "generate", "--out", join(dir, "keys")]).status, 0);
  const out = join(dir, "acme.tar.gz");
  const b = writ(["build", "--rego", "examples/acme/policy", "--contracts", "examples/acme/contracts", "--manifests", "examples/acme/manifests", "--signing-key", join(dir, "keys/private.pem"), "-o", out]);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stderr, /writ build: loaded 2 manifest\(s\), 3 contract\(s\), 5 org Rego module\(s\)/);
  assert.match(b.stderr, /signed/);
  const v = writ(["bundle", "verify", out, "--key", join(dir, "keys/public.pem")]);
  assert.equal(v.status, 0, v.stderr);
  const i = writ(["bundle", "inspect", out]);
  assert.match(i.stdout, /contracts {2}fix-login-timeout, review-pr-482, upgrade-lodash/);
  // the generated Rego is readable in the bundle, and says where it came from
  const files = unpackFiles(readFileSync(out));
  assert.match(new TextDecoder().decode(files.get("rego/generated/contracts/upgrade-lodash.rego")), /^# Generated by writ .* from examples\/acme\/contracts\/upgrade-lodash\.yaml/);
});
