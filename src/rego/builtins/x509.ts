// crypto.x509.*: certificates and keys from PEM or base64 DER, reported in
// the shape of Go's x509.Certificate as OPA marshals it (the commonly read
// fields: Subject/Issuer names, SANs, validity, serial, CA flags).
import { certificateExtensions, keyUsages } from "./der.js";
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { builtinError } from "./errors.js";
import { decodeBase64Strict } from "./encoding.js";

const STD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
import type { ObjectValue, Value } from "./values.js";

export interface PemBlock {
  type: string;
  der: Buffer;
}

/** Go's pem.Decode over the whole text: every block, plus whether non-PEM text remains. */
export function pemBlocks(text: string): { blocks: PemBlock[]; rest: string } {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n((?:[A-Za-z0-9+/=\r\n\t ]|[A-Za-z-]+: [^\n]*\n)*?)-----END \1-----\r?\n?/g;
  const blocks: PemBlock[] = [];
  let last = 0;
  let rest = "";
  for (let m = re.exec(text); m; m = re.exec(text)) {
    rest += text.slice(last, m.index);
    last = re.lastIndex;
    const body = m[2]!.replace(/^[A-Za-z-]+: [^\n]*\n/gm, "").replace(/\s+/g, "");
    blocks.push({ type: m[1]!, der: Buffer.from(body, "base64") });
  }
  rest += text.slice(last);
  return { blocks, rest };
}

/** Concatenated DER values (a chain given as one blob), split at top-level elements. */
function splitDER(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    let len = buf[at + 1];
    let off = at + 2;
    if (len === undefined) break;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (buf[off + i] ?? 0);
      off += n;
    }
    const end = Math.min(buf.length, off + len);
    out.push(buf.subarray(at, end));
    at = end;
  }
  return out.length ? out : [buf];
}

/** Input as OPA takes it: PEM text, or base64 of PEM text or of DER bytes. */
export function certificateBlocks(input: string): PemBlock[] {
  let text = input;
  if (!input.includes("-----BEGIN")) {
    const raw = decodeBase64Strict(input, STD_ALPHABET);
    const asText = raw.toString("latin1");
    if (!asText.includes("-----BEGIN")) return splitDER(raw).map((der) => ({ type: "DER", der }));
    text = asText;
  }
  return pemBlocks(text).blocks;
}

const nameOids: Record<string, [string, number[]]> = {
  C: ["Country", [2, 5, 4, 6]],
  O: ["Organization", [2, 5, 4, 10]],
  OU: ["OrganizationalUnit", [2, 5, 4, 11]],
  L: ["Locality", [2, 5, 4, 7]],
  ST: ["Province", [2, 5, 4, 8]],
  street: ["StreetAddress", [2, 5, 4, 9]],
  postalCode: ["PostalCode", [2, 5, 4, 17]],
  serialNumber: ["SerialNumber", [2, 5, 4, 5]],
  CN: ["CommonName", [2, 5, 4, 3]],
};

/** pkix.Name from Node's "CN=x\nO=y" text (Go's JSON: nil lists are null). */
export function pkixName(text: string | undefined): ObjectValue {
  const out: ObjectValue = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: "",
    CommonName: "",
    Names: [],
    ExtraNames: null,
  };
  const names: Value[] = [];
  for (const line of (text ?? "").split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    const known = nameOids[key];
    if (!known) continue;
    const [field, oid] = known;
    names.push({ Type: oid, Value: value });
    if (field === "CommonName" || field === "SerialNumber") out[field] = value;
    else ((out[field] ??= []) as Value[]).push(value);
  }
  out["Names"] = names;
  return out;
}

