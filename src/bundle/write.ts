// Writing a bundle: the files OPA's `opa build -t wasm` writes (/.manifest,
// /data.json, /policy.wasm, the Rego sources) plus /.signatures.json when a
// signing key is given.
import type { KeyObject } from "node:crypto";
import type { BundleManifest } from "./types.js";
import { packFiles } from "./archive.js";
import { signBundle, type SignOptions } from "./sign.js";
import { SIGNATURES_FILE } from "./signatures.js";
import { MANIFEST_FILE } from "./manifest.js";
import { normalizeEntryName } from "./paths.js";
import { loadPrivateKey } from "../sign/keys.js";

export interface BundleContents {
  manifest: BundleManifest;
  wasm: Uint8Array;
  /** the root data document, written as /data.json */
  data: Record<string, unknown>;
  /** other files by name (Rego sources, …), without leading slash */
  files?: Map<string, Uint8Array | string> | Record<string, Uint8Array | string>;
}

export interface WriteOptions extends SignOptions {
  /** PEM text or key object; without it the bundle is unsigned */
  signingKey?: KeyObject | string;
}

const encoder = new TextEncoder();

/** The bundle's files by name, in the order they are written. data.json and
 *  .manifest are compact JSON: with no insignificant whitespace, every byte
 *  of them is covered by their structured hash. */
export function bundleFiles(contents: BundleContents): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set("data.json", encoder.encode(JSON.stringify(contents.data)));
  const extra = contents.files instanceof Map ? [...contents.files] : Object.entries(contents.files ?? {});
  for (const [rawName, body] of extra.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = normalizeEntryName(rawName);
    if (name === "data.json" || name === "policy.wasm" || name === MANIFEST_FILE || name === SIGNATURES_FILE) {
      throw new Error(`${name} is written by the bundle writer; pass it as manifest, wasm or data`);
    }
    if (files.has(name)) throw new Error(`${name} given twice`);
    files.set(name, typeof body === "string" ? encoder.encode(body) : body);
  }
  files.set("policy.wasm", contents.wasm);
  files.set(MANIFEST_FILE, encoder.encode(JSON.stringify(contents.manifest)));
  return files;
}

/** A .tar.gz bundle of `contents`, signed when `options.signingKey` is set. */
export function writeBundle(contents: BundleContents, options: WriteOptions = {}): Uint8Array {
  const files = bundleFiles(contents);
  if (options.signingKey) {
    const key = typeof options.signingKey === "string" ? loadPrivateKey(options.signingKey) : options.signingKey;
    files.set(SIGNATURES_FILE, signBundle(files, key, options));
  }
  return packFiles(files);
}
