// OPA bundles: write, read, sign, verify. See reference/opa.md §3.
export type { Bundle, BundleManifest } from "./types.js";
export { writeBundle, bundleFiles, type BundleContents, type WriteOptions } from "./write.js";
export { readBundle, type ReadOptions } from "./read.js";
export { signBundle, signedFileList, type SignOptions } from "./sign.js";
export { verifyBundle, type VerifyReport, type VerifyOptions } from "./verify.js";
export { packFiles, unpackFiles, DEFAULT_LIMITS } from "./archive.js";
export { hashBundleFile, isStructuredFile, type HashAlgorithm } from "./hash.js";
export { BundleError, describeProblem, type FileProblem, type FileProblemKind } from "./errors.js";
export { SIGNATURES_FILE, decodeSignaturesFile, parsePayload } from "./signatures.js";
export { MANIFEST_FILE, parseManifest } from "./manifest.js";
export { decodeCompact } from "./jws.js";
