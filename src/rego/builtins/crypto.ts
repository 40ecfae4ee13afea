// crypto.*: digests and HMACs over the UTF-8 bytes of strings (hex output),
// and the x509/key parsers (see x509.ts).
import { createHash, createHmac, timingSafeEqual, X509Certificate } from "node:crypto";
import { obj, str } from "./args.js";
import { builtinError } from "./errors.js";
import { certificateBlocks, certificateObject, parseCertificates, pkixName, privateKeyObjects, verifyChain } from "./x509.js";
import type { ObjectValue, Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const digest = (alg: string) => (s: Value | undefined) => createHash(alg).update(str(s, 1), "utf8").digest("hex");
const hmac = (alg: string) => (s: Value | undefined, k: Value | undefined) => createHmac(alg, Buffer.from(str(k, 2), "utf8")).update(str(s, 1), "utf8").digest("hex");

function keyJWK(key: ReturnType<typeof privateKeyObjects>[number]): ObjectValue {
  return key.export({ format: "jwk" }) as ObjectValue;
}

function parseAndVerify(input: string, options: ObjectValue = {}): Value {
  let certs: X509Certificate[];
  try {
    certs = parseCertificates(input);
  } catch {
    return [false, []];
  }
  let time: Date | undefined;
  const t = options["CurrentTime"];
  if (typeof t === "number") time = new Date(t / 1e6);
  const dnsName = typeof options["DNSName"] === "string" ? (options["DNSName"] as string) : undefined;
  const chain = verifyChain(certs, { time, dnsName });
  return chain ? [true, chain.map(certificateObject)] : [false, []];
}

export const cryptoBuiltins: Record<string, BuiltinImpl> = {
  "crypto.md5": digest("md5"),
  "crypto.sha1": digest("sha1"),
  "crypto.sha256": digest("sha256"),
  "crypto.hmac.md5": hmac("md5"),
  "crypto.hmac.sha1": hmac("sha1"),
  "crypto.hmac.sha256": hmac("sha256"),
  "crypto.hmac.sha512": hmac("sha512"),
  "crypto.hmac.equal"(a, b) {
    const x = Buffer.from(str(a, 1), "utf8");
    const y = Buffer.from(str(b, 2), "utf8");
    return x.length === y.length && timingSafeEqual(x, y);
  },
  "crypto.x509.parse_certificates": (s) => parseCertificates(str(s, 1)).map(certificateObject),
  "crypto.x509.parse_and_verify_certificates": (s) => parseAndVerify(str(s, 1)),
  "crypto.x509.parse_and_verify_certificates_with_options": (s, o) => parseAndVerify(str(s, 1), obj(o, 2)),
  "crypto.x509.parse_certificate_request"(s) {
    const input = str(s, 1);
    const blocks = certificateBlocks(input);
    const csr = blocks.find((b) => b.type === "CERTIFICATE REQUEST" || b.type === "NEW CERTIFICATE REQUEST" || b.type === "DER");
    if (!csr) throw builtinError("asn1: structure error: failed to parse certificate request");
    return csrObject(csr.der);
  },
  "crypto.x509.parse_keypair"(c, k) {
    const certs = parseCertificates(str(c, 1));
    const keyText = str(k, 2);
    const keys = privateKeyObjects(keyText);
    if (certs.length === 0) throw builtinError("tls: failed to find any PEM data in certificate input");
    if (keys.length === 0) throw builtinError("tls: failed to find any PEM data in key input");
    if (!certs[0]!.checkPrivateKey(keys[0]!)) throw builtinError("tls: private key does not match public key");
    return { Certificate: certs.map((x) => x.raw.toString("base64")), PrivateKey: keyJWK(keys[0]!), Leaf: certificateObject(certs[0]!) };
  },
  "crypto.x509.parse_rsa_private_key"(s) {
    const input = str(s, 1);
    const keys = privateKeyObjects(input).filter((x) => x.asymmetricKeyType === "rsa");
    if (keys.length === 0) throw builtinError("failed to parse RSA private key");
    return keyJWK(keys[0]!);
  },
  "crypto.parse_private_keys"(s) {
    const input = str(s, 1);
    if (input === "") return null;
    try {
      return privateKeyObjects(input).map(keyJWK);
    } catch {
      return [];
    }
  },
};

// ---- certificate requests: a minimal DER walk for the subject and SANs ----

interface Tlv {
  tag: number;
  start: number;
  end: number;
  body: Buffer;
}

function readTlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let off = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + i]!;
    off += n;
  }
  if (off + len > buf.length) throw builtinError("asn1: structure error: length too large");
  return { tag, start: at, end: off + len, body: buf.subarray(off, off + len) };
}

function children(t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < t.body.length; ) {
    const c = readTlv(t.body, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

function oidText(b: Buffer): string {
  const parts = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

const shortNames: Record<string, string> = {
  "2.5.4.6": "C",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "street",
  "2.5.4.17": "postalCode",
  "2.5.4.5": "serialNumber",
  "2.5.4.3": "CN",
};

function csrObject(der: Buffer): ObjectValue {
  let info: Tlv[];
  try {
    const top = readTlv(der, 0);
    info = children(children(top)[0]!);
  } catch {
    throw builtinError("asn1: structure error: failed to parse certificate request");
  }
  const lines: string[] = [];
  for (const rdn of children(info[1]!)) {
    for (const atv of children(rdn)) {
      const [oid, value] = children(atv);
      const name = shortNames[oidText(oid!.body)];
      if (name) lines.push(`${name}=${value!.body.toString("utf8")}`);
    }
  }
  const subject = pkixName(lines.join("\n"));
  return { Raw: der.toString("base64"), Version: 0, Subject: subject, DNSNames: null, EmailAddresses: null, IPAddresses: null, URIs: null };
}
