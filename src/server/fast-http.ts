// The decision route's own HTTP/1.1 path, straight on the TCP socket.
//
// node:http costs ~27 µs of the event loop per request on the 2-core VM writ
// is measured on (IncomingMessage and ServerResponse streams, three parser
// callbacks, header objects); reading the request and writing the answer
// here costs ~13 µs. On a decision of ~110 µs that is an eighth of the
// service's capacity, and the hook on the other end of a lone connection
// waits for it too.
//
// This path reads only the one request shape hooks send, in its plainest
// form: `POST /v1/decide HTTP/1.1`, well-formed header lines, one
// Content-Length within the body limit, a Host, no Transfer-Encoding, Expect
// or Upgrade. Anything else — another route, another method or version,
// chunked bodies, a header line it does not find plain, a head longer than
// node:http would take — hands the connection, with every byte not yet
// answered, to node:http for the rest of its life. So every answer this path
// does not give is node:http's own (its 400s, 413s, 431s and routing), and
// this parser never has to be lenient: when in doubt it hands over.
//
// Requests on one connection are answered one at a time, in order
// (pipelined requests wait in the buffer). Timeouts follow node:http's: a
// request head must arrive within `headersTimeoutMs` of its first byte and
// the whole request within `requestTimeoutMs` (408 and close), and an idle
// connection is closed after `keepAliveTimeoutMs`.
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { STATUS_CODES, type Server as HttpServer } from "node:http";
import type { RouteAnswer } from "./decide-route.js";
import { RequestBuffer } from "./request-buffer.js";

