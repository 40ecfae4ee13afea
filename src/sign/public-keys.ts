// Loading verification keys for offline tools: PEM (SPKI) files or JWKS
// documents, into a kid → KeyObject map. A PEM key's kid is its thumbprint.
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { thumbprint } from "./keyring.js";

export type PublicKeySet = Map<string, KeyObject>;

export function keysFromPem(pem: string | Buffer): PublicKeySet {
  const key = createPublicKey(pem);
  return new Map([[thumbprint(key), key]]);
}

export function keysFromJwks(jwks: { keys?: unknown[] }): PublicKeySet {
  const out: PublicKeySet = new Map();
  for (const jwk of jwks.keys ?? []) {
    const j = jwk as { kty?: string; crv?: string; kid?: string };
    if (j.kty !== "OKP" || j.crv !== "Ed25519") continue;
    const key = createPublicKey({ key: j as never, format: "jwk" });
    out.set(j.kid ?? thumbprint(key), key);
  }
  return out;
}

/** A file holding a PEM public (or private) key, or a JWKS. */
export function loadPublicKeyFile(path: string): PublicKeySet {
  const text = readFileSync(path, "utf8");
  if (text.trimStart().startsWith("{")) return keysFromJwks(JSON.parse(text));
  return keysFromPem(text);
}
