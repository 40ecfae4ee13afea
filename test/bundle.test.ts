// OPA bundles: write, read, sign and verify, tamper detection file by file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, createSecretKey } from "node:crypto";
import { gzipSync } from "node:zlib";
import {
  writeBundle,
  readBundle,
  verifyBundle,
  unpackFiles,
  packFiles,
  signBundle,
  hashBundleFile,
  BundleError,
  SIGNATURES_FILE,
  decodeSignaturesFile,
  decodeCompact,
  type BundleContents,
} from "../src/bundle/index.js";
import { encodeTar } from "../src/bundle/tar.js";
import { generateSigningKeyPair } from "../src/sign/keys.js";
import { signCompact } from "../src/bundle/jws.js";
import { encodeSignaturesFile } from "../src/bundle/signatures.js";
import { signedFileList } from "../src/bundle/sign.js";

const keys = generateSigningKeyPair();
// a minimal valid Wasm module header: the bundle layer never runs it
const wasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

function contents(): BundleContents {
  return {
    manifest: {
      revision: "r1",
      roots: ["writ"],
      wasm: [{ entrypoint: "writ/decision", module: "/policy.wasm" }],
      rego_version: 1,
      metadata: { writ_version: "0.1.0", sources_digest: "ab".repeat(32) },
    },
    wasm,
    data: { writ: { contracts: { t1: { id: "t1", budget: { usd: 1.5 } } }, manifests: {} } },
    files: {
      "rego/base/decision.rego": "package writ\n\ndecision := {}\n",
      "rego/org/platform.rego": "package writ.platform\n",
    },
  };
}

test("a signed bundle reads back verified, with manifest, data, wasm and digest", () => {
  const bytes = writeBundle(contents(), { signingKey: keys.privateKey });
  const b = readBundle(bytes, { publicKey: keys.publicKey });
  assert.equal(b.signed, true);
  assert.deepEqual(b.manifest, contents().manifest);
  assert.deepEqual(b.data, contents().data);
  assert.deepEqual([...b.wasm], [...wasm]);
  assert.equal(b.digest, createHash("sha256").update(bytes).digest("hex"));
  assert.deepEqual([...b.files.keys()].sort(), [".manifest", ".signatures.json", "data.json", "policy.wasm", "rego/base/decision.rego", "rego/org/platform.rego"]);
});

test("the same contents and key give the same bytes", () => {
  const a = writeBundle(contents(), { signingKey: keys.privateKey });
  const b = writeBundle(contents(), { signingKey: keys.privateKey });
  assert.deepEqual(Buffer.from(a), Buffer.from(b));
});

test("the signature is an EdDSA JWS with kid, listing every file but itself, OPA style", () => {
  const files = unpackFiles(writeBundle(contents(), { signingKey: keys.privateKey }));
  const jws = decodeCompact(decodeSignaturesFile(files.get(SIGNATURES_FILE)!));
  assert.equal(jws.header.alg, "EdDSA");
  assert.equal(typeof jws.header.kid, "string");
  const payload = JSON.parse(jws.payload);
  assert.equal(payload.keyid, jws.header.kid);
  assert.deepEqual(
    payload.files.map((f: { name: string }) => f.name),
    [".manifest", "data.json", "policy.wasm", "rego/base/decision.rego", "rego/org/platform.rego"],
  );
  for (const f of payload.files) assert.equal(f.algorithm, "SHA-256");
});

test("entries are written with a leading slash and read by system tar", async () => {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "writ-bundle-"));
  const file = join(dir, "b.tar.gz");
  writeFileSync(file, writeBundle(contents(), { signingKey: keys.privateKey }));
  const r = spawnSync("tar", ["-tzf", file], { encoding: "utf8" });
  if (r.error) return; // no tar on this machine
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split("\n"), ["/data.json", "/rego/base/decision.rego", "/rego/org/platform.rego", "/policy.wasm", "/.manifest", "/.signatures.json"]);
});

