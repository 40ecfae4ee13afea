// The in-memory form of an OPA bundle, shared by the bundle reader/writer
// (src/bundle) and the engine that loads bundles (src/engine).

/** `/.manifest` (OPA's Manifest struct, plus writ's metadata). */
export interface BundleManifest {
  revision: string;
  /** slash paths the bundle owns; [""] = everything */
  roots: string[];
  wasm?: { entrypoint: string; module: string }[];
  rego_version?: 0 | 1;
  /** writ puts `{ writ_version, sources_digest, … }` here */
  metadata?: Record<string, unknown>;
}

export interface Bundle {
  manifest: BundleManifest;
  /** every file in the bundle, by name without a leading slash */
  files: Map<string, Uint8Array>;
  /** `/policy.wasm` */
  wasm: Uint8Array;
  /** the merged data document (data.json / data.yaml files by directory) */
  data: Record<string, unknown>;
  /** SHA-256 (hex) of the bundle file as read: what decisions name */
  digest: string;
  /** true when `.signatures.json` was present and verified */
  signed: boolean;
}
