// Compact JWS (RFC 7515) for bundle signatures, on node:crypto so that signing
// and verifying stay synchronous (the service reads bundles on a hot-swap path
// and needs no event-loop round trips for it). EdDSA is writ's algorithm;
// RS*, PS*, ES* and HS* are accepted for verification because OPA signs
// bundles with them.
import { createHmac, sign as cryptoSign, verify as cryptoVerify, timingSafeEqual, constants, type KeyObject } from "node:crypto";
import type { VerificationKey } from "../sign/keys.js";

export type JwsAlgorithm = "EdDSA" | "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512" | "HS256" | "HS384" | "HS512";

const digestOf = (alg: string): string => `sha${alg.slice(2)}`;
const curveOf: Record<string, string> = { ES256: "prime256v1", ES384: "secp384r1", ES512: "secp521r1" };

/** The algorithm a private key signs with by default. */
export function defaultAlgorithm(key: KeyObject): JwsAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === "ed25519") return "EdDSA";
  if (type === "rsa") return "RS256";
  if (type === "rsa-pss") return "PS256";
  if (type === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const alg = Object.entries(curveOf).find(([, c]) => c === curve)?.[0];
    if (alg) return alg as JwsAlgorithm;
    throw new Error(`unsupported EC curve ${curve}`);
  }
  throw new Error(`unsupported signing key type ${type}`);
}

function b64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString("base64url");
}

function rawSign(alg: JwsAlgorithm, input: Buffer, key: KeyObject): Buffer {
  if (alg === "EdDSA") return cryptoSign(null, input, key);
  if (alg.startsWith("RS")) return cryptoSign(digestOf(alg), input, key);
  if (alg.startsWith("PS")) return cryptoSign(digestOf(alg), input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
  if (alg.startsWith("ES")) return cryptoSign(digestOf(alg), input, { key, dsaEncoding: "ieee-p1363" });
  throw new Error(`cannot sign with ${alg} using a private key`);
}

/** A compact JWS over `payload` (already JSON text). */
export function signCompact(payload: string, key: KeyObject | { secret: Uint8Array; alg: "HS256" | "HS384" | "HS512" }, header: { kid?: string; alg?: JwsAlgorithm } = {}): string {
  const isSecret = !("asymmetricKeyType" in key) && "secret" in key;
  const alg: JwsAlgorithm = isSecret ? key.alg : (header.alg ?? defaultAlgorithm(key as KeyObject));
  const protectedHeader: Record<string, string> = { alg };
  if (header.kid) protectedHeader.kid = header.kid;
  const input = `${b64url(JSON.stringify(protectedHeader))}.${b64url(payload)}`;
  const sig = isSecret ? createHmac(digestOf(alg), Buffer.from(key.secret)).update(input).digest() : rawSign(alg, Buffer.from(input), key as KeyObject);
  return `${input}.${b64url(sig)}`;
}

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: string;
  signingInput: string;
  signature: Buffer;
}

/** Splits and decodes a compact JWS without checking it. */
export function decodeCompact(token: string): DecodedJws {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new Error("not a compact JWS");
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
  } catch {
    throw new Error("JWS header is not JSON");
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) throw new Error("JWS header is not an object");
  return {
    header: header as Record<string, unknown>,
    payload: Buffer.from(parts[1]!, "base64url").toString("utf8"),
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2]!, "base64url"),
  };
}

/** Whether `alg` is one this key can verify: the key type decides, never the
 *  token alone (no `none`, no HMAC with a public key as secret). */
function algorithmFitsKey(alg: string, key: VerificationKey): boolean {
  if (key.kind === "secret") return alg === "HS256" || alg === "HS384" || alg === "HS512";
  const type = key.key.asymmetricKeyType;
  if (type === "ed25519") return alg === "EdDSA";
  if (type === "rsa") return /^(RS|PS)(256|384|512)$/.test(alg);
  if (type === "rsa-pss") return /^PS(256|384|512)$/.test(alg);
  if (type === "ec") return curveOf[alg] !== undefined && curveOf[alg] === key.key.asymmetricKeyDetails?.namedCurve;
  return false;
}

/** Checks the token's signature with the key; returns the payload text.
 *  Throws with a reason on any failure. */
export function verifyCompact(token: string, key: VerificationKey): { header: Record<string, unknown>; payload: string } {
  const jws = decodeCompact(token);
  const alg = jws.header.alg;
  if (typeof alg !== "string") throw new Error("JWS header has no alg");
  if (jws.header.crit !== undefined) throw new Error("JWS header has unsupported crit parameters");
  if (!algorithmFitsKey(alg, key)) throw new Error(`signature algorithm ${alg} does not match the ${key.kind === "secret" ? "HMAC secret" : `${key.key.asymmetricKeyType} key`}`);
  const input = Buffer.from(jws.signingInput);
  let ok: boolean;
  if (key.kind === "secret") {
    const mac = createHmac(digestOf(alg), Buffer.from(key.secret)).update(input).digest();
    ok = mac.length === jws.signature.length && timingSafeEqual(mac, jws.signature);
  } else if (alg === "EdDSA") {
    ok = cryptoVerify(null, input, key.key, jws.signature);
  } else if (alg.startsWith("RS")) {
    ok = cryptoVerify(digestOf(alg), input, key.key, jws.signature);
  } else if (alg.startsWith("PS")) {
    ok = cryptoVerify(digestOf(alg), input, { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, jws.signature);
  } else {
    ok = cryptoVerify(digestOf(alg), input, { key: key.key, dsaEncoding: "ieee-p1363" }, jws.signature);
  }
  if (!ok) throw new Error("signature does not verify with the given key");
  return { header: jws.header, payload: jws.payload };
}
