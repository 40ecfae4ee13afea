// Just enough DER to read what node:crypto's X509Certificate does not expose
// and Go's x509.Certificate does: the extensions of the TBSCertificate.
import type { ObjectValue } from "./values.js";

interface Tlv {
  tag: number;
  /** content bytes */
  body: Buffer;
  /** offset just past this element */
  end: number;
}

function readTlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  if (p + len > buf.length) throw new Error("DER: element runs past its container");
  return { tag, body: buf.subarray(p, p + len), end: p + len };
}

function children(body: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let p = 0; p < body.length; ) {
    const t = readTlv(body, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

function oidArcs(body: Buffer): number[] {
  const arcs: number[] = [];
  let v = 0;
  for (const b of body) {
    v = v * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
    else arcs.push(v);
    v = 0;
  }
  return arcs;
}

const SEQUENCE = 0x30;
const BOOLEAN = 0x01;
const EXTENSIONS = 0xa3; // [3] EXPLICIT in TBSCertificate

/** The certificate's extensions as Go's pkix.Extension marshals to JSON:
 *  {Id: [arcs], Critical, Value: base64}; null when it has none. */
export function certificateExtensions(der: Buffer): ObjectValue[] | null {
  const cert = readTlv(der, 0);
  const tbs = children(cert.body)[0];
  if (!tbs || tbs.tag !== SEQUENCE) return null;
  const ext = children(tbs.body).find((t) => t.tag === EXTENSIONS);
  if (!ext) return null;
  const list = children(ext.body)[0];
  if (!list) return null;
  return children(list.body).map((e) => {
    const parts = children(e.body);
    const critical = parts.length === 3 && parts[1]!.tag === BOOLEAN && parts[1]!.body[0] !== 0;
    return { Id: oidArcs(parts[0]!.body), Critical: critical, Value: parts[parts.length - 1]!.body.toString("base64") };
  });
}

const KEY_USAGE = "2.5.29.15";
const EXT_KEY_USAGE = "2.5.29.37";

/** Go's x509.ExtKeyUsage numbering of the extended key usages it knows. */
const EXT_KEY_USAGES: Record<string, number> = {
  "2.5.29.37.0": 0,
  "1.3.6.1.5.5.7.3.1": 1,
  "1.3.6.1.5.5.7.3.2": 2,
  "1.3.6.1.5.5.7.3.3": 3,
  "1.3.6.1.5.5.7.3.4": 4,
  "1.3.6.1.5.5.7.3.5": 5,
  "1.3.6.1.5.5.7.3.6": 6,
  "1.3.6.1.5.5.7.3.7": 7,
  "1.3.6.1.5.5.7.3.8": 8,
  "1.3.6.1.5.5.7.3.9": 9,
  "1.3.6.1.4.1.311.10.3.3": 10,
  "2.16.840.1.113730.4.1": 11,
  "1.3.6.1.4.1.311.2.1.22": 12,
  "1.3.6.1.4.1.311.61.1.1": 13,
};

/** Go's KeyUsage, ExtKeyUsage and UnknownExtKeyUsage fields, read from the
 *  extensions (bit i of the key usage BIT STRING is 1 << i). */
export function keyUsages(exts: ObjectValue[] | null): { KeyUsage: number; ExtKeyUsage: number[] | null; UnknownExtKeyUsage: number[][] | null } {
  let keyUsage = 0;
  const known: number[] = [];
  const unknown: number[][] = [];
  for (const e of exts ?? []) {
    const id = (e["Id"] as number[]).join(".");
    const value = Buffer.from(e["Value"] as string, "base64");
    if (id === KEY_USAGE) {
      const bits = readTlv(value, 0).body.subarray(1);
      for (let i = 0; i < bits.length * 8 && i < 32; i++) if (bits[i >> 3]! & (0x80 >> (i & 7))) keyUsage |= 1 << i;
    } else if (id === EXT_KEY_USAGE) {
      for (const oid of children(readTlv(value, 0).body)) {
        const arcs = oidArcs(oid.body);
        const n = EXT_KEY_USAGES[arcs.join(".")];
        if (n === undefined) unknown.push(arcs);
        else known.push(n);
      }
    }
  }
  return { KeyUsage: keyUsage, ExtKeyUsage: known.length ? known : null, UnknownExtKeyUsage: unknown.length ? unknown : null };
}
