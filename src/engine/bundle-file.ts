// A bundle file on disk → a PolicyEngine: read, verify the signature against
// the trusted key (unless unsigned bundles are explicitly allowed), load its
// policy.wasm. Used at start and on every hot-swap reload.
import { readFileSync } from "node:fs";
import { readBundle } from "../bundle/read.js";
import { WasmPolicyEngine } from "./wasm.js";
import type { PolicyEngine } from "./engine.js";

export interface BundleTrust {
  /** PEM of the key bundles must be signed with */
  publicKey?: string;
  /** accept a bundle without `.signatures.json` (development only) */
  allowUnsigned?: boolean;
}

export interface EngineOptions {
  /** http.send and net.lookup_ip_addr may reach the network (refused otherwise) */
  allowNetwork?: boolean;
}

export async function loadBundleEngine(path: string, trust: BundleTrust, options: EngineOptions = {}): Promise<PolicyEngine> {
  if (!trust.publicKey && !trust.allowUnsigned) throw new Error("refusing to load a bundle without a trusted key (give --trust-key, or --insecure-unsigned for development)");
  const bytes = readFileSync(path);
  const bundle = readBundle(bytes, { ...(trust.publicKey ? { publicKey: trust.publicKey } : {}), allowUnsigned: !!trust.allowUnsigned });
  // defence in depth: never serve an unverified bundle unless told to
  if (!bundle.signed && !trust.allowUnsigned) throw new Error(`${path}: bundle is not signed`);
  return WasmPolicyEngine.fromBundle(bundle, undefined, options);
}
