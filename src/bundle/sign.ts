// Signing a bundle as `opa build --signing-key` does: hash every file but
// `.signatures.json`, put the list in a JWS payload, sign it.
import type { KeyObject } from "node:crypto";
import { DEFAULT_HASH_ALGORITHM, hashBundleFile, type HashAlgorithm } from "./hash.js";
import { signCompact, type JwsAlgorithm } from "./jws.js";
import { encodeSignaturesFile, SIGNATURES_FILE, type SignaturePayload } from "./signatures.js";
import { keyThumbprint } from "../sign/keys.js";

export interface SignOptions {
  /** key id for the JWS header `kid` (and OPA's deprecated `keyid` claim);
   *  default: the key's RFC 7638 thumbprint */
  keyId?: string;
  /** extra claims (OPA's --claims-file): `scope`, `iss`, … */
  claims?: Record<string, unknown>;
  algorithm?: JwsAlgorithm;
  hashAlgorithm?: HashAlgorithm;
}

/** The signed file list for `files` (names without a leading slash). */
export function signedFileList(files: Map<string, Uint8Array>, algorithm: HashAlgorithm = DEFAULT_HASH_ALGORITHM): SignaturePayload["files"] {
  return [...files.keys()]
    .filter((name) => name !== SIGNATURES_FILE)
    .sort()
    .map((name) => ({ name, hash: hashBundleFile(name, files.get(name)!, algorithm), algorithm }));
}

/** The bytes of `.signatures.json` for a bundle holding `files`. */
export function signBundle(files: Map<string, Uint8Array>, privateKey: KeyObject, options: SignOptions = {}): Uint8Array {
  const keyId = options.keyId ?? keyThumbprint(privateKey);
  const payload: SignaturePayload = { files: signedFileList(files, options.hashAlgorithm) };
  if (options.claims) Object.assign(payload, options.claims);
  else payload.keyid = keyId; // what OPA adds when there is no claims file
  const token = signCompact(JSON.stringify(payload), privateKey, { kid: keyId, ...(options.algorithm ? { alg: options.algorithm } : {}) });
  return encodeSignaturesFile(token);
}