export interface FastHttpOptions {
  /** answers one decision request (the same function node:http's route calls) */
  decide: (authorization: string | undefined, body: string) => Promise<RouteAnswer>;
  /** node:http server that takes over connections this path does not serve */
  fallback: HttpServer;
  /** largest body this path reads; a larger one is node:http's to refuse */
  bodyLimitBytes: number;
  keepAliveTimeoutMs: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** node:http's default limit on a request head (--max-http-header-size) */
const MAX_HEAD_BYTES = 16 * 1024;
const REQUEST_LINE = "POST /v1/decide HTTP/1.1";
/** RFC 9110 token characters, for header names */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** a field value: visible ASCII, obs-text, SP and HTAB (no CTLs) */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const DIGITS = /^[0-9]{1,15}$/;

interface Head {
  contentLength: number;
  authorization: string | undefined;
  close: boolean;
}

/** Reads a request head this path serves; undefined: node:http's to serve. */
export function parseHead(text: string): Head | undefined {
  if (!text.startsWith(REQUEST_LINE + "\r\n")) return undefined;
  let contentLength = -1;
  let authorization: string | undefined;
  let host = false;
  let close = false;
  let at = REQUEST_LINE.length + 2;
  while (at < text.length) {
    let end = text.indexOf("\r\n", at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 2;
    const colon = line.indexOf(":");
    // no colon, an empty or odd name, obs-fold (a line starting with
    // whitespace), a bare CR or LF or other control in the value
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return undefined;
    const value = trimSpaceTab(line, colon + 1);
    if (!FIELD_VALUE.test(value)) return undefined;
    switch (name.toLowerCase()) {
      case "content-length":
        if (contentLength >= 0 || !DIGITS.test(value)) return undefined;
        contentLength = Number(value);
        break;
      case "host":
        if (host) return undefined;
        host = true;
        break;
      case "authorization":
        if (authorization !== undefined) return undefined;
        authorization = value;
        break;
      case "connection":
        for (const token of value.toLowerCase().split(",")) {
          const t = token.trim();
          if (t === "close") close = true;
          else if (t === "upgrade") return undefined;
        }
        break;
      case "transfer-encoding":
      case "expect":
      case "upgrade":
        return undefined;
    }
  }
  if (contentLength < 0 || !host) return undefined;
  return { contentLength, authorization, close };
}

// The field value after the colon without leading and trailing SP and HTAB
// (only those: other whitespace is a control the value check refuses).
// A loop: the trimming regex was about a fifth of the head's parse in a
// profile of the service at 64 connections.
function trimSpaceTab(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && isSpaceTab(line.charCodeAt(start))) start++;
  while (end > start && isSpaceTab(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

function isSpaceTab(c: number): boolean {
  return c === 32 || c === 9;
}

// one Date header text per second, as node:http keeps it
let dateSecond = -1;
let dateText = "";
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

class Connection {
  private readonly input = new RequestBuffer();
  /** the head of the request being read, once parsed, and where its body starts */
  private head: Head | undefined;
  private bodyStart = 0;
  /** a decision is being made for this connection's current request */
  private busy = false;
  /** waiting for the socket to drain before reading on */
  private blocked = false;
  /** handed to node:http, or closed */
  private gone = false;
  /** ms when the request being read began (0: none) */
  requestStarted = 0;
  headDone = false;
  lastActive = Date.now();
  closing = false;

  constructor(
    readonly socket: Socket,
    private readonly o: FastHttpOptions,
    private readonly forget: (c: Connection) => void,
  ) {
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("error", this.onGone);
    socket.on("close", this.onGone);
  }

  get idle(): boolean {
    return !this.busy && this.input.length === 0;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.lastActive = Date.now();
    if (this.input.length === 0 && this.requestStarted === 0) this.requestStarted = this.lastActive;
    this.input.append(chunk);
    // a caller pipelining faster than it is answered: read no more than one
    // whole request ahead (the kernel's buffers then push back on it)
    if ((this.busy || this.blocked) && this.input.length > MAX_HEAD_BYTES + this.o.bodyLimitBytes) this.socket.pause();
    this.next();
  };

  private readonly onEnd = (): void => {
    // the caller is done sending; answer what is being decided, then close
    if (this.gone) return;
    if (this.busy) this.closing = true;
    else this.socket.end();
  };

  private readonly onGone = (): void => {
    if (this.gone) return;
    this.gone = true;
    this.forget(this);
  };

  /** Serves the next complete request in the buffer, if any. */
  private next(): void {
    if (this.busy || this.blocked || this.gone) return;
    if (this.socket.isPaused()) this.socket.resume();
    const input = this.input;
    if (input.length === 0) return;
    if (!this.head) {
      const headEnd = input.headEnd();
      if (headEnd < 0) {
        if (input.length > MAX_HEAD_BYTES) this.handOver();
        return;
      }
      if (headEnd + 4 > MAX_HEAD_BYTES) return this.handOver();
      const parsed = parseHead(input.text(0, headEnd + 2, "latin1"));
      if (!parsed || parsed.contentLength > this.o.bodyLimitBytes) return this.handOver();
      this.head = parsed;
      this.bodyStart = headEnd + 4;
      this.headDone = true;
    }
    const head = this.head;
    const end = this.bodyStart + head.contentLength;
    if (input.length < end) return;
    const body = input.text(this.bodyStart, end, "utf8");
    input.consume(end);
    this.head = undefined;
    this.requestStarted = input.length > 0 ? Date.now() : 0;
    this.headDone = false;
    this.busy = true;
    if (head.close) this.closing = true;
    this.o.decide(head.authorization, body).then(
      (out) => this.answer(out.status, out.body),
      () => this.answer(503, '{"decision":"deny","error":"internal error"}'),
    );
  }

  private answer(status: number, body: string): void {
    this.busy = false;
    this.lastActive = Date.now();
    if (this.gone || this.socket.destroyed) return;
    const close = this.closing;
    const text =
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nDate: ${httpDate()}\r\n` +
      (close ? "Connection: close\r\n\r\n" : `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(this.o.keepAliveTimeoutMs / 1000)}\r\n\r\n`) +
      body;
    if (close) {
      this.gone = true;
      this.forget(this);
      this.socket.end(text);
      return;
    }
    if (!this.socket.write(text)) {
      // the caller is not reading its answers: read no more requests
      // until it does (pipelined requests cannot pile up answers)
      this.blocked = true;
      this.socket.once("drain", () => {
        this.blocked = false;
        this.next();
      });
      return;
    }
    this.next();
  }

  /** Gives the connection, and every byte not yet answered, to node:http. */
  private handOver(): void {
    const { socket } = this;
    this.gone = true;
    this.forget(this);
    socket.removeListener("data", this.onData);
    socket.removeListener("end", this.onEnd);
    socket.removeListener("error", this.onGone);
    socket.removeListener("close", this.onGone);
    if (this.input.length > 0) socket.unshift(this.input.rest());
    this.o.fallback.emit("connection", socket);
  }

  /** Closes the connection now (timeouts, shutdown), 408 first when a
   *  request was being read. */
  destroy(timedOut: boolean): void {
    if (this.gone) return;
    this.gone = true;
    this.forget(this);
    if (timedOut) this.socket.end("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
    this.socket.destroySoon();
  }

  /** Shutdown: close once the request being decided is answered. */
  finish(): void {
    if (this.busy) this.closing = true;
    else this.destroy(false);
  }
}

export class FastHttpServer {
  readonly server: NetServer;
  private readonly conns = new Set<Connection>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly headersTimeoutMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly o: FastHttpOptions) {
    this.headersTimeoutMs = o.headersTimeoutMs ?? 60_000;
    this.requestTimeoutMs = o.requestTimeoutMs ?? 300_000;
    // half-open as node:http: a caller that ends its side still gets its answer
    this.server = createNetServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
      this.conns.add(new Connection(socket, o, (c) => this.conns.delete(c)));
    });
    // node:http checks its connections' deadlines only once it listens; the
    // fallback never listens (this server does), so it is told it does
    o.fallback.emit("listening");
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  get connections(): number {
    return this.conns.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const c of this.conns) {
      if (c.requestStarted > 0) {
        const limit = c.headDone ? this.requestTimeoutMs : Math.min(this.headersTimeoutMs, this.requestTimeoutMs);
        if (now - c.requestStarted > limit) c.destroy(true);
      } else if (c.idle && now - c.lastActive > this.o.keepAliveTimeoutMs) {
        c.destroy(false);
      }
    }
  }

  /** Stops accepting; idle connections close now, busy ones once answered. */
  close(): Promise<void> {
    clearInterval(this.sweeper);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of [...this.conns]) c.finish();
    // node:http's own shutdown for the connections it took over: idle ones
    // close now, busy ones after their answer (it never listened, so its
    // callback only reports that)
    this.o.fallback.close(() => {});
    return closed;
  }

  /** Closes every connection at once (after a grace period on shutdown). */
  closeAll(): void {
    for (const c of [...this.conns]) c.destroy(false);
    this.o.fallback.closeAllConnections?.();
  }
}
