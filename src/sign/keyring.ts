// writ's own signing keys (decisions and audit checkpoints), kept in
// `<data-dir>/keys/`: `<kid>.pem` (PKCS#8 Ed25519 private key, mode 0600),
// `<kid>.pub.pem`, and `current` naming the key that signs now. Old keys stay
// so that their public halves remain in the JWKS after a rotation.
// The kid is the RFC 7638 JWK thumbprint of the public key.
// (Bundle-signing keys are src/sign/keys.ts's job; this is the service's own.)
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ed25519Signer, type Ed25519Sign } from "./ed25519.js";

export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  alg: "EdDSA";
  use: "sig";
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: PublicJwk;
  /** signs with privateKey (libsodium when present: see ed25519.ts) */
  sign: Ed25519Sign;
}

export function thumbprint(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: "jwk" }) as { x: string };
  // RFC 7638: required members in lexicographic order, no whitespace
  return createHash("sha256").update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest("base64url");
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const kid = thumbprint(publicKey);
  const { x } = publicKey.export({ format: "jwk" }) as { x: string };
  return { kid, privateKey, publicKey, jwk: { kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" }, sign: ed25519Signer(privateKey) };
}

export class Keyring {
  private keys = new Map<string, SigningKey>();
  current!: SigningKey;

  private constructor(private readonly dir: string | undefined) {}

  /** Opens (creating when empty) the key directory. */
  static open(dir: string): Keyring {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ring = new Keyring(dir);
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".pem") || name.endsWith(".pub.pem")) continue;
      const key = signingKeyFrom(createPrivateKey(readFileSync(join(dir, name))));
      ring.keys.set(key.kid, key);
    }
    const currentFile = join(dir, "current");
    const currentKid = existsSync(currentFile) ? readFileSync(currentFile, "utf8").trim() : "";
    const current = ring.keys.get(currentKid);
    if (current) ring.current = current;
    else ring.rotate();
    return ring;
  }

  /** A keyring held only in memory (tests, one-off tools). */
  static ephemeral(): Keyring {
    const ring = new Keyring(undefined);
    ring.rotate();
    return ring;
  }

  /** Makes a new key the current one; earlier keys stay published. */
  rotate(): SigningKey {
    const key = signingKeyFrom(generateKeyPairSync("ed25519").privateKey);
    if (this.dir) {
      writeFileSync(join(this.dir, `${key.kid}.pem`), key.privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
      writeFileSync(join(this.dir, `${key.kid}.pub.pem`), key.publicKey.export({ format: "pem", type: "spki" }));
      const tmp = join(this.dir, "current.tmp");
      writeFileSync(tmp, key.kid + "\n");
      renameSync(tmp, join(this.dir, "current"));
    }
    this.keys.set(key.kid, key);
    this.current = key;
    return key;
  }

  get(kid: string): SigningKey | undefined {
    return this.keys.get(kid);
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: [...this.keys.values()].map((k) => k.jwk) };
  }
}
