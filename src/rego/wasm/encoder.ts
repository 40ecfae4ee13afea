// A growable byte buffer with the encodings of the Wasm binary format
// (LEB128 integers, little-endian floats, length-prefixed vectors).
export class ByteWriter {
  buf: Uint8Array;
  len = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  private reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(b: number): void {
    if (this.len >= this.buf.length) this.reserve(1);
    this.buf[this.len++] = b;
  }

  u32(v: number): void {
    this.reserve(5);
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.buf[this.len++] = b;
    } while (v !== 0);
  }

  s32(v: number): void {
    this.reserve(5);
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.buf[this.len++] = b;
        return;
      }
      this.buf[this.len++] = b | 0x80;
    }
  }

  s64(v: bigint): void {
    this.reserve(10);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.buf[this.len++] = b;
        return;
      }
      this.buf[this.len++] = b | 0x80;
    }
  }

  f64(v: number): void {
    this.reserve(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, v, true);
    this.len += 8;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A length-prefixed UTF-8 name. */
  name(s: string): void {
    const b = utf8.encode(s);
    this.u32(b.length);
    this.bytes(b);
  }

  /** A length-prefixed copy of another writer's bytes. */
  sized(w: ByteWriter): void {
    this.u32(w.len);
    this.reserve(w.len);
    this.buf.set(w.buf.subarray(0, w.len), this.len);
    this.len += w.len;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

const utf8 = new TextEncoder();

/** Bytes needed for v as unsigned LEB128. */
export function u32Size(v: number): number {
  let n = 1;
  v >>>= 0;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}