function flipByte(data: Uint8Array): Uint8Array {
  const copy = new Uint8Array(data);
  const at = Math.floor(copy.length / 2);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

test("flipping one byte of any file fails verification and names that file", () => {
  const original = unpackFiles(writeBundle(contents(), { signingKey: keys.privateKey }));
  for (const name of original.keys()) {
    const tampered = new Map(original);
    tampered.set(name, flipByte(original.get(name)!));
    const bytes = packFiles(tampered);
    const report = verifyBundle(unpackFiles(bytes), keys.publicKey);
    assert.equal(report.ok, false, `${name}: tampering went unnoticed`);
    assert.deepEqual(
      report.problems.map((p) => p.file),
      [name],
      `${name}: ${JSON.stringify(report.problems)}`,
    );
    assert.throws(
      () => readBundle(bytes, { publicKey: keys.publicKey }),
      (err: unknown) => err instanceof BundleError && err.message.includes(name) && err.problems.some((p) => p.file === name),
    );
  }
});

test("an added file and a removed file are each named", () => {
  const original = unpackFiles(writeBundle(contents(), { signingKey: keys.privateKey }));
  const added = new Map(original).set("rego/org/extra.rego", new TextEncoder().encode("package writ.platform\n"));
  assert.deepEqual(verifyBundle(added, keys.publicKey).problems.map((p) => [p.file, p.problem]), [["rego/org/extra.rego", "added"]]);
  const removed = new Map(original);
  removed.delete("rego/org/platform.rego");
  assert.deepEqual(verifyBundle(removed, keys.publicKey).problems.map((p) => [p.file, p.problem]), [["rego/org/platform.rego", "removed"]]);
  const unsigned = new Map(original);
  unsigned.delete(SIGNATURES_FILE);
  assert.deepEqual(verifyBundle(unsigned, keys.publicKey).problems.map((p) => [p.file, p.problem]), [[SIGNATURES_FILE, "signature"]]);
});

test("another key does not verify", () => {
  const other = generateSigningKeyPair();
  const bytes = writeBundle(contents(), { signingKey: keys.privateKey });
  const report = verifyBundle(unpackFiles(bytes), other.publicKey);
  assert.equal(report.ok, false);
  assert.equal(report.problems[0]!.file, SIGNATURES_FILE);
  assert.match(report.problems[0]!.detail!, /does not verify/);
});

test("structured files are hashed over content, not formatting (OPA semantics)", () => {
  const original = unpackFiles(writeBundle(contents(), { signingKey: keys.privateKey }));
  const reformatted = new Map(original);
  const data = JSON.parse(new TextDecoder().decode(original.get("data.json")!));
  // same content, other key order and whitespace
  const reordered = { writ: { manifests: {}, contracts: data.writ.contracts } };
  reformatted.set("data.json", new TextEncoder().encode(JSON.stringify(reordered, null, 4)));
  assert.equal(verifyBundle(reformatted, keys.publicKey).ok, true);
  // numbers keep their text: 1.5 → 1.50 is a change
  const renumbered = new Map(original);
  renumbered.set("data.json", new TextEncoder().encode(new TextDecoder().decode(original.get("data.json")!).replace("1.5", "1.50")));
  assert.deepEqual(verifyBundle(renumbered, keys.publicKey).problems.map((p) => [p.file, p.problem]), [["data.json", "changed"]]);
});

test("structured hash: byte-ordered keys, Go string escapes, HTML left alone", () => {
  const doc = '{"b": [1.0, "x\\u2028<>&\\u0001\\n", true, null], "a": {"é": 1, "z": 2, "\\ud83d\\ude00": 3}}';
  // keys in UTF-8 byte order: "z" (7a) < "é" (c3 a9) < U+1F600 (f0 …)
  const canonical = '{"a":{"z":2,"é":1,"\u{1F600}":3},"b":[1.0,"x\\u2028<>&\\u0001\\n",true,null]}';
  const expected = createHash("sha256").update(canonical, "utf8").digest("hex");
  assert.equal(hashBundleFile("data.json", new TextEncoder().encode(doc)), expected);
  assert.equal(hashBundleFile("a/b/data.json", new TextEncoder().encode(doc)), expected);
  // OPA's own expectation (v1/bundle/verify_test.go): `{"revision": "quickbrownfaux"}`
  // as a .manifest hashes, with MD5, to a005c38a…
  assert.equal(hashBundleFile(".manifest", new TextEncoder().encode('{"revision": "quickbrownfaux"}'), "MD5"), "a005c38a509dc2d5a7407b9494efb2ad");
  // data.yml and other names are raw bytes
  assert.equal(hashBundleFile("data.yml", new TextEncoder().encode(doc)), createHash("sha256").update(doc).digest("hex"));
  assert.equal(hashBundleFile("x.json", new TextEncoder().encode(doc)), createHash("sha256").update(doc).digest("hex"));
});

test("OPA's other algorithms verify: RS256, ES256, HS256", () => {
  const files = unpackFiles(writeBundle(contents()));
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const rsaFiles = new Map(files).set(SIGNATURES_FILE, signBundle(files, rsa.privateKey, { keyId: "rsa" }));
  assert.equal(verifyBundle(rsaFiles, rsa.publicKey.export({ type: "spki", format: "pem" }).toString()).ok, true);
  assert.equal(decodeCompact(decodeSignaturesFile(rsaFiles.get(SIGNATURES_FILE)!)).header.alg, "RS256");
  // PKCS#1 "RSA PUBLIC KEY" PEM, as OPA also accepts
  assert.equal(verifyBundle(rsaFiles, rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString()).ok, true);

  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecFiles = new Map(files).set(SIGNATURES_FILE, signBundle(files, ec.privateKey, { keyId: "ec" }));
  assert.equal(verifyBundle(ecFiles, ec.publicKey.export({ type: "spki", format: "pem" }).toString()).ok, true);
  // an EC signature does not verify with the RSA key
  assert.equal(verifyBundle(ecFiles, rsa.publicKey.export({ type: "spki", format: "pem" }).toString()).ok, false);

  const secret = new TextEncoder().encode("s3cr3t-shared-hmac-key");
  const payload = JSON.stringify({ files: signedFileList(files), keyid: "hmac" });
  const hsFiles = new Map(files).set(SIGNATURES_FILE, encodeSignaturesFile(signCompact(payload, { secret, alg: "HS256" }, { kid: "hmac" })));
  assert.equal(verifyBundle(hsFiles, secret).ok, true);
  assert.equal(verifyBundle(hsFiles, createSecretKey(Buffer.from("wrong"))).ok, false);
  // an HMAC token is refused when a public key is configured (no alg confusion)
  assert.equal(verifyBundle(hsFiles, keys.publicKey).ok, false);
});

test("alg none and mismatched scope are refused", () => {
  const files = unpackFiles(writeBundle(contents()));
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  const none = `${b64('{"alg":"none"}')}.${b64(JSON.stringify({ files: signedFileList(files) }))}.`;
  const noneFiles = new Map(files).set(SIGNATURES_FILE, encodeSignaturesFile(none));
  assert.equal(verifyBundle(noneFiles, keys.publicKey).ok, false);
  const scoped = unpackFiles(writeBundle(contents(), { signingKey: keys.privateKey, claims: { scope: "write" } }));
  assert.equal(verifyBundle(scoped, keys.publicKey).ok, false);
  assert.equal(verifyBundle(scoped, keys.publicKey, { scope: "write" }).ok, true);
});

test("unsigned bundles need allowUnsigned; a signature without a key too", () => {
  const unsigned = writeBundle(contents());
  assert.throws(() => readBundle(unsigned), /not signed/);
  assert.throws(() => readBundle(unsigned, { publicKey: keys.publicKey }), /\.signatures\.json/);
  assert.equal(readBundle(unsigned, { allowUnsigned: true }).signed, false);
  const signed = writeBundle(contents(), { signingKey: keys.privateKey });
  assert.throws(() => readBundle(signed), /verification key not provided/);
  assert.equal(readBundle(signed, { allowUnsigned: true }).signed, false);
});

function tarGz(entries: { name: string; data: string; type?: string }[]): Uint8Array {
  const tar = encodeTar(entries.map((e) => ({ name: e.name, data: new TextEncoder().encode(e.data) })));
  // patch type flags where asked, fixing each header's checksum
  let off = 0;
  for (const e of entries) {
    if (e.type) {
      tar[off + 156] = e.type.charCodeAt(0);
      tar.fill(0x20, off + 148, off + 156);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += tar[off + i]!;
      tar.set(new TextEncoder().encode(sum.toString(8).padStart(6, "0") + "\0 "), off + 148);
    }
    off += 512 + Math.ceil(Buffer.byteLength(e.data) / 512) * 512;
  }
  return new Uint8Array(gzipSync(tar));
}

test("path traversal, links, duplicates and odd names are refused", () => {
  for (const name of ["../etc/passwd", "/a/../../b", "a//b", "./a/./b", "a\\b", ""]) {
    assert.throws(() => unpackFiles(tarGz([{ name, data: "x" }])), BundleError, name);
  }
  assert.throws(() => unpackFiles(tarGz([{ name: "/policy.wasm", data: "/etc/passwd", type: "2" }])), /symbolic link not allowed/);
  assert.throws(() => unpackFiles(tarGz([{ name: "/policy.wasm", data: "x", type: "1" }])), /hard link not allowed/);
  assert.throws(() => unpackFiles(tarGz([{ name: "/a.rego", data: "x" }, { name: "a.rego", data: "y" }])), /more than once/);
  // directories are skipped, ./ prefixes normalized
  const ok = unpackFiles(tarGz([{ name: "./rego/", data: "", type: "5" }, { name: "./rego/a.rego", data: "p" }]));
  assert.deepEqual([...ok.keys()], ["rego/a.rego"]);
});

test("absurd sizes are refused before they are held", () => {
  const big = "x".repeat(64 * 1024);
  assert.throws(() => unpackFiles(tarGz([{ name: "a", data: big }]), { maxFileBytes: 1024 }), /file limit/);
  assert.throws(() => unpackFiles(tarGz([{ name: "a", data: big }, { name: "b", data: big }]), { maxTotalBytes: 100_000 }), /exceed|expands/);
  assert.throws(() => unpackFiles(tarGz(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: "" }))), { maxFiles: 4 }), /more than 4 files/);
  // a gzip bomb: 64 MiB of zeros compresses to ~64 KiB
  const bomb = new Uint8Array(gzipSync(Buffer.alloc(64 * 1024 * 1024)));
  assert.throws(() => unpackFiles(bomb, { maxTotalBytes: 1024 * 1024, maxFiles: 10 }), /expands beyond/);
  assert.throws(() => unpackFiles(new TextEncoder().encode("not gzip")), /not a gzip file/);
});

