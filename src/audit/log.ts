// The append-only, hash-chained audit log with group commit.
//
// `append` assigns the next seq and chains the entry synchronously, so the
// order of entries is the order of calls; it returns a promise shared by
// every entry of the current batch that resolves once the batch is on disk.
// A batch is written and fdatasync'ed in a setImmediate callback, i.e. after
// the event loop has read every request that was ready: under load one sync
// covers many decisions; with one caller the entry goes straight out.
// The write is done synchronously on the main thread on purpose: on the
// 2-core VMs writ is measured on, a thread-pool hop costs 100 µs or more and
// the sync itself ~300 µs, and while the loop waits no other request could
// have been answered anyway (none is durable before this sync ends).
//
// Any write failure poisons the log: that batch and every later append fail,
// and the service answers 503/deny until restarted (fail closed).
import { closeSync, fdatasync, fdatasyncSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, write, writeSync } from "node:fs";
import { sign } from "node:crypto";
import { join } from "node:path";
import { decodeLine, encodeEntry, GENESIS_HASH } from "./entry.js";
import { CHECKPOINT_FILE, listSegments, SEGMENT_DIR, segmentName } from "./segments.js";
import { checkpointMessage, type Checkpoint } from "./checkpoint.js";
import type { Keyring } from "../sign/keyring.js";

export interface AuditLogOptions {
  /** the audit directory (e.g. `<data-dir>/audit`) */
  dir: string;
  /** signs checkpoints */
  keyring: Keyring;
  /** write a signed checkpoint after this many entries (default 1000) */
  checkpointEvery?: number;
  /** … and at least this often while entries arrive (default 5000 ms) */
  checkpointIntervalMs?: number;
  /** start a new segment once the current one is this big (default 64 MiB) */
  maxSegmentBytes?: number;
  /** called with the lines of each batch once it is durable (forwarding) */
  onDurable?: (lines: string[]) => void;
  /** called just before a batch is synced (the signer hands its batch to
   *  the signing thread here, so signatures are made during the sync) */
  beforeSync?: () => void;
  /** batches of at most this many entries sync inline (default 2) */
  inlineSyncMax?: number;
}

export interface Appended {
  seq: number;
  hash: string;
  /** resolves when the entry is durable; rejects if it never will be */
  durable: Promise<void>;
}

interface Batch {
  lines: string[];
  lastSeq: number;
  lastHash: string;
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class AuditLog {
  private fd = -1;
  private segmentBytes = 0;
  private pending: Batch | undefined;
  private failure: unknown;
  private closed = false;
  private syncing = false;
  private readonly inlineSyncMax: number;
  private checkpointFd: number;
  private lastCheckpointSeq = 0;
  private timer: NodeJS.Timeout;
  private readonly checkpointEvery: number;
  private readonly maxSegmentBytes: number;
  /** seq and hash of the newest entry (durable or not) */
  lastSeq = 0;
  lastHash = GENESIS_HASH;
  /** seq and hash of the newest durable entry */
  durableSeq = 0;
  durableHash = GENESIS_HASH;
  /** bytes cut from a torn tail when the log was opened */
  readonly recoveredTornBytes: number;
  /** milliseconds the last batch took to become durable */
  lastCommitMs = 0;

  private constructor(private readonly opts: AuditLogOptions) {
    this.checkpointEvery = opts.checkpointEvery ?? 1000;
    this.maxSegmentBytes = opts.maxSegmentBytes ?? 64 << 20;
    this.inlineSyncMax = opts.inlineSyncMax ?? 2;
    mkdirSync(join(opts.dir, SEGMENT_DIR), { recursive: true, mode: 0o700 });
    this.recoveredTornBytes = this.recover();
    this.checkpointFd = openSync(join(opts.dir, CHECKPOINT_FILE), "a", 0o600);
    this.lastCheckpointSeq = this.readLastCheckpointSeq();
    this.timer = setInterval(() => this.checkpointIfBehind(), opts.checkpointIntervalMs ?? 5000);
    this.timer.unref();
  }

  static open(opts: AuditLogOptions): AuditLog {
    return new AuditLog(opts);
  }

  get failed(): unknown {
    return this.failure;
  }

  /** Appends an entry whose `data` is the given JSON text. Throws when the
   *  log has failed or is closed. */
  append(type: string, dataJson: string, ts = new Date().toISOString()): Appended {
    if (this.failure) throw new Error(`audit log failed: ${String(this.failure)}`);
    if (this.closed) throw new Error("audit log closed");
    const seq = this.lastSeq + 1;
    const { line, hash } = encodeEntry(seq, ts, this.lastHash, type, dataJson);
    this.lastSeq = seq;
    this.lastHash = hash;
    let batch = this.pending;
    if (!batch) {
      let resolve!: () => void, reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {}); // callers see the rejection through their own await
      batch = this.pending = { lines: [], lastSeq: seq, lastHash: hash, promise, resolve, reject };
      setImmediate(() => this.flush());
    }
    batch.lines.push(line);
    batch.lastSeq = seq;
    batch.lastHash = hash;
    return { seq, hash, durable: batch.promise };
  }

