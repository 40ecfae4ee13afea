// A signed bundle whose decision is one constant allow: serving it measures
// the service's own cost (HTTP, validation, audit, signing) apart from the
// policy's. Written into `dir`; returns the paths `writ serve` takes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileRego } from "../src/rego/compile.js";
import { writeBundle } from "../src/bundle/write.js";
import { generateSigningKeyPair } from "../src/sign/keys.js";

export const TRIVIAL_POLICY = 'package writ\n\ndecision := {"decision": "allow", "reasons": [], "rule_ids": ["trivial"]}\n';

export async function writeTrivialBundle(dir: string): Promise<{ bundlePath: string; publicKeyPath: string }> {
  const { wasm } = await compileRego({ modules: [{ path: "trivial.rego", source: TRIVIAL_POLICY }], entrypoints: ["writ/decision"] });
  const keys = generateSigningKeyPair();
  const bundlePath = join(dir, "trivial.tar.gz");
  const publicKeyPath = join(dir, "trivial.pub.pem");
  writeFileSync(bundlePath, writeBundle({ manifest: { revision: "trivial", roots: [""] }, wasm, data: {}, files: { "trivial.rego": TRIVIAL_POLICY } }, { signingKey: keys.privateKey }));
  writeFileSync(publicKeyPath, keys.publicKey);
  return { bundlePath, publicKeyPath };
}
