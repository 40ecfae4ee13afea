// Ed25519 signing for the hot path. libsodium (the optional dependency
// `sodium-native`, prebuilt for every common platform) signs in about 60% of
// the time OpenSSL takes through node:crypto (measured side by side on the
// 2-core VM: 27-31 µs against 47-50 µs). A decision service makes one
// signature per decision, so this is the largest single cost after the
// policy. Ed25519 is deterministic (RFC 8032), so both give the same bytes
// for the same key and message. Where the addon is missing or fails to load,
// node:crypto signs.
import { createRequire } from "node:module";
import { sign, type KeyObject } from "node:crypto";

interface Sodium {
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(sig: Uint8Array, message: Uint8Array, sk: Uint8Array): void;
  crypto_sign_BYTES: number;
}

let sodium: Sodium | null | undefined;

function loadSodium(): Sodium | null {
  if (sodium !== undefined) return sodium;
  sodium = null;
  if (process.env.WRIT_NO_SODIUM) return sodium;
  try {
    const s = createRequire(import.meta.url)("sodium-native") as Sodium;
    // the binding this module expects (its signatures are checked against
    // node:crypto per key, in ed25519Signer)
    if (typeof s.crypto_sign_detached === "function" && s.crypto_sign_BYTES === 64) sodium = s;
  } catch {
    // not installed (optional), or no binary for this platform
  }
  return sodium;
}

/** Which implementation signs: "libsodium" or "node:crypto". */
export function ed25519Backend(): "libsodium" | "node:crypto" {
  return loadSodium() ? "libsodium" : "node:crypto";
}

export type Ed25519Sign = (message: Uint8Array) => Buffer;

/** A signing function for one Ed25519 private key. */
export function ed25519Signer(privateKey: KeyObject): Ed25519Sign {
  const viaNode: Ed25519Sign = (message) => sign(null, message, privateKey);
  const s = loadSodium();
  if (!s || privateKey.asymmetricKeyType !== "ed25519") return viaNode;
  const d = privateKey.export({ format: "jwk" }).d;
  if (!d) return viaNode;
  const seed = Buffer.from(d, "base64url");
  const pk = Buffer.alloc(32);
  const sk = Buffer.alloc(64);
  s.crypto_sign_seed_keypair(pk, sk, seed);
  seed.fill(0);
  const viaSodium: Ed25519Sign = (message) => {
    const sig = Buffer.allocUnsafe(64);
    s.crypto_sign_detached(sig, message, sk);
    return sig;
  };
  // the two must agree (same key, deterministic scheme); if they do not,
  // something is wrong with the addon and node:crypto is the reference
  const probe = Buffer.from("writ ed25519 self-check");
  return viaSodium(probe).equals(viaNode(probe)) ? viaSodium : viaNode;
}
