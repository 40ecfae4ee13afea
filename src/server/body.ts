// Reading a request body with a size limit, straight from Node's
// IncomingMessage (no web-stream detour on the hot path), or through a
// fetch Request when there is none (in-process use).
import type { IncomingMessage } from "node:http";

export class BodyTooLarge extends Error {}

export function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(incoming.headers["content-length"] ?? "0");
  if (declared > limit) {
    incoming.resume();
    return Promise.reject(new BodyTooLarge(`body of ${declared} bytes is over the ${limit}-byte limit`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.removeAllListeners("data");
        incoming.resume();
        reject(new BodyTooLarge(`body is over the ${limit}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    incoming.on("end", () => resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    incoming.on("error", reject);
  });
}

export async function readRequest(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new BodyTooLarge(`body of ${declared} bytes is over the ${limit}-byte limit`);
  const text = await req.text();
  if (Buffer.byteLength(text) > limit) throw new BodyTooLarge(`body is over the ${limit}-byte limit`);
  return text;
}
