// The HTTP client hook processes use to ask writ. A hook process lives for
// one request, and its start-up time is the user's waiting time, so for
// plain http this speaks HTTP/1.1 itself over one connection (connection.ts:
// libuv's TCP handle for an IP address, node:net for a name — node:http and
// fetch each cost more to load than the decision takes); https goes
// through node:https, loaded only when asked for. A request that takes
// longer than the timeout is abandoned — and the adapter blocks.
import { readFileSync } from "node:fs";
import { ConnectionError, ipFamily, type Connection } from "./connection.js";
import { openNetSocket } from "./net-socket.js";
import { openTcpHandle } from "./tcp-handle.js";
import type { DecideRequest, DecideResponse } from "../decide/types.js";
import { NoDecision, parseDecideResponse } from "./response.js";

export type DecideFn = (req: DecideRequest) => Promise<DecideResponse>;

export interface ClientOptions {
  /** base URL of the service, e.g. http://127.0.0.1:8787 */
  url: string;
  token?: string;
  /** give up (and block) after this long; default 3000 ms */
  timeoutMs?: number;
}

export const DEFAULT_URL = "http://127.0.0.1:8787";
export const DEFAULT_TIMEOUT_MS = 3000;
const MAX_RESPONSE = 1024 * 1024;

export function httpDecider(o: ClientOptions): DecideFn {
  return (req) => postJson(o, "/v1/decide", req).then(({ status, body }) => parseDecideResponse(status, body));
}

export interface HttpResult {
  status: number;
  body: string;
}

export async function postJson(o: ClientOptions, path: string, payload: unknown): Promise<HttpResult> {
  let url: URL;
  try {
    url = new URL(path.replace(/^\//, ""), o.url.endsWith("/") ? o.url : o.url + "/");
  } catch {
    throw new NoDecision(`writ URL ${JSON.stringify(o.url)} is not a URL`);
  }
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (url.protocol === "http:") return withTimeout(rawPost(url, headers, body), timeoutMs, url);
  if (url.protocol === "https:") return withTimeout(httpsPost(url, headers, body), timeoutMs, url);
  throw new NoDecision(`writ URL ${o.url} is neither http nor https`);
}

function withTimeout<T>(p: Promise<T> & { abort?: () => void }, ms: number, url: URL): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      p.abort?.();
      reject(new NoDecision(`writ did not answer within ${ms} ms (${url.origin})`));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

// A started connection per origin (preconnect), taken by the next request.
const opening = new Map<string, Connection>();

function open(url: URL): Connection {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || 80);
  const family = ipFamily(host);
  if (family) {
    try {
      const handle = openTcpHandle(host, family, port);
      if (handle) return handle;
    } catch {
      // a Node whose TCP handle does not work as expected: node:net
    }
  }
  return openNetSocket(host, port);
}

/** Starts connecting to writ now, so the handshake overlaps reading and
 *  normalizing the payload; the next request to that origin uses it. */
export function preconnect(baseUrl: string): void {
  try {
    const url = new URL(baseUrl);
    if (url.protocol === "http:" && !opening.has(url.origin)) opening.set(url.origin, open(url));
  } catch {
    // a bad URL is reported by the request itself
  }
}

/** One POST over a fresh connection (`Connection: close`): the response is
 *  everything the server sends until it closes. */
function rawPost(url: URL, headers: Record<string, string>, body: string): Promise<HttpResult> & { abort?: () => void } {
  const data = Buffer.from(body);
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: close\r\ncontent-length: ${data.length}\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  const conn = opening.get(url.origin) ?? open(url);
  opening.delete(url.origin);
  const p = conn.exchange(Buffer.concat([Buffer.from(head + "\r\n"), data]), MAX_RESPONSE).then(parseHttpResponse, (e: unknown) => {
    const code = e instanceof ConnectionError ? e.code : String(e);
    throw new NoDecision(code === "TOO_LARGE" ? "writ's answer is too large" : `writ is unreachable at ${url.origin} (${code})`);
  }) as Promise<HttpResult> & { abort?: () => void };
  p.abort = () => conn.close();
  return p;
}

/** Status and body of a complete HTTP/1.1 response. */
export function parseHttpResponse(buf: Buffer): HttpResult {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) throw new NoDecision("writ closed the connection without a complete answer");
  const head = buf.subarray(0, end).toString("latin1").split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
  if (!m) throw new NoDecision("writ's answer is not HTTP");
  const fields = new Map<string, string>();
  for (const line of head.slice(1)) {
    const i = line.indexOf(":");
    if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  let body = buf.subarray(end + 4);
  if (/chunked/i.test(fields.get("transfer-encoding") ?? "")) body = dechunk(body);
  else if (fields.has("content-length")) {
    const n = Number(fields.get("content-length"));
    if (!Number.isInteger(n) || n < 0 || body.length < n) throw new NoDecision("writ's answer was cut short");
    body = body.subarray(0, n);
  }
  return { status: Number(m[1]), body: body.toString("utf8") };
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = b.indexOf("\r\n", pos);
    if (eol < 0) throw new NoDecision("writ's chunked answer was cut short");
    const size = parseInt(b.subarray(pos, eol).toString("latin1").split(";")[0], 16);
    if (!Number.isFinite(size)) throw new NoDecision("writ's chunked answer is malformed");
    if (size === 0) return Buffer.concat(out);
    const start = eol + 2;
    if (b.length < start + size) throw new NoDecision("writ's chunked answer was cut short");
    out.push(b.subarray(start, start + size));
    pos = start + size + 2;
  }
}

async function httpsPost(url: URL, headers: Record<string, string>, body: string): Promise<HttpResult> {
  const { request } = await import("node:https");
  const ca = await extraCa();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, ...(ca ? { ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e) => reject(new NoDecision(`reading writ's answer failed: ${e.message}`)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => reject(new NoDecision(`writ is unreachable at ${url.origin} (${e.code ?? e.message})`)));
    req.end(body);
  });
}

/** The CAs Node would trust with NODE_EXTRA_CA_CERTS, for a hook that
 *  `writ init` started without it (init/harnesses.ts: WITHOUT_EXTRA_CA)
 *  and that got the file as WRIT_EXTRA_CA_CERTS. As with Node's own
 *  variable, a file that cannot be read adds nothing. */
async function extraCa(): Promise<string[] | undefined> {
  const file = process.env.WRIT_EXTRA_CA_CERTS;
  if (!file || process.env.NODE_EXTRA_CA_CERTS) return undefined;
  const { rootCertificates } = await import("node:tls");
  try {
    return [...rootCertificates, readFileSync(file, "utf8")];
  } catch {
    return undefined;
  }
}
