// The example organisation's bundle (examples/acme), for `npm start` (writ
// serve --example), `npm run build:example` and tests. It is signed with a
// development key generated on first use into bundles/.dev-key/ (git-ignored,
// private key mode 0600); the public half is written beside the bundle as
// bundles/example.pub.pem, which `writ serve --example` trusts.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createPublicKey } from "node:crypto";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { buildPolicyBundle, digestInputs } from "./build.js";
import { writeSigningKeyPair, loadPrivateKeyFile } from "../sign/keys.js";
import { readBundle } from "../bundle/read.js";
import { toolchainDigest } from "./toolchain.js";

/** The package root (this file runs from dist/src/contract). */
export const packageRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface ExamplePaths {
  root: string;
  bundle: string;
  /** the toolchain digest the bundle was built with */
  toolchainStamp: string;
  publicKey: string;
  keyDir: string;
  rego: string;
  contracts: string;
  manifests: string;
}

export function examplePaths(root = packageRoot): ExamplePaths {
  return {
    root,
    bundle: join(root, "bundles/example.tar.gz"),
    toolchainStamp: join(root, "bundles/example.toolchain"),
    publicKey: join(root, "bundles/example.pub.pem"),
    keyDir: join(root, "bundles/.dev-key"),
    rego: join(root, "examples/acme/policy"),
    contracts: join(root, "examples/acme/contracts"),
    manifests: join(root, "examples/acme/manifests"),
  };
}

export interface ExampleBundle {
  /** bundles/example.tar.gz */
  bundlePath: string;
  /** bundles/example.pub.pem: the key to verify (and serve) it with */
  publicKeyPath: string;
  revision: string;
  /** SHA-256 of the bundle file */
  digest: string;
  /** false when an up-to-date bundle was already there */
  built: boolean;
  ms: number;
}

function devKey(paths: ExamplePaths) {
  const privatePath = join(paths.keyDir, "private.pem");
  // bundles/ itself is ordinary; only the key directory inside is 0700
  mkdirSync(join(paths.root, "bundles"), { recursive: true });
  if (!existsSync(privatePath)) writeSigningKeyPair(paths.keyDir);
  const key = loadPrivateKeyFile(privatePath);
  const publicPem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  if (!existsSync(paths.publicKey) || readFileSync(paths.publicKey, "utf8") !== publicPem) writeFileSync(paths.publicKey, publicPem);
  return { key, publicPem };
}

/**
 * Builds examples/acme into bundles/example.tar.gz, signed with the dev key,
 * unless an up-to-date one is there already (same sources digest, built by
 * this same toolchain, and it verifies with bundles/example.pub.pem) — pass
 * `force` to rebuild anyway.
 * Deterministic: the same sources and key give the same bytes.
 */
export async function buildExampleBundle(options: { root?: string; force?: boolean; log?: (line: string) => void } = {}): Promise<ExampleBundle> {
  const started = performance.now();
  const paths = examplePaths(options.root);
  const { key, publicPem } = devKey(paths);
  const inputs = { rego: [paths.rego], contracts: [paths.contracts], manifests: [paths.manifests] };
  const toolchain = toolchainDigest();
  if (!options.force && existsSync(paths.bundle) && existsSync(paths.toolchainStamp) && readFileSync(paths.toolchainStamp, "utf8").trim() === toolchain) {
    try {
      const current = readBundle(readFileSync(paths.bundle), { publicKey: publicPem });
      if (current.manifest.metadata?.sources_digest === digestInputs(inputs)) {
        return { bundlePath: paths.bundle, publicKeyPath: paths.publicKey, revision: current.manifest.revision, digest: current.digest, built: false, ms: performance.now() - started };
      }
    } catch {
      // unreadable, tampered or signed with another key: rebuild
    }
  }
  const result = await buildPolicyBundle({ ...inputs, signingKey: key, sourceRoot: paths.root, ...(options.log ? { log: options.log } : {}) });
  const tmp = `${paths.bundle}.tmp-${process.pid}`;
  writeFileSync(tmp, result.bytes);
  renameSync(tmp, paths.bundle);
  writeFileSync(paths.toolchainStamp, `${toolchain}\n`);
  const digest = readBundle(result.bytes, { publicKey: publicPem }).digest;
  return { bundlePath: paths.bundle, publicKeyPath: paths.publicKey, revision: result.manifest.revision, digest, built: true, ms: performance.now() - started };
}
