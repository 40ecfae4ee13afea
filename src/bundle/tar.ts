// A small tar (POSIX ustar + pax) encoder and a strict decoder for bundles.
//
// Why our own instead of tar-stream: bundles are small and held in memory, so
// a streaming API buys nothing; the writer must be byte-for-byte deterministic
// (no mtimes, owners or host details), and the reader must refuse, before
// allocating, anything a bundle has no business holding — links, devices,
// traversal, duplicates, oversized entries. Both are about 200 lines here;
// getting those guarantees out of a general-purpose library would not be less.
// The reader accepts what Go's archive/tar writes for OPA (ustar, pax `path`
// and `size` records, GNU long names).
import { BundleError } from "./errors.js";
import { normalizeEntryName } from "./paths.js";

const BLOCK = 512;

export interface TarEntry {
  name: string;
  data: Uint8Array;
}

export interface TarLimits {
  /** most entries a bundle may hold */
  maxFiles: number;
  /** largest single file */
  maxFileBytes: number;
  /** largest sum of file sizes */
  maxTotalBytes: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new Error(`tar: field too long: ${value}`);
  block.set(bytes, offset);
}

function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  // length-1 octal digits, then NUL
  writeString(block, offset, length, value.toString(8).padStart(length - 1, "0") + "\0");
}

function header(name: string, prefix: string, size: number, type: string): Uint8Array {
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, 0o600);
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0); // mtime: none, for reproducible bundles
  h.fill(0x20, 148, 156); // checksum is computed over spaces
  writeString(h, 156, 1, type);
  writeString(h, 257, 6, "ustar\0");
  writeString(h, 263, 2, "00");
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/** Splits a name into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a
 *  slash, or returns undefined when it cannot be split. */
function splitUstarName(name: string): { prefix: string; name: string } | undefined {
  if (encoder.encode(name).length <= 100) return { prefix: "", name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== "/") continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(rest).length <= 100 && rest.length > 0) return { prefix, name: rest };
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  // "<len> key=value\n", where len counts the bytes of the whole record,
  // its own digits included
  const body = ` ${key}=${value}\n`;
  const n = encoder.encode(body).length;
  let len = n + 1;
  while (String(len).length + n !== len) len = n + String(len).length;
  return `${len}${body}`;
}

function padded(data: Uint8Array): Uint8Array[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, new Uint8Array(BLOCK - rest)];
}

/** A tar archive of the entries, in the order given. Names are written as
 *  given (OPA writes them with a leading slash). */
export function encodeTar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const split = splitUstarName(e.name);
    if (split) {
      parts.push(header(split.name, split.prefix, e.data.length, "0"));
    } else {
      const pax = encoder.encode(paxRecord("path", e.name));
      parts.push(header("PaxHeaders/entry", "", pax.length, "x"), ...padded(pax));
      parts.push(header("long-name", "", e.data.length, "0")); // the pax path wins
    }
    parts.push(...padded(e.data));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && block[end] !== 0) end++;
  return decoder.decode(block.subarray(offset, end));
}

function readNumber(block: Uint8Array, offset: number, length: number, field: string): number {
  if (block[offset]! & 0x80) {
    // GNU base-256: only ever needed beyond 8 GiB, far past any limit
    throw new BundleError(`tar: ${field} in base-256 form (entry too large)`);
  }
  const text = readString(block, offset, length).replace(/[ \0]+$/, "").trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new BundleError(`tar: bad ${field} field "${text}"`);
  return parseInt(text, 8);
}

function checksumOk(h: Uint8Array): boolean {
  const stored = readNumber(h, 148, 8, "checksum");
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function parsePax(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    let sp = i;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = Number(decoder.decode(data.subarray(i, sp)));
    if (!Number.isInteger(len) || len <= sp - i || i + len > data.length) throw new BundleError("tar: malformed pax header");
    const record = decoder.decode(data.subarray(sp + 1, i + len));
    const eq = record.indexOf("=");
    if (eq < 0 || !record.endsWith("\n")) throw new BundleError("tar: malformed pax record");
    records.set(record.slice(0, eq), record.slice(eq + 1, -1));
    i += len;
  }
  return records;
}

