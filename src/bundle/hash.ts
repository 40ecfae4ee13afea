// File hashes as OPA's bundle signatures record them: structured documents
// (base name data.json, data.yaml, signatures.json or .manifest — but not
// data.yml) hashed over their canonical stream, every other file over its raw
// bytes. Algorithm names are OPA's.
import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { canonicalText, parseJsonForHash, toHashValue, type HashValue } from "./structured.js";

export type HashAlgorithm = "MD5" | "SHA-1" | "SHA-224" | "SHA-256" | "SHA-384" | "SHA-512" | "SHA-512-224" | "SHA-512-256";

const nodeAlgorithm: Record<HashAlgorithm, string> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-224": "sha224",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
  "SHA-512-224": "sha512-224",
  "SHA-512-256": "sha512-256",
};

export const DEFAULT_HASH_ALGORITHM: HashAlgorithm = "SHA-256";

export function isHashAlgorithm(name: string): name is HashAlgorithm {
  return Object.prototype.hasOwnProperty.call(nodeAlgorithm, name);
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

/** OPA's IsStructuredDoc. */
export function isStructuredFile(name: string): boolean {
  const base = baseName(name);
  return base === "data.json" || base === "data.yaml" || base === "signatures.json" || base === ".manifest";
}

const utf8 = new TextDecoder("utf-8");

/** The parsed form of a structured file; throws when it does not parse. */
export function parseStructured(name: string, bytes: Uint8Array): HashValue {
  const text = utf8.decode(bytes);
  if (baseName(name) === "data.yaml") return toHashValue(parseYaml(text));
  return parseJsonForHash(text);
}

/** Hex digest of a bundle file, structured or raw by its name. Throws when a
 *  structured file does not parse (the caller names the file). */
export function hashBundleFile(name: string, bytes: Uint8Array, algorithm: HashAlgorithm = DEFAULT_HASH_ALGORITHM): string {
  const h = createHash(nodeAlgorithm[algorithm]);
  if (isStructuredFile(name)) h.update(canonicalText(parseStructured(name, bytes)), "utf8");
  else h.update(bytes);
  return h.digest("hex");
}