function sans(cert: X509Certificate): { dns: string[] | null; email: string[] | null; ip: string[] | null; uri: string[] | null } {
  const dns: string[] = [];
  const email: string[] = [];
  const ip: string[] = [];
  const uri: string[] = [];
  for (const part of (cert.subjectAltName ?? "").split(/, (?=[A-Za-z ]+:)/)) {
    const colon = part.indexOf(":");
    if (colon < 0) continue;
    const kind = part.slice(0, colon);
    const value = part.slice(colon + 1).replace(/^"|"$/g, "");
    if (kind === "DNS") dns.push(value);
    else if (kind === "email") email.push(value);
    else if (kind === "IP Address") ip.push(value);
    else if (kind === "URI") uri.push(value);
  }
  const orNull = (a: string[]) => (a.length ? a : null);
  return { dns: orNull(dns), email: orNull(email), ip: orNull(ip), uri: orNull(uri) };
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");

function goURL(u: string): ObjectValue {
  try {
    const p = new URL(u);
    return { Scheme: p.protocol.replace(/:$/, ""), Opaque: "", User: null, Host: p.host, Path: decodeURIComponent(p.pathname), RawPath: "", OmitHost: false, ForceQuery: false, RawQuery: p.search.replace(/^\?/, ""), Fragment: p.hash.replace(/^#/, ""), RawFragment: "" };
  } catch {
    return { Scheme: "", Opaque: "", User: null, Host: "", Path: u, RawPath: "", OmitHost: false, ForceQuery: false, RawQuery: "", Fragment: "", RawFragment: "" };
  }
}

/** A certificate as OPA reports it. */
export function certificateObject(cert: X509Certificate): ObjectValue {
  const s = sans(cert);
  const extensions = certificateExtensions(cert.raw);
  return {
    Raw: cert.raw.toString("base64"),
    Version: 3,
    SerialNumber: Number(BigInt("0x" + cert.serialNumber)),
    Issuer: pkixName(cert.issuer),
    Subject: pkixName(cert.subject),
    NotBefore: rfc3339(new Date(cert.validFrom)),
    NotAfter: rfc3339(new Date(cert.validTo)),
    IsCA: cert.ca,
    BasicConstraintsValid: cert.ca,
    DNSNames: s.dns,
    EmailAddresses: s.email,
    IPAddresses: s.ip,
    URIs: s.uri ? s.uri.map(goURL) : null,
    URIStrings: s.uri,
    PublicKeyAlgorithm: ({ rsa: 1, dsa: 2, ec: 3, ed25519: 4 } as Record<string, number>)[cert.publicKey.asymmetricKeyType ?? ""] ?? 0,
    Extensions: extensions,
    ...keyUsages(extensions),
  };
}

export function parseCertificates(input: string): X509Certificate[] {
  const blocks = certificateBlocks(input).filter((b) => b.type === "CERTIFICATE" || b.type === "DER");
  return blocks.map((b) => {
    try {
      return new X509Certificate(b.der);
    } catch {
      throw builtinError("x509: malformed certificate");
    }
  });
}

/** Verify leaf → … → root, the input's first certificate being the root and the last the leaf. */
export function verifyChain(certs: X509Certificate[], options: { time?: Date; dnsName?: string } = {}): X509Certificate[] | undefined {
  if (certs.length < 2) return undefined;
  const root = certs[0]!;
  const leaf = certs[certs.length - 1]!;
  const intermediates = certs.slice(1, -1);
  const when = options.time ?? new Date();
  const valid = (c: X509Certificate) => new Date(c.validFrom) <= when && when <= new Date(c.validTo);
  if (options.dnsName && !leaf.checkHost(options.dnsName)) return undefined;
  const chain = [leaf];
  let cur = leaf;
  const pool = [...intermediates, root];
  for (let depth = 0; depth < 10; depth++) {
    if (!valid(cur)) return undefined;
    if (cur === root) return chain;
    const issuer = pool.find((c) => c !== cur && cur.checkIssued(c) && cur.verify(c.publicKey));
    if (!issuer || (issuer !== root && !issuer.ca)) return undefined;
    chain.push(issuer);
    cur = issuer;
  }
  return undefined;
}

export function privateKeyObjects(input: string): KeyObject[] {
  const text = input.includes("-----BEGIN") ? input : decodeBase64Strict(input, STD_ALPHABET).toString("latin1");
  return pemBlocks(text)
    .blocks.filter((b) => /PRIVATE KEY/.test(b.type))
    .map((b) => {
      const type = b.type === "RSA PRIVATE KEY" ? "pkcs1" : b.type === "EC PRIVATE KEY" ? "sec1" : "pkcs8";
      return createPrivateKey({ key: b.der, format: "der", type });
    });
}