const REGULAR = new Set(["0", "\0", "7"]);
const LINK_OR_SPECIAL: Record<string, string> = { "1": "hard link", "2": "symbolic link", "3": "character device", "4": "block device", "6": "FIFO" };

/**
 * The regular files of a tar archive, names normalized (leading `/` and `./`
 * removed) and checked. Throws BundleError on links, devices, unknown entry
 * types, path traversal, duplicate names, truncation and sizes beyond the
 * limits — before reading the offending entry's contents.
 */
export function decodeTar(bytes: Uint8Array, limits: TarLimits): TarEntry[] {
  const entries: TarEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let off = 0;
  let pending: { path?: string; size?: number } = {};
  while (off + BLOCK <= bytes.length) {
    const h = bytes.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break; // end of archive
    if (!checksumOk(h)) throw new BundleError(`tar: bad header checksum at offset ${off}`);
    const type = String.fromCharCode(h[156]!);
    let size = readNumber(h, 124, 12, "size");
    if (pending.size !== undefined && REGULAR.has(type)) size = pending.size;
    const dataStart = off + BLOCK;
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    const headerLimit = 1 << 20;
    if (type === "x" || type === "g" || type === "L" || type === "K") {
      if (size > headerLimit) throw new BundleError(`tar: extended header of ${size} bytes`);
      if (dataStart + size > bytes.length) throw new BundleError("tar: truncated archive");
      const data = bytes.subarray(dataStart, dataStart + size);
      if (type === "x") {
        const pax = parsePax(data);
        if (pax.has("path")) pending.path = pax.get("path")!;
        if (pax.has("size")) {
          const s = Number(pax.get("size"));
          if (!Number.isSafeInteger(s) || s < 0) throw new BundleError("tar: bad pax size");
          pending.size = s;
        }
      } else if (type === "L") {
        pending.path = readString(data, 0, data.length);
      }
      off = next;
      continue;
    }
    let rawName = readString(h, 0, 100);
    const magic = readString(h, 257, 6);
    if (magic === "ustar") {
      const prefix = readString(h, 345, 155);
      if (prefix) rawName = `${prefix}/${rawName}`;
    }
    if (pending.path !== undefined) rawName = pending.path;
    pending = {};
    if (type === "5") {
      off = next;
      continue; // directories carry nothing
    }
    if (!REGULAR.has(type)) {
      const what = LINK_OR_SPECIAL[type] ?? `entry type '${type}'`;
      throw new BundleError(`tar: ${rawName}: ${what} not allowed in a bundle`, [{ file: rawName, problem: "unsupported" }]);
    }
    const name = normalizeEntryName(rawName);
    if (seen.has(name)) throw new BundleError(`tar: ${name}: appears more than once`, [{ file: name, problem: "duplicate" }]);
    seen.add(name);
    if (entries.length + 1 > limits.maxFiles) throw new BundleError(`tar: more than ${limits.maxFiles} files`);
    if (size > limits.maxFileBytes) throw new BundleError(`tar: ${name}: ${size} bytes exceeds the ${limits.maxFileBytes}-byte file limit`, [{ file: name, problem: "too_large" }]);
    total += size;
    if (total > limits.maxTotalBytes) throw new BundleError(`tar: contents exceed ${limits.maxTotalBytes} bytes`);
    if (dataStart + size > bytes.length) throw new BundleError(`tar: ${name}: truncated`, [{ file: name, problem: "truncated" }]);
    entries.push({ name, data: bytes.slice(dataStart, dataStart + size) });
    off = next;
  }
  if (off + BLOCK > bytes.length && off < bytes.length && !bytes.subarray(off).every((b) => b === 0)) {
    throw new BundleError("tar: trailing partial block");
  }
  return entries;
}
