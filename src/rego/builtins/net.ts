// net.cidr_* with Go's net package rules (strict IPv4 octets, IPv4-mapped
// IPv6 printed as IPv4, RFC 5952 IPv6 text) and OPA's merge algorithm;
// net.lookup_ip_addr is refused unless the operator enabled it.
import { str } from "./args.js";
import { builtinError } from "./errors.js";
import { toSet, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

/** An address: its value and width (32 or 128 bits). */
export interface IP {
  v: bigint;
  bits: 32 | 128;
}

interface Net {
  ip: IP;
  prefix: number;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  // an embedded IPv4 in the last 32 bits becomes two hex groups
  if (s.includes(".")) {
    const lastColon = s.lastIndexOf(":");
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = s.slice(0, lastColon + 1) + (v4 >> 16n).toString(16) + ":" + (v4 & 0xffffn).toString(16);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string): bigint[] | undefined => {
    if (h === "") return [];
    const out: bigint[] = [];
    for (const g of h.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt("0x" + g));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const total = head.length + rest.length;
  let all: bigint[];
  if (halves.length === 2) {
    if (total > 7) return undefined;
    all = [...head, ...Array<bigint>(8 - total).fill(0n), ...rest];
  } else {
    if (total !== 8) return undefined;
    all = head;
  }
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

const V4_MAPPED = 0xffffn << 32n;

/** Go's net.ParseIP; IPv4-mapped IPv6 addresses count as IPv4 (To4). */
export function parseIP(s: string): IP | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { v: v4, bits: 32 };
  if (!s.includes(":")) return undefined;
  const v6 = parseIPv6(s);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v: v6 & 0xffffffffn, bits: 32 };
  return { v: v6, bits: 128 };
}

const mask = (bits: number, prefix: number): bigint => ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);

/** Go's net.ParseCIDR: the network (address masked) or Go's error text. */
function parseCIDR(s: string): Net {
  const slash = s.lastIndexOf("/");
  const bad = () => builtinError(`invalid CIDR address: ${s}`);
  if (slash < 0) throw bad();
  const addr = s.slice(0, slash);
  const len = s.slice(slash + 1);
  let ip: IP | undefined;
  const v4 = parseIPv4(addr);
  if (v4 !== undefined) ip = { v: v4, bits: 32 };
  else if (addr.includes(":")) {
    const v6 = parseIPv6(addr);
    if (v6 !== undefined) ip = { v: v6, bits: 128 };
  }
  if (!ip || !/^\d+$/.test(len) || Number(len) > ip.bits) throw bad();
  const prefix = Number(len);
  // an IPv4-mapped network in IPv6 notation behaves as IPv4 when it can
  if (ip.bits === 128 && ip.v >> 32n === 0xffffn && prefix >= 96) {
    return { ip: { v: ip.v & 0xffffffffn & mask(32, prefix - 96), bits: 32 }, prefix: prefix - 96 };
  }
  return { ip: { v: ip.v & mask(ip.bits, prefix), bits: ip.bits }, prefix };
}

const lastOf = (n: Net): bigint => n.ip.v | ((1n << BigInt(n.ip.bits - n.prefix)) - 1n);
const contains = (n: Net, ip: IP): boolean => n.ip.bits === ip.bits && (ip.v & mask(n.ip.bits, n.prefix)) === n.ip.v;

/** Go's IP.String(). */
export function ipString(ip: IP): string {
  if (ip.bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((ip.v >> s) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.v >> BigInt(112 - 16 * i)) & 0xffffn));
  // the longest run of two or more zero groups becomes "::"
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(":");
  if (best < 0) return hex(groups);
  return hex(groups.slice(0, best)) + "::" + hex(groups.slice(best + bestLen));
}

const netString = (n: Net) => `${ipString(n.ip)}/${n.prefix}`;

function cidrContains(a: Value | undefined, b: Value | undefined): boolean {
  const net = parseCIDR(str(a, 1));
  const other = str(b, 1);
  const ip = parseIP(other);
  if (ip) return contains(net, ip);
  let inner: Net;
  try {
    inner = parseCIDR(other);
  } catch {
    throw builtinError(`not a valid textual representation of an IP address or CIDR: ${other}`);
  }
  return contains(net, inner.ip) && contains(net, { v: lastOf(inner), bits: inner.ip.bits });
}

/** Elements of a contains_matches operand: [cidr, key] pairs (sets arrive as arrays: keyed by index). */
function matchTerms(v: Value | undefined, operand: number): [string, Value][] {
  const cidrOf = (x: Value): string => {
    if (typeof x === "string") return x;
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === "string") return x[0];
    if (Array.isArray(x) && x.length > 0) return x[0] as string;
    throw builtinError(`operand ${operand}: element must be string or non-empty array`);
  };
  if (typeof v === "string") return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [cidrOf(x), i]);
  if (v !== null && typeof v === "object") return Object.entries(v).map(([k, x]) => [cidrOf(x), k]);
  return [];
}

