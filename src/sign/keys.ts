// Bundle signing keys: generate Ed25519 pairs as PEM files, load signing and
// verification keys. Verification also takes the keys OPA's bundle signing
// uses (RSA and EC public keys in PEM, or an HMAC secret), so a bundle signed
// by `opa build --signing-key` can be checked with `writ bundle verify`.
import { createPrivateKey, createPublicKey, createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export interface PemKeyPair {
  /** PKCS#8 PEM */
  privateKey: string;
  /** SPKI PEM */
  publicKey: string;
}

/** A fresh Ed25519 key pair as PEM text. */
export function generateSigningKeyPair(): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export interface WrittenKeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
}

/**
 * Writes `dir/private.pem` (mode 0600, created that way so the key is never
 * readable by others, even briefly) and `dir/public.pem`. Refuses to
 * overwrite an existing private key unless `overwrite` is set: losing a
 * signing key silently is worse than an error.
 */
export function writeSigningKeyPair(dir: string, options: { overwrite?: boolean } = {}): WrittenKeyPair {
  const privateKeyPath = join(dir, "private.pem");
  const publicKeyPath = join(dir, "public.pem");
  if (!options.overwrite && existsSync(privateKeyPath)) {
    throw new Error(`${privateKeyPath} already exists (refusing to overwrite a signing key)`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = generateSigningKeyPair();
  writeFileSync(privateKeyPath, pair.privateKey, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file
  chmodSync(privateKeyPath, 0o600);
  writeFileSync(publicKeyPath, pair.publicKey, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath };
}

/** A private key from PEM text (PKCS#8, PKCS#1 RSA or SEC1 EC). */
export function loadPrivateKey(pem: string | Uint8Array): KeyObject {
  const text = typeof pem === "string" ? pem : Buffer.from(pem).toString("utf8");
  if (!text.includes("-----BEGIN")) throw new Error("signing key is not PEM (expected -----BEGIN PRIVATE KEY-----)");
  return createPrivateKey(text);
}

export function loadPrivateKeyFile(path: string): KeyObject {
  try {
    return loadPrivateKey(readFileSync(path));
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

/**
 * What a bundle signature is checked with: a public key (from a public key,
 * certificate or private key PEM), or the raw bytes of an HMAC secret (any
 * file that is not PEM, as OPA treats a non-PEM key).
 */
export type VerificationKey = { kind: "public"; key: KeyObject } | { kind: "secret"; secret: Uint8Array };

export function loadVerificationKey(material: string | Uint8Array | KeyObject): VerificationKey {
  if (typeof material === "object" && !(material instanceof Uint8Array)) {
    if (material.type === "secret") return { kind: "secret", secret: material.export() };
    return { kind: "public", key: material.type === "private" ? createPublicKey(material) : material };
  }
  const bytes = typeof material === "string" ? Buffer.from(material, "utf8") : Buffer.from(material);
  const text = bytes.toString("utf8");
  if (!text.includes("-----BEGIN")) return { kind: "secret", secret: new Uint8Array(bytes) };
  // createPublicKey accepts SPKI, PKCS#1 RSA public keys, certificates and
  // private keys (deriving the public half)
  return { kind: "public", key: createPublicKey(text) };
}

export function loadVerificationKeyFile(path: string): VerificationKey {
  try {
    return loadVerificationKey(readFileSync(path));
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key: the key id
 *  writ puts in bundle signatures, stable for a given key. */
export function keyThumbprint(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  const jwk = pub.export({ format: "jwk" }) as Record<string, string>;
  const required: Record<string, string[]> = { OKP: ["crv", "kty", "x"], RSA: ["e", "kty", "n"], EC: ["crv", "kty", "x", "y"] };
  const members = required[jwk.kty!];
  if (!members) throw new Error(`unsupported key type ${jwk.kty}`);
  const canonical = "{" + members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(",") + "}";
  return createHash("sha256").update(canonical).digest("base64url");
}
