// Reading a request body with a size limit. On Node the body is read straight
// from the IncomingMessage (no web-stream detour on the hot path); anywhere
// else through the Request.
import type { Context } from "hono";
import type { IncomingMessage } from "node:http";

export class BodyTooLarge extends Error {}

export function readBody(c: Context, limit: number): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > limit) return Promise.reject(new BodyTooLarge(`body of ${declared} bytes is over the ${limit}-byte limit`));
  if (!incoming) {
    return c.req.text().then((t) => {
      if (Buffer.byteLength(t) > limit) throw new BodyTooLarge(`body is over the ${limit}-byte limit`);
      return t;
    });
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