/** A merge input: a CIDR, or a bare IPv4 address taken with its classful mask (as Go's DefaultMask). */
function mergeInput(x: Value): { first: bigint; last: bigint; bits: 32 | 128; net?: Net } {
  if (typeof x !== "string") throw builtinError("element must be string");
  const ip = parseIP(x);
  let net: Net;
  if (ip) {
    if (ip.bits === 128) throw builtinError("IPv6 invalid: needs prefix length");
    const top = Number(ip.v >> 24n);
    const prefix = top < 0x80 ? 8 : top < 0xc0 ? 16 : 24;
    const first = ip.v & mask(32, prefix);
    return { first, last: first | ((1n << BigInt(32 - prefix)) - 1n), bits: 32, net: { ip: { v: ip.v, bits: 32 }, prefix } };
  }
  net = parseCIDR(x);
  return { first: net.ip.v, last: lastOf(net), bits: net.ip.bits, net };
}

/** The fewest CIDRs covering [first, last]. */
function rangeToCIDRs(first: bigint, last: bigint, bits: 32 | 128): Net[] {
  const out: Net[] = [];
  let cur = first;
  while (cur <= last) {
    let size = 0;
    while (size < bits) {
      const block = 1n << BigInt(size + 1);
      if ((cur & (block - 1n)) !== 0n || cur + block - 1n > last) break;
      size++;
    }
    out.push({ ip: { v: cur, bits }, prefix: bits - size });
    cur += 1n << BigInt(size);
  }
  return out;
}

function merge(list: Value): string[] {
  if (!Array.isArray(list)) throw builtinError("operand must be an array");
  const ranges = list.map(mergeInput);
  // IPv4 sorts before IPv6 (Go compares the 16-byte forms)
  const key = (r: { first: bigint; last: bigint; bits: number }) => (r.bits === 32 ? V4_MAPPED | r.last : r.last);
  const keyFirst = (r: { first: bigint; bits: number }) => (r.bits === 32 ? V4_MAPPED | r.first : r.first);
  ranges.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : keyFirst(a) < keyFirst(b) ? -1 : keyFirst(a) > keyFirst(b) ? 1 : 0));
  for (let i = ranges.length - 1; i > 0; i--) {
    const cur = ranges[i]!;
    const prev = ranges[i - 1]!;
    if (cur.bits !== prev.bits) continue;
    if (cur.first - 1n <= prev.last) {
      ranges[i - 1] = { first: prev.first < cur.first ? prev.first : cur.first, last: cur.last, bits: cur.bits };
      ranges.splice(i, 1);
    }
  }
  const out: string[] = [];
  for (const r of ranges) {
    if (r.net) out.push(netString(r.net));
    else out.push(...rangeToCIDRs(r.first, r.last, r.bits).map(netString));
  }
  return toSet(out) as string[];
}

const EXPAND_LIMIT = 1n << 20n;

export function netBuiltins(opts: { netLookup: boolean; lookup?: (host: string) => string[] }): Record<string, BuiltinImpl> {
  return {
    "net.cidr_contains": (a, b) => cidrContains(a, b),
    "net.cidr_overlap": (a, b) => cidrContains(a, b),
    "net.cidr_intersects"(a, b) {
      const x = parseCIDR(str(a, 1));
      const y = parseCIDR(str(b, 1));
      return contains(x, y.ip) || contains(y, x.ip);
    },
    "net.cidr_is_valid"(s) {
      if (typeof s !== "string") return false;
      try {
        parseCIDR(s);
        return true;
      } catch {
        return false;
      }
    },
    "net.cidr_expand"(s) {
      const n = parseCIDR(str(s, 1));
      const count = 1n << BigInt(n.ip.bits - n.prefix);
      // OPA stops only on cancellation; a host builtin has none, so bound it
      if (count > EXPAND_LIMIT) throw builtinError(`too many addresses in ${s as string} (more than ${EXPAND_LIMIT})`);
      const out: string[] = [];
      for (let i = 0n; i < count; i++) out.push(ipString({ v: n.ip.v + i, bits: n.ip.bits }));
      return toSet(out);
    },
    "net.cidr_merge": (list) => merge(list!),
    "net.cidr_contains_matches"(a, b) {
      const left = matchTerms(a, 1);
      const right = matchTerms(b, 2);
      const out: Value[] = [];
      for (const [c1, k1] of left) for (const [c2, k2] of right) if (cidrContains(c1, c2)) out.push([k1, k2]);
      return toSet(out);
    },
    "net.lookup_ip_addr"(name) {
      const host = str(name, 1);
      // an address literal resolves to itself without any network I/O
      const literal = parseIP(host);
      if (literal) return [ipString(literal)];
      if (!opts.netLookup || !opts.lookup) throw builtinError("network lookups are disabled (enable the netLookup capability to allow them)");
      return toSet(opts.lookup(host));
    },
  };
}