  private flush(): void {
    if (this.syncing) return; // the batch in flight starts the next one when it is done
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    if (this.failure) return batch.reject(this.failure);
    try {
      this.opts.beforeSync?.();
    } catch {
      // a hook's trouble is the hook's; the log goes on
    }
    const started = performance.now();
    const buf = Buffer.from(batch.lines.join(""));
    // One entry (a lone caller): write and sync right here, the lowest
    // latency. Several (load): sync on the thread pool, so the loop goes on
    // parsing, evaluating and signing the next batch meanwhile.
    if (batch.lines.length <= this.inlineSyncMax) {
      try {
        let off = 0;
        while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
        fdatasyncSync(this.fd);
      } catch (err) {
        this.failure = err;
        return batch.reject(err);
      }
      this.committed(batch, buf.length, started);
      return;
    }
    this.syncing = true;
    const fd = this.fd;
    const fail = (err: unknown) => {
      this.syncing = false;
      this.failure = err;
      batch.reject(err);
      this.pending?.reject(err);
      this.pending = undefined;
    };
    const writeFrom = (off: number) =>
      write(fd, buf, off, buf.length - off, null, (err, n) => {
        if (err) return fail(err);
        if (off + n < buf.length) return writeFrom(off + n);
        fdatasync(fd, (err2) => {
          if (err2) return fail(err2);
          this.syncing = false;
          this.committed(batch, buf.length, started);
          if (this.pending) this.flush();
        });
      });
    writeFrom(0);
  }

  private committed(batch: Batch, bytes: number, started: number): void {
    this.segmentBytes += bytes;
    this.lastCommitMs = performance.now() - started;
    this.durableSeq = batch.lastSeq;
    this.durableHash = batch.lastHash;
    batch.resolve();
    try {
      this.opts.onDurable?.(batch.lines);
      if (this.durableSeq - this.lastCheckpointSeq >= this.checkpointEvery) this.checkpoint();
      if (this.segmentBytes >= this.maxSegmentBytes) this.rotate();
    } catch (err) {
      this.failure = err;
    }
  }

  /** Writes a signed checkpoint for the newest durable entry. */
  private checkpoint(): void {
    if (this.durableSeq <= this.lastCheckpointSeq) return;
    const key = this.opts.keyring.current;
    const ts = new Date().toISOString();
    const seq = this.durableSeq;
    const hash = this.durableHash;
    const sig = sign(null, Buffer.from(checkpointMessage(seq, hash, ts)), key.privateKey).toString("base64url");
    const cp: Checkpoint = { seq, hash, ts, kid: key.kid, sig };
    writeSync(this.checkpointFd, JSON.stringify(cp) + "\n");
    fdatasyncSync(this.checkpointFd);
    this.lastCheckpointSeq = seq;
  }

  private checkpointIfBehind(): void {
    if (this.failure || this.closed) return;
    try {
      this.checkpoint();
    } catch (err) {
      this.failure = err;
    }
  }

  private rotate(): void {
    closeSync(this.fd);
    this.openSegment(this.lastSeq + 1);
  }

  private openSegment(firstSeq: number): void {
    const dir = join(this.opts.dir, SEGMENT_DIR);
    this.fd = openSync(join(dir, segmentName(firstSeq)), "a", 0o600);
    this.segmentBytes = 0;
    // make the new file's directory entry durable too
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  /** Finds the chain head in the last segment and cuts off a torn tail (a
   *  write that a crash cut short: never synced, so never answered). */
  private recover(): number {
    const segs = listSegments(this.opts.dir);
    if (segs.length === 0) {
      this.openSegment(1);
      return 0;
    }
    let torn = 0;
    for (let i = segs.length - 1; i >= 0; i--) {
      const text = readFileSync(segs[i].path, "utf8");
      const end = text.lastIndexOf("\n") + 1;
      if (i === segs.length - 1 && end < text.length) {
        torn = Buffer.byteLength(text.slice(end));
        const fd = openSync(segs[i].path, "r+");
        ftruncateSync(fd, Buffer.byteLength(text.slice(0, end)));
        fdatasyncSync(fd);
        closeSync(fd);
      }
      if (end === 0) continue;
      const lastLine = text.slice(text.lastIndexOf("\n", end - 2) + 1, end - 1);
      const decoded = decodeLine(lastLine);
      if (!decoded.entry || !decoded.hashValid) {
        throw new Error(`audit log ${segs[i].path}: last entry is damaged; run \`writ audit verify\` before serving`);
      }
      this.lastSeq = this.durableSeq = decoded.entry.seq;
      this.lastHash = this.durableHash = decoded.entry.hash;
      break;
    }
    const last = segs[segs.length - 1];
    this.fd = openSync(last.path, "a", 0o600);
    this.segmentBytes = Buffer.byteLength(readFileSync(last.path));
    return torn;
  }

  private readLastCheckpointSeq(): number {
    const text = readFileSync(join(this.opts.dir, CHECKPOINT_FILE), "utf8").trimEnd();
    if (!text) return 0;
    try {
      return (JSON.parse(text.slice(text.lastIndexOf("\n") + 1)) as Checkpoint).seq;
    } catch {
      return 0;
    }
  }

  /** Flushes what is pending, writes a final checkpoint, closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.pending || this.syncing) {
      const p = this.pending?.promise;
      if (!this.syncing) this.flush();
      if (p) await p.catch(() => {});
      else await new Promise((r) => setImmediate(r));
    }
    this.closed = true;
    clearInterval(this.timer);
    if (!this.failure) {
      try {
        this.checkpoint();
      } catch {
        // closing anyway; verify will show the missing checkpoint
      }
    }
    closeSync(this.fd);
    closeSync(this.checkpointFd);
  }
}
