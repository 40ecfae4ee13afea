// A Connection on node:net: for host names (which need a DNS lookup) and
// for Nodes without the TCP handle (tcp-handle.ts). node:net is imported
// only when this runs, so a hook process that talks to an IP address
// never loads it.
import type { Socket } from "node:net";
import { ConnectionError, ResponseBuffer, type Connection } from "./connection.js";

export function openNetSocket(host: string, port: number): Connection {
  let socket: Socket | undefined;
  let closed = false;
  const connected = import("node:net").then(
    (net) =>
      new Promise<Socket>((resolve, reject) => {
        if (closed) return;
        const s = net.connect({ host, port });
        socket = s;
        s.setNoDelay(true);
        s.once("connect", () => resolve(s));
        s.once("error", (e: NodeJS.ErrnoException) => reject(new ConnectionError(e.code ?? e.message)));
      }),
  );
  connected.catch(() => {}); // reported by exchange
  const close = () => {
    closed = true;
    socket?.destroy();
  };
  const exchange = (request: Buffer, maxBytes: number) =>
    connected.then(
      (s) =>
        new Promise<Buffer>((resolve, reject) => {
          const response = new ResponseBuffer(maxBytes);
          s.on("data", (c: Buffer) => {
            if (!response.add(c)) {
              s.destroy();
              reject(new ConnectionError("TOO_LARGE"));
            }
          });
          s.on("error", (e: NodeJS.ErrnoException) => reject(new ConnectionError(e.code ?? e.message)));
          s.on("end", () => resolve(response.bytes()));
          // no half-close after the request: some servers end the
          // connection on FIN before answering; the request says
          // `connection: close`, so the server closes it
          s.write(request);
        }),
      (e: ConnectionError) => {
        close();
        throw e;
      },
    );
  return { exchange, close };
}
