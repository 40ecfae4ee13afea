// Reading a bundle for evaluation: unpack with limits, verify the signature
// (required unless unsigned bundles are explicitly allowed), then parse the
// manifest, merge the data and pick out the Wasm module.
import { createHash, type KeyObject } from "node:crypto";
import type { Bundle } from "./types.js";
import { unpackFiles } from "./archive.js";
import { BundleError, describeProblem } from "./errors.js";
import { verifyBundle, type VerifyReport } from "./verify.js";
import { SIGNATURES_FILE } from "./signatures.js";
import { MANIFEST_FILE, parseManifest, rootContains, rootsContain } from "./manifest.js";
import { mergeDataFiles } from "./data.js";
import type { TarLimits } from "./tar.js";
import type { VerificationKey } from "../sign/keys.js";

export interface ReadOptions {
  /** PEM text (public key, certificate), HMAC secret bytes, or a key object.
   *  With it, the bundle must be signed and verify. */
  publicKey?: string | Uint8Array | KeyObject | VerificationKey;
  /** accept a bundle that is unsigned, or that cannot be verified because no
   *  key was given (development only); `signed` is then false */
  allowUnsigned?: boolean;
  /** must equal the signature's `scope` claim */
  scope?: string;
  limits?: Partial<TarLimits>;
}

/** Reads and checks a bundle. Throws BundleError (with `problems` naming the
 *  files) when it is malformed, unsafe, or fails verification. */
export function readBundle(bytes: Uint8Array, options: ReadOptions = {}): Bundle {
  const files = unpackFiles(bytes, options.limits);
  const hasSignature = files.has(SIGNATURES_FILE);
  let signed = false;
  if (options.publicKey !== undefined) {
    if (!hasSignature && options.allowUnsigned) {
      signed = false;
    } else {
      const report: VerifyReport = verifyBundle(files, options.publicKey, options.scope !== undefined ? { scope: options.scope } : {});
      if (!report.ok) {
        throw new BundleError(`bundle verification failed:\n${report.problems.map((p) => "  " + describeProblem(p)).join("\n")}`, report.problems);
      }
      signed = true;
    }
  } else if (!options.allowUnsigned) {
    throw new BundleError(hasSignature ? "verification key not provided" : "bundle is not signed and no verification key was given");
  }

  const manifest = parseManifest(files.get(MANIFEST_FILE));
  const data = mergeDataFiles(files);
  checkDataRoots(data, manifest.roots);
  const wasmName = files.has("policy.wasm") ? "policy.wasm" : manifest.wasm?.[0]?.module.replace(/^\/+/, "");
  const wasm = wasmName ? files.get(wasmName) : undefined;
  if (!wasm) throw new BundleError("bundle has no policy.wasm", [{ file: "policy.wasm", problem: "removed", detail: "missing" }]);
  return {
    manifest,
    files,
    wasm,
    data,
    digest: createHash("sha256").update(bytes).digest("hex"),
    signed,
  };
}

/** OPA's check that all data lies under the manifest's roots. */
function checkDataRoots(data: Record<string, unknown>, roots: string[]): void {
  const walk = (node: unknown, path: string): void => {
    if (rootsContain(roots, path)) return;
    if (node && typeof node === "object" && !Array.isArray(node) && roots.some((r) => rootContains(path, r))) {
      for (const [k, v] of Object.entries(node)) walk(v, path === "" ? k : `${path}/${k}`);
      return;
    }
    throw new BundleError(`manifest roots [${roots.join(", ")}] do not permit data at path '/${path}'`, [{ file: "data.json", problem: "malformed", detail: "data outside the roots" }]);
  };
  walk(data, "");
}
