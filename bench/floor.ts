// The floor: a bare hono handler on @hono/node-server doing only what any
// JSON endpoint must (read the body, parse it, answer JSON). Prints its URL.
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import type { IncomingMessage } from "node:http";

const answer = JSON.stringify({ decision: "allow", reasons: [], rule_ids: [] });
const app = new Hono();
app.post("/v1/decide", async (c) => {
  const incoming = (c.env as { incoming: IncomingMessage }).incoming;
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  JSON.parse(Buffer.concat(chunks).toString("utf8"));
  return c.body(answer, 200, { "content-type": "application/json" });
});
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
  process.stdout.write(`url http://127.0.0.1:${info.port}\n`);
});
