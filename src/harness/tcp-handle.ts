// A Connection on libuv's TCP handle, the object node:net itself wraps
// (process.binding("tcp_wrap") and "stream_wrap"). Why not node:net: in a
// hook process, loading node:net and its streams and then running one
// net.Socket costs ≈10 ms of CPU (measured: a process doing one POST over
// net.Socket vs over this handle); the handle costs well under one.
//
// process.binding is deprecated (DEP0111, documentation-only) and these
// bindings are Node's internals, so everything used is checked before it
// is used, and anything missing or odd — or a run that would print the
// deprecation warning — makes openTcpHandle answer undefined, and the
// client takes node:net instead. The calls mirror Node's own lib/net.js
// and internal/stream_base_commons.js (Node 20 to 24).
import { getSystemErrorName } from "node:util";
import { ConnectionError, ResponseBuffer, type Connection } from "./connection.js";

// Node's internal bindings are untyped: `any` below
interface Bindings {
  TCP: new (type: number) => any;
  TCPConnectWrap: new () => any;
  WriteWrap: new () => any;
  SOCKET: number;
  /** [kReadBytesOrError] and [kArrayBufferOffset] describe each read */
  state: Int32Array;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
}

let bindings: Bindings | null | undefined;

function load(): Bindings | null {
  if (bindings !== undefined) return bindings;
  bindings = null;
  const binding = (process as unknown as { binding?: (name: string) => any }).binding;
  if (typeof binding !== "function" || warnsOnBinding()) return null;
  try {
    const tcp = binding("tcp_wrap");
    const stream = binding("stream_wrap");
    if (
      typeof tcp?.TCP === "function" &&
      typeof tcp.TCPConnectWrap === "function" &&
      typeof tcp.constants?.SOCKET === "number" &&
      typeof tcp.TCP.prototype.connect === "function" &&
      typeof tcp.TCP.prototype.connect6 === "function" &&
      typeof tcp.TCP.prototype.readStart === "function" &&
      typeof tcp.TCP.prototype.writeBuffer === "function" &&
      typeof tcp.TCP.prototype.close === "function" &&
      typeof stream?.WriteWrap === "function" &&
      stream.streamBaseState instanceof Int32Array &&
      Number.isInteger(stream.kReadBytesOrError) &&
      Number.isInteger(stream.kArrayBufferOffset)
    ) {
      bindings = {
        TCP: tcp.TCP,
        TCPConnectWrap: tcp.TCPConnectWrap,
        WriteWrap: stream.WriteWrap,
        SOCKET: tcp.constants.SOCKET,
        state: stream.streamBaseState,
        kReadBytesOrError: stream.kReadBytesOrError,
        kArrayBufferOffset: stream.kArrayBufferOffset,
      };
    }
  } catch {
    // no such binding in this Node: node:net it is
  }
  return bindings;
}

/** Under --pending-deprecation process.binding prints DEP0111 to stderr,
 *  which a harness would show with the answer. */
function warnsOnBinding(): boolean {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  return /--pending-deprecation|--throw-deprecation/.test(flags) || /^(1|true)$/.test(process.env.NODE_PENDING_DEPRECATION ?? "");
}

/** libuv's end of stream, the same on every platform (uv/errno.h); named
 *  here because util.getSystemErrorName costs ~0.4 ms on its first call,
 *  when it builds the table of every libuv error. */
const UV_EOF = -4095;

function errnoError(status: number): ConnectionError {
  let name: string;
  try {
    name = getSystemErrorName(status);
  } catch {
    name = `error ${status}`;
  }
  return new ConnectionError(name);
}

/** Starts connecting to an IP address; undefined when the handle is not
 *  available here. */
export function openTcpHandle(ip: string, family: 4 | 6, port: number): Connection | undefined {
  const b = load();
  if (!b) return undefined;
  const handle = new b.TCP(b.SOCKET);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    handle.onread = () => {};
    handle.close();
  };
  const connected = new Promise<void>((resolve, reject) => {
    const req = new b.TCPConnectWrap();
    req.oncomplete = (status: number) => (status < 0 ? reject(errnoError(status)) : resolve());
    const err: number = family === 4 ? handle.connect(req, ip, port) : handle.connect6(req, ip, port);
    if (err) reject(errnoError(err));
  });
  connected.catch(() => {}); // reported by exchange
  if (typeof handle.setNoDelay === "function") handle.setNoDelay(true);

  const exchange = (request: Buffer, maxBytes: number) =>
    connected.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const fail = (e: ConnectionError) => {
            close();
            reject(e);
          };
          const response = new ResponseBuffer(maxBytes);
          handle.onread = (arrayBuffer: ArrayBuffer) => {
            const n = b.state[b.kReadBytesOrError];
            if (n > 0) {
              if (!response.add(Buffer.from(arrayBuffer, b.state[b.kArrayBufferOffset], n))) fail(new ConnectionError("TOO_LARGE"));
            } else if (n === UV_EOF) {
              close();
              resolve(response.bytes());
            } else if (n < 0) fail(errnoError(n));
          };
          let err: number = handle.readStart();
          if (err) return fail(errnoError(err));
          const write = new b.WriteWrap();
          write.handle = handle;
          write.async = false;
          write.buffer = request; // kept alive until libuv has written it
          write.oncomplete = (status: number) => {
            if (status < 0) fail(errnoError(status));
          };
          err = handle.writeBuffer(write, request);
          if (err) fail(errnoError(err));
        }),
      (e: ConnectionError) => {
        close();
        throw e;
      },
    );
  return { exchange, close };
}
