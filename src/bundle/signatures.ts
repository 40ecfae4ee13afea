// `.signatures.json`: `{"signatures": [<one compact JWS>], "plugin"?: …}`,
// whose JWS payload lists every other file of the bundle with its hash
// (`{"files": [{"name", "hash", "algorithm"}], "keyid"?, "scope"?, …}`).
import type { HashAlgorithm } from "./hash.js";

export const SIGNATURES_FILE = ".signatures.json";

export interface SignedFile {
  name: string;
  hash: string;
  algorithm: HashAlgorithm | string;
}

export interface SignaturePayload {
  files: SignedFile[];
  /** deprecated OPA claim naming the key */
  keyid?: string;
  scope?: string;
  [claim: string]: unknown;
}

/** As OPA writes it (json.MarshalIndent with a one-space indent). */
export function encodeSignaturesFile(token: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ signatures: [token] }, null, " "));
}

/** The single token of a `.signatures.json`; throws with the reason. */
export function decodeSignaturesFile(bytes: Uint8Array): string {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error("not valid JSON");
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new Error("not a JSON object");
  const { signatures, plugin } = doc as { signatures?: unknown; plugin?: unknown };
  if (plugin !== undefined && plugin !== "") throw new Error(`signed by plugin ${JSON.stringify(plugin)}, which writ does not support`);
  if (!Array.isArray(signatures) || signatures.length === 0) throw new Error("missing JWT (expected exactly one)");
  if (signatures.length > 1) throw new Error("multiple JWTs not supported (expected exactly one)");
  if (typeof signatures[0] !== "string") throw new Error("signature is not a string");
  return signatures[0];
}

/** The payload's claims, checked for shape. */
export function parsePayload(text: string): SignaturePayload {
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch {
    throw new Error("JWS payload is not JSON");
  }
  if (!p || typeof p !== "object" || Array.isArray(p)) throw new Error("JWS payload is not an object");
  const files = (p as { files?: unknown }).files;
  if (!Array.isArray(files)) throw new Error("JWS payload has no files list");
  for (const f of files) {
    if (!f || typeof f !== "object" || typeof f.name !== "string" || typeof f.hash !== "string" || typeof f.algorithm !== "string") {
      throw new Error("JWS payload lists a file without name, hash and algorithm");
    }
  }
  return p as SignaturePayload;
}
