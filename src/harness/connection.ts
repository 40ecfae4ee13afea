// One TCP connection that carries one HTTP exchange: write the request,
// read until the server closes. Two ways to open one, both behind this
// interface: libuv's TCP handle directly (tcp-handle.ts — what a hook
// process uses, because loading node:net and running a net.Socket costs
// a hook more CPU than everything else it does after Node has started),
// and node:net (net-socket.ts — for host names, and wherever the handle
// is not available).

export interface Connection {
  /** Sends `request` once connected and resolves to every byte the server
   *  sends until it closes the connection. Rejects with a ConnectionError
   *  (`code` ECONNREFUSED, …, or TOO_LARGE past `maxBytes`). */
  exchange(request: Buffer, maxBytes: number): Promise<Buffer>;
  /** Closes the connection; a pending exchange never settles. */
  close(): void;
}

export class ConnectionError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Collects what a connection reads, within `maxBytes`. */
export class ResponseBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly maxBytes: number) {}
  /** false when the response has grown past maxBytes */
  add(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return false;
    this.chunks.push(chunk);
    return true;
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The address family of an IP literal (brackets stripped), 0 for a name. */
export function ipFamily(host: string): 0 | 4 | 6 {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return 4;
  return host.includes(":") ? 6 : 0;
}
