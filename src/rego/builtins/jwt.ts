// io.jwt.*: decode, verify (RS/PS/ES/HS/EdDSA with PEM certificates, PEM
// public keys, JWK or JWKS), decode_verify with OPA's constraint rules, and
// signing from a JWK. node:crypto does the cryptography.
import { createHmac, createPrivateKey, createPublicKey, createSecretKey, sign as cryptoSign, verify as cryptoVerify, timingSafeEqual, X509Certificate, constants, type KeyObject } from "node:crypto";
import { obj, str } from "./args.js";
import { builtinError } from "./errors.js";
import { decodeBase64Strict } from "./encoding.js";
import { goJSON } from "./json.js";
import { pemBlocks } from "./x509.js";
import { isObject, type ObjectValue, type Value } from "./values.js";
import type { BuiltinContext, BuiltinImpl } from "./types.js";

const URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** OPA's base64url.decode (padding restored, then strict). */
function b64url(s: string): Buffer {
  if (!s.endsWith("=")) {
    const rem = s.length % 4;
    if (rem === 2) s += "==";
    else if (rem === 3) s += "=";
    else if (rem !== 0) throw builtinError(`illegal base64url string: ${s}`);
  }
  return decodeBase64Strict(s, URL_ALPHABET);
}

const b64urlEncode = (b: Buffer | string) => Buffer.from(b).toString("base64url");

interface Token {
  header: string;
  payload: string;
  signature: string;
}

