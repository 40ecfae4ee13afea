// The bytes a connection has received and not yet consumed, kept contiguous
// for the decision route's own HTTP path (fast-http.ts).
//
// A request may arrive in any number of pieces, down to a byte at a time.
// Appending copies each byte a bounded number of times on average (the
// backing store doubles, and is compacted only when at most half full), and
// the search for the end of the request head resumes where it stopped, so a
// request costs time in proportion to its length, not to its square. The
// common case — a whole request in one read — keeps the chunk as it is.
const CRLF2 = Buffer.from("\r\n\r\n");
const EMPTY = Buffer.alloc(0);

export class RequestBuffer {
  private data: Buffer = EMPTY;
  /** whether `data` is ours to write into (else a chunk as it was read) */
  private owned = false;
  private start = 0;
  private end = 0;
  /** bytes from `start` already searched for the head's end */
  private scanned = 0;
  /** bytes copied in all (tests check that it grows linearly) */
  copied = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.length === 0) {
      this.data = chunk;
      this.owned = false;
      this.start = 0;
      this.end = chunk.length;
      this.scanned = 0;
      return;
    }
    const live = this.length;
    if (!this.owned || this.end + chunk.length > this.data.length) {
      const need = live + chunk.length;
      if (this.owned && need <= this.data.length && live <= this.data.length / 2) {
        this.data.copy(this.data, 0, this.start, this.end);
      } else {
        const next = Buffer.allocUnsafe(Math.max(need, 2 * this.data.length, 1024));
        this.data.copy(next, 0, this.start, this.end);
        this.data = next;
        this.owned = true;
      }
      this.copied += live;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.data, this.end);
    this.copied += chunk.length;
    this.end += chunk.length;
  }

  /** Where the blank line ending the head begins (from the first byte not
   *  consumed), or -1 while it has not arrived. */
  headEnd(): number {
    const from = this.start + Math.max(0, this.scanned - 3);
    // (past `end` an owned store holds stale bytes: a match there, the first
    // one found, means none before it)
    const at = this.data.indexOf(CRLF2, from);
    if (at < 0 || at + 4 > this.end) {
      this.scanned = this.length;
      return -1;
    }
    return at - this.start;
  }

  text(from: number, to: number, encoding: "latin1" | "utf8"): string {
    return this.data.toString(encoding, this.start + from, this.start + to);
  }

  consume(n: number): void {
    this.start += n;
    this.scanned = 0;
    if (this.start === this.end) {
      // the next read is kept as it comes (see append)
      this.start = this.end = 0;
      this.data = EMPTY;
      this.owned = false;
    }
  }

  /** The bytes not consumed (for handing the connection over). */
  rest(): Buffer {
    return this.data.subarray(this.start, this.end);
  }
}