test("long names use pax records and round-trip", () => {
  const long = `rego/${"deep/".repeat(40)}policy.rego`;
  const veryLongSegment = `rego/${"n".repeat(150)}.rego`;
  const files = new Map<string, Uint8Array>([
    [long, new TextEncoder().encode("a")],
    [veryLongSegment, new TextEncoder().encode("b")],
  ]);
  const back = unpackFiles(packFiles(files));
  assert.deepEqual([...back.keys()], [long, veryLongSegment]);
  assert.equal(new TextDecoder().decode(back.get(veryLongSegment)), "b");
});

test("data files merge by directory and must stay under the roots", () => {
  const files = new Map<string, Uint8Array>([
    ["data.json", new TextEncoder().encode('{"writ":{"a":1}}')],
    ["writ/contracts/data.json", new TextEncoder().encode('{"t1":{"id":"t1"}}')],
    ["writ/manifests/data.yaml", new TextEncoder().encode("coder:\n  agent_id: coder\n")],
    ["policy.wasm", wasm],
    [".manifest", new TextEncoder().encode('{"revision":"x","roots":["writ"]}')],
  ]);
  const b = readBundle(packFiles(files), { allowUnsigned: true });
  assert.deepEqual(b.data, { writ: { a: 1, contracts: { t1: { id: "t1" } }, manifests: { coder: { agent_id: "coder" } } } });
  const outside = new Map(files).set("other/data.json", new TextEncoder().encode("{}"));
  outside.set("other/data.json", new TextEncoder().encode('{"x":1}'));
  assert.throws(() => readBundle(packFiles(outside), { allowUnsigned: true }), /do not permit data at path '\/other'/);
  const overlapping = new Map(files).set(".manifest", new TextEncoder().encode('{"revision":"x","roots":["writ","writ/contracts"]}'));
  assert.throws(() => readBundle(packFiles(overlapping), { allowUnsigned: true }), /overlapped roots/);
});

test("archives written by GNU tar (pax and gnu formats, long names) are read", async () => {
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, mkdirSync, writeFileSync, readFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "writ-tar-"));
  const deep = join("rego", "d".repeat(120));
  mkdirSync(join(dir, "src", deep), { recursive: true });
  writeFileSync(join(dir, "src", "data.json"), '{"a":1}');
  writeFileSync(join(dir, "src", deep, "p.rego"), "package x\n");
  for (const format of ["pax", "gnu", "ustar"]) {
    const out = join(dir, `${format}.tar.gz`);
    const r = spawnSync("tar", [`--format=${format}`, "-czf", out, "-C", join(dir, "src"), "."], { encoding: "utf8" });
    if (r.error) return; // no tar on this machine
    if (format === "ustar") {
      // ustar cannot hold a 120-character segment: tar says so, and so do we
      assert.notEqual(r.status, 0);
      continue;
    }
    assert.equal(r.status, 0, r.stderr);
    const files = unpackFiles(readFileSync(out));
    assert.deepEqual([...files.keys()].sort(), ["data.json", `${deep}/p.rego`], format);
  }
});