function splitToken(v: Value | undefined): Token {
  const s = str(v, 1);
  if (!s.includes(".")) throw builtinError("encoded JWT had no period separators");
  const parts = s.split(".");
  if (parts.length !== 3) throw builtinError(`encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]! };
}

function wrap<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw builtinError(`${prefix}${(e as Error).message}`);
  }
}

function jsonObject(text: string): ObjectValue {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw builtinError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(v)) throw builtinError("decoded JSON type was not an Object");
  return v;
}

function decodeHeader(t: Token): ObjectValue {
  const raw = wrap("JWT header had invalid encoding: ", () => b64url(t.header)).toString("utf8");
  let header: ObjectValue;
  try {
    header = jsonObject(raw);
  } catch (e) {
    throw builtinError(`bad JWT header: ${(e as Error).message}`);
  }
  if ("enc" in header) throw builtinError("JWT is a JWE object, which is not supported");
  return header;
}

function decodeSignature(t: Token): Buffer {
  return b64url(t.signature);
}

function decode(v: Value | undefined): Value {
  const t = splitToken(v);
  const header = decodeHeader(t);
  let payload = wrap("JWT payload had invalid encoding: ", () => b64url(t.payload)).toString("utf8");
  if (header["cty"] === "JWT") {
    payload = payload.replace(/^["']+|["']+$/g, "");
    return decode(payload);
  }
  const claims = jsonObject(payload);
  const sig = wrap("JWT signature had invalid encoding: ", () => b64url(t.signature));
  return [header, claims, sig.toString("hex")];
}

// ---- keys ----

interface VerificationKey {
  key: KeyObject;
  alg: string;
  kid: string;
}

const ALGORITHMS = new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"]);

function jwkToKey(jwk: ObjectValue): KeyObject {
  if (jwk["kty"] === "oct") {
    if (typeof jwk["k"] !== "string") throw new Error("invalid oct key");
    return createSecretKey(Buffer.from(jwk["k"] as string, "base64url"));
  }
  const isPrivate = "d" in jwk;
  const key = isPrivate ? createPrivateKey({ key: jwk as never, format: "jwk" }) : createPublicKey({ key: jwk as never, format: "jwk" });
  return key;
}

/** OPA's getKeysFromCertOrJWK. */
function keysFrom(certificate: string): VerificationKey[] {
  const { blocks, rest } = pemBlocks(certificate);
  if (blocks.length > 0) {
    if (blocks.length > 1 || rest.trim() !== "") throw builtinError("extra data after a PEM certificate block");
    const block = blocks[0]!;
    if (block.type === "CERTIFICATE") {
      try {
        return [{ key: new X509Certificate(block.der).publicKey, alg: "", kid: "" }];
      } catch (e) {
        throw builtinError(`failed to parse a PEM certificate: ${(e as Error).message}`);
      }
    }
    if (block.type === "PUBLIC KEY") {
      try {
        return [{ key: createPublicKey({ key: block.der, format: "der", type: "spki" }), alg: "", kid: "" }];
      } catch (e) {
        throw builtinError(`failed to parse a PEM public key: ${(e as Error).message}`);
      }
    }
    throw builtinError("failed to extract a Key from the PEM certificate");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(certificate);
    if (!isObject(parsed)) throw new Error("not a JSON object");
  } catch (e) {
    throw builtinError(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
  const list: unknown[] = Array.isArray(parsed["keys"]) ? (parsed["keys"] as unknown[]) : [parsed];
  const keys: VerificationKey[] = [];
  for (const k of list) {
    if (!isObject(k)) continue;
    const alg = typeof k["alg"] === "string" ? (k["alg"] as string) : "";
    if (alg && !ALGORITHMS.has(alg)) continue;
    let key: KeyObject;
    try {
      key = jwkToKey(k);
    } catch (e) {
      throw builtinError(`failed to parse a JWK key (set): ${(e as Error).message}`);
    }
    keys.push({ key, alg, kid: typeof k["kid"] === "string" ? (k["kid"] as string) : "" });
  }
  return keys;
}

// ---- algorithms ----

const hashOf = (alg: string) => ({ "256": "sha256", "384": "sha384", "512": "sha512" })[alg.slice(2)] as string;

/** Verify a signature with a key for a JWS algorithm; false on any mismatch. */
function verifyWith(alg: string, key: KeyObject, data: Buffer, sig: Buffer): boolean {
  try {
    const family = alg.slice(0, 2);
    if (alg === "EdDSA") return key.asymmetricKeyType === "ed25519" || key.asymmetricKeyType === "ed448" ? cryptoVerify(null, data, key, sig) : false;
    if (family === "HS") {
      if (key.type !== "secret") return false;
      const mac = createHmac(hashOf(alg), key.export()).update(data).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    if (key.type === "secret") return false;
    const pub = key.type === "private" ? createPublicKey(key) : key;
    if (family === "RS") return pub.asymmetricKeyType === "rsa" && cryptoVerify(hashOf(alg), data, { key: pub, padding: constants.RSA_PKCS1_PADDING }, sig);
    if (family === "PS") return (pub.asymmetricKeyType === "rsa" || pub.asymmetricKeyType === "rsa-pss") && cryptoVerify(hashOf(alg), data, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
    if (family === "ES") return pub.asymmetricKeyType === "ec" && cryptoVerify(hashOf(alg), data, { key: pub, dsaEncoding: "ieee-p1363" }, sig);
  } catch {
    return false;
  }
  return false;
}

/** io.jwt.verify_<alg>(token, certificate-or-JWK). */
function verifyAsymmetric(alg: string, jwt: Value | undefined, keyText: Value | undefined): boolean {
  const t = splitToken(jwt);
  const keys = keysFrom(str(keyText, 2));
  const sig = decodeSignature(t);
  const header = decodeHeader(t);
  const data = Buffer.from(`${t.header}.${t.payload}`);
  const kid = typeof header["kid"] === "string" ? header["kid"] : "";
  if (kid) {
    const k = keys.find((x) => x.kid === kid);
    if (k) return verifyWith(alg, k.key, data, sig);
  }
  const headerAlg = typeof header["alg"] === "string" ? header["alg"] : "";
  for (const k of keys) {
    if (k.alg && k.alg !== headerAlg) continue;
    if (verifyWith(alg, k.key, data, sig)) return true;
  }
  return false;
}

function verifyHMAC(alg: string, jwt: Value | undefined, secret: Value | undefined): boolean {
  str(jwt, 1);
  const s = str(secret, 2);
  const t = splitToken(jwt);
  const sig = decodeSignature(t);
  const mac = createHmac(hashOf(alg), Buffer.from(s, "utf8")).update(`${t.header}.${t.payload}`).digest();
  return mac.length === sig.length && timingSafeEqual(mac, sig);
}

// ---- decode_verify ----

interface Constraints {
  secret: string;
  alg: string;
  iss: string;
  aud: string;
  keys?: VerificationKey[];
  time: number;
}

function constraintsFrom(o: ObjectValue, nowNs: bigint): Constraints {
  const c: Constraints = { secret: "", alg: "", iss: "", aud: "", time: -1 };
  const strConstraint = (name: string, v: Value) => {
    if (typeof v !== "string") throw builtinError(`${name} constraint: must be a string`);
    return v;
  };
  for (const [name, v] of Object.entries(o)) {
    switch (name) {
      case "cert":
        if (typeof v !== "string") throw builtinError("cert constraint: must be a string");
        c.keys = keysFrom(v);
        break;
      case "secret":
      case "alg":
      case "iss":
      case "aud":
        c[name] = strConstraint(name, v);
        break;
      case "time":
        if (typeof v !== "number" && typeof v !== "bigint") throw builtinError("token time constraint: must be a number");
        if (Number(v) < 0) throw builtinError("token time constraint: must not be negative");
        c.time = Number(v);
        break;
      default:
        throw builtinError(`unknown token validation constraint: ${name}`);
    }
  }
  if (c.time === -1) c.time = Number(nowNs);
  const n = (c.keys ? 1 : 0) + (c.secret !== "" ? 1 : 0);
  if (n > 1) throw builtinError("duplicate key constraints");
  if (n < 1) throw builtinError("no key constraint");
  return c;
}

function headerValid(h: ObjectValue): { ok: boolean; alg: string; kid: string; cty: string } {
  const field = (k: string): string => {
    const v = h[k];
    if (v === undefined) return "";
    if (typeof v !== "string") throw builtinError(`${k}: must be a string`);
    return v;
  };
  const alg = field("alg");
  const kid = field("kid");
  field("typ");
  const cty = field("cty");
  let crit: Set<string> | undefined;
  if ("crit" in h) {
    const v = h["crit"];
    if (!Array.isArray(v)) throw builtinError("crit: must be a list");
    crit = new Set(v.filter((x): x is string => typeof x === "string"));
    if (crit.size === 0) throw builtinError("crit: must be a nonempty list");
  }
  const known = new Set(["alg", "kid", "typ", "cty", "crit"]);
  const unknownCritical = Object.keys(h).some((k) => !known.has(k) && crit?.has(k));
  return { ok: alg !== "" && !unknownCritical, alg, kid, cty };
}

function decodeVerify(jwt: Value | undefined, constraints: Value | undefined, nowNs: bigint): Value {
  const o = obj(constraints, 2);
  const unverified: Value = [false, {}, {}];
  const c = constraintsFrom(o, nowNs);
  let token: Value | undefined = jwt;
  let header: ObjectValue;
  let payloadText: string;
  for (;;) {
    const t = splitToken(token);
    header = decodeHeader(t);
    const h = headerValid(header);
    if (!h.ok) return unverified;
    if (c.alg !== "" && c.alg !== h.alg) return unverified;
    const sig = decodeSignature(t);
    const data = Buffer.from(`${t.header}.${t.payload}`);
    let verified = false;
    if (c.keys) {
      const byKid = h.kid ? c.keys.find((k) => k.kid === h.kid) : undefined;
      if (byKid) verified = ALGORITHMS.has(h.alg) && verifyWith(h.alg, byKid.key, data, sig);
      else verified = c.keys.some((k) => (k.alg === "" || k.alg === h.alg) && ALGORITHMS.has(h.alg) && verifyWith(h.alg, k.key, data, sig));
    } else verified = h.alg.startsWith("HS") && ALGORITHMS.has(h.alg) && verifyWith(h.alg, createSecretKey(Buffer.from(c.secret, "utf8")), data, sig);
    if (!verified) return unverified;
    payloadText = wrap("JWT payload had invalid encoding: ", () => b64url(t.payload)).toString("utf8");
    if (h.cty.toUpperCase() === "JWT") {
      token = payloadText;
      continue;
    }
    break;
  }
  const payload = jsonObject(payloadText);
  if (c.iss !== "") {
    if (payload["iss"] !== c.iss) return unverified;
  }
  if ("aud" in payload) {
    const aud = payload["aud"];
    const ok = typeof aud === "string" ? aud === c.aud : Array.isArray(aud) ? aud.some((x) => x === c.aud) : false;
    if (!ok) return unverified;
  } else if (c.aud !== "") return unverified;
  const nowSec = c.time / 1e9;
  if ("exp" in payload) {
    const exp = payload["exp"];
    if (typeof exp !== "number") throw builtinError("exp value must be a number");
    if (!(nowSec < exp)) return unverified;
  }
  if ("nbf" in payload) {
    const nbf = payload["nbf"];
    if (typeof nbf !== "number") throw builtinError("nbf value must be a number");
    if (nowSec < nbf) return unverified;
  }
  return [true, header, payload];
}

// ---- signing ----

/** The "alg" of a raw JWS header the way jwx's lazy header parser reports problems. */
function headerAlg(raw: string): string {
  const notFound = () => builtinError(`missing or invalid 'alg' header: jwsbb: header "alg" not found`);
  if (raw.trim() === "") throw builtinError("missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
  let h: unknown;
  try {
    h = JSON.parse(raw);
  } catch (e) {
    if (raw.trim().startsWith("{")) throw builtinError(`missing or invalid 'alg' header: cannot parse JSON: ${(e as Error).message}`);
    throw notFound();
  }
  if (!isObject(h) || typeof h["alg"] !== "string") throw notFound();
  return h["alg"] as string;
}

function signRaw(headerText: string, payloadText: string, jwkText: string): string {
  let jwks: unknown;
  try {
    jwks = JSON.parse(jwkText);
  } catch (e) {
    throw builtinError(`failed to parse JWK: ${(e as Error).message}`);
  }
  const list = isObject(jwks) && Array.isArray(jwks["keys"]) ? (jwks["keys"] as unknown[]) : [jwks];
  if (list.length === 0) throw builtinError("no keys found in JWK set");
  const jwk = list[0];
  if (!isObject(jwk)) throw builtinError("failed to get first key from JWK set");
  let key: KeyObject;
  try {
    key = jwkToKey(jwk);
  } catch (e) {
    throw builtinError(`failed to parse JWK: ${(e as Error).message}`);
  }
  const alg = headerAlg(headerText);
  if (!ALGORITHMS.has(alg)) throw builtinError(`unknown JWS algorithm: ${alg}`);
  let typ: unknown;
  try {
    typ = (JSON.parse(headerText) as ObjectValue)["typ"];
  } catch {
    typ = undefined;
  }
  const payloadIsJSON = (() => {
    try {
      JSON.parse(payloadText);
      return true;
    } catch {
      return false;
    }
  })();
  if ((typeof typ !== "string" || typ === "JWT") && !payloadIsJSON) throw builtinError("type is JWT but payload is not JSON");
  const signingInput = `${b64urlEncode(headerText)}.${b64urlEncode(payloadText)}`;
  const data = Buffer.from(signingInput);
  let sig: Buffer;
  const family = alg.slice(0, 2);
  try {
    if (family === "HS") {
      if (key.type !== "secret") throw new Error("invalid key type for HMAC");
      sig = createHmac(hashOf(alg), key.export()).update(data).digest();
    } else if (alg === "EdDSA") sig = cryptoSign(null, data, key);
    else if (family === "RS") sig = cryptoSign(hashOf(alg), data, { key, padding: constants.RSA_PKCS1_PADDING });
    else if (family === "PS") sig = cryptoSign(hashOf(alg), data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    else sig = cryptoSign(hashOf(alg), data, { key, dsaEncoding: "ieee-p1363" });
  } catch (e) {
    throw builtinError(`failed to sign payload: ${(e as Error).message}`);
  }
  return `${signingInput}.${b64urlEncode(sig)}`;
}

export function jwtBuiltins(ctx: BuiltinContext): Record<string, BuiltinImpl> {
  const out: Record<string, BuiltinImpl> = {
    "io.jwt.decode": (t) => decode(t),
    "io.jwt.decode_verify": (t, c) => decodeVerify(t, c, ctx.now()),
    "io.jwt.encode_sign_raw"(h, p, k) {
      const key = str(k, 3);
      return signRaw(str(h, 1), str(p, 2), key);
    },
    "io.jwt.encode_sign"(h, p, k) {
      return signRaw(goJSON(h), goJSON(p), goJSON(k));
    },
    "io.jwt.verify_eddsa": (t, k) => verifyAsymmetric("EdDSA", t, k),
  };
  for (const bits of ["256", "384", "512"]) {
    for (const fam of ["rs", "ps", "es"]) out[`io.jwt.verify_${fam}${bits}`] = (t, k) => verifyAsymmetric(`${fam.toUpperCase()}${bits}`, t, k);
    out[`io.jwt.verify_hs${bits}`] = (t, k) => verifyHMAC(`HS${bits}`, t, k);
  }
  return out;
}
