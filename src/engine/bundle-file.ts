// A bundle file on disk → a PolicyEngine: read, verify the signature against
// the trusted key (unless unsigned bundles are explicitly allowed), load its
// policy.wasm. Used at start and on every hot-swap reload.
import { readFileSync } from "node:fs";
import type { Bundle } from "../bundle/types.js";
import { WasmPolicyEngine } from "./wasm.js";
import type { PolicyEngine } from "./engine.js";

export interface BundleTrust {
  /** PEM of the key bundles must be signed with */
  publicKey?: string;
  /** accept a bundle without `.signatures.json` (development only) */
  allowUnsigned?: boolean;
}

type ReadBundle = (bytes: Uint8Array, opts: { publicKey?: string; allowUnsigned?: boolean }) => Bundle | Promise<Bundle>;

// The bundle reader is src/bundle's (another engineer's part). It is looked up
// at run time so the service builds and tests before it lands.
async function bundleReader(): Promise<ReadBundle> {
  for (const mod of ["../bundle/read.js", "../bundle/index.js"]) {
    try {
      const m = (await import(mod)) as { readBundle?: ReadBundle };
      if (typeof m.readBundle === "function") return m.readBundle;
    } catch {
      // try the next
    }
  }
  throw new Error("no bundle reader: src/bundle does not export readBundle yet");
}

export async function loadBundleEngine(path: string, trust: BundleTrust): Promise<PolicyEngine> {
  if (!trust.publicKey && !trust.allowUnsigned) throw new Error("refusing to load a bundle without a trusted key (give --trust-key, or --insecure-unsigned for development)");
  const bytes = readFileSync(path);
  const readBundle = await bundleReader();
  const bundle = await readBundle(bytes, { ...(trust.publicKey ? { publicKey: trust.publicKey } : {}), allowUnsigned: !!trust.allowUnsigned });
  // defence in depth: never serve an unverified bundle unless told to
  if (!bundle.signed && !trust.allowUnsigned) throw new Error(`${path}: bundle is not signed`);
  return WasmPolicyEngine.fromBundle(bundle);
}
