// The policy's static data, laid out for one passive data segment that the
// start function copies to `base`: interned Rego values (strings, booleans,
// null, integers) that generated code uses by address, table slots that the
// start function fills (constants), and raw bytes (JSON texts, messages).
import { ByteWriter } from "./encoder.js";

const T_NULL = 1;
const T_BOOLEAN = 2;
const T_NUMBER = 3;
const T_STRING = 4;

const utf8 = new TextEncoder();

export class DataLayout {
  private w = new ByteWriter(1024);
  private strings = new Map<string, number>();
  private cstrings = new Map<string, number>();
  private ints = new Map<number, number>();
  private bools: [number, number] | undefined;
  private nullAddr = 0;

  constructor(readonly base: number) {}

  get size(): number {
    return this.w.len;
  }

  get end(): number {
    return this.base + this.w.len;
  }

  bytes(): Uint8Array {
    return this.w.result();
  }

  private align(n: number): void {
    while (this.w.len % n !== 0) this.w.u8(0);
  }

  private u32(v: number): void {
    const w = this.w;
    w.u8(v & 0xff);
    w.u8((v >>> 8) & 0xff);
    w.u8((v >>> 16) & 0xff);
    w.u8((v >>> 24) & 0xff);
  }

  /** A zero-initialised u32 slot; returns its address. */
  slot(): number {
    this.align(4);
    const addr = this.end;
    this.u32(0);
    return addr;
  }

  /** Raw bytes; returns their address. */
  raw(b: Uint8Array): number {
    const addr = this.end;
    this.w.bytes(b);
    return addr;
  }

  /** A NUL-terminated UTF-8 string (deduplicated). */
  cstring(s: string): number {
    let addr = this.cstrings.get(s);
    if (addr === undefined) {
      addr = this.raw(utf8.encode(s));
      this.w.u8(0);
      this.cstrings.set(s, addr);
    }
    return addr;
  }

  /** An interned string value (deduplicated). */
  string(s: string): number {
    let addr = this.strings.get(s);
    if (addr === undefined) {
      const bytes = utf8.encode(s);
      this.align(8);
      addr = this.end;
      this.u32(T_STRING);
      this.u32(bytes.length);
      this.u32(addr + 16);
      this.u32(0); // hash, computed on first use
      this.w.bytes(bytes);
      this.strings.set(s, addr);
    }
    return addr;
  }

  boolean(b: boolean): number {
    if (!this.bools) {
      this.align(8);
      const t = this.end;
      this.u32(T_BOOLEAN);
      this.u32(1);
      const f = this.end;
      this.u32(T_BOOLEAN);
      this.u32(0);
      this.bools = [t, f];
    }
    return b ? this.bools[0] : this.bools[1];
  }

  null(): number {
    if (!this.nullAddr) {
      this.align(8);
      this.nullAddr = this.end;
      this.u32(T_NULL);
      this.u32(0);
    }
    return this.nullAddr;
  }

  /** An interned number value holding a 32-bit integer. */
  int(v: number): number {
    let addr = this.ints.get(v);
    if (addr === undefined) {
      this.align(8);
      addr = this.end;
      this.u32(T_NUMBER);
      this.u32(0); // kind: f64
      this.w.f64(v);
      this.ints.set(v, addr);
    }
    return addr;
  }

  /** An array of u32 words (e.g. value addresses); returns its address. */
  words(values: number[]): number {
    this.align(4);
    const addr = this.end;
    for (const v of values) this.u32(v);
    return addr;
  }
}
