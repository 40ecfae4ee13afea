// An MCP stdio proxy: the harness starts `writ mcp-proxy -- <server>`
// instead of the server. Every `tools/call` is decided by writ before the
// server sees it; a denial (or no decision) comes back as a tool result
// with isError, so the model sees why and can adapt. The server's identity
// is the proxy's own configuration (--server-name), which the model cannot
// touch — not anything in the call.
//
// What the server receives is the JSON the proxy decided on, re-serialised:
// a line with duplicate keys or other parser-dependent tricks cannot mean
// one thing to writ and another to the server. Lines that are not JSON are
// answered with a parse error and not passed on.
import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import type { DecideRequest, DecideResponse } from "../decide/types.js";
import { memoryApprovalMemory } from "./approval-memory.js";
import type { DecideFn } from "./client.js";
import { approvalDenyText, blockText, denyText } from "./messages.js";
import { normalizeToolCall } from "./normalize/action.js";
import { checkDecideResponse } from "./response.js";

export interface McpProxyOptions {
  /** the server's name, as policies and manifests know it */
  serverName: string;
  command: string;
  args: string[];
  decide: DecideFn;
  session: string;
  contract?: string;
  /** writ's URL, for approval instructions */
  url?: string;
  input?: Readable;
  output?: Writable;
}

type Message = Record<string, unknown>;

/** Splits a stream into lines, calling `onLine` for each complete one. */
function lines(stream: Readable, onLine: (line: string) => void, onEnd: () => void): void {
  let buf = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  stream.on("end", () => {
    if (buf.length) onLine(buf);
    onEnd();
  });
}

export function runMcpProxy(o: McpProxyOptions): Promise<number> {
  const input = o.input ?? process.stdin;
  const output = o.output ?? process.stdout;
  const approvals = memoryApprovalMemory();
  const child = spawn(o.command, o.args, { stdio: ["pipe", "pipe", "inherit"] });
  const toClient = (line: string) => output.write(line + "\n");
  const toServer = (m: unknown) => {
    if (!child.stdin.destroyed) child.stdin.write(JSON.stringify(m) + "\n");
  };

  // server → client, whole lines only, so our own answers never split one
  lines(child.stdout, toClient, () => {});

  const decideCall = async (m: Message): Promise<Message | undefined> => {
    const params = m.params && typeof m.params === "object" ? (m.params as Message) : {};
    const name = params.name;
    if (typeof name !== "string" || name === "") {
      return { jsonrpc: "2.0", id: m.id, error: { code: -32602, message: "tools/call without a tool name" } };
    }
    const request: DecideRequest = {
      harness: "mcp",
      session_id: o.session,
      event: "pre_tool_use",
      tool: `mcp__${o.serverName}__${name}`,
      action: normalizeToolCall({ tool: name, input: params.arguments ?? {}, mcp: { server: o.serverName, tool: name } }),
    };
    if (o.contract) request.contract_id = o.contract;
    let r: DecideResponse;
    try {
      const remembered = approvals.lookup(request);
      if (remembered) request.approval_id = remembered;
      r = checkDecideResponse(await o.decide(request));
      if (r.decision === "approve" && r.approval) approvals.remember(request, r.approval.id, r.approval.expires_at);
      else if (remembered) approvals.forget(request);
    } catch (err) {
      return refusal(m.id, blockText(err instanceof Error ? err.message : String(err)));
    }
    if (r.decision === "allow") return undefined;
    return refusal(m.id, r.decision === "deny" ? denyText(r) : approvalDenyText(r, o.url));
  };

  /** The reply that replaces the call (undefined: pass it on). */
  const handle = async (m: unknown): Promise<{ forward?: unknown; reply?: unknown }> => {
    if (!m || typeof m !== "object" || Array.isArray(m)) return { forward: m };
    const msg = m as Message;
    if (msg.method !== "tools/call") return { forward: msg };
    // a call without an id is not a request; it must not run unanswered
    if (!("id" in msg)) return {};
    const reply = await decideCall(msg);
    return reply ? { reply } : { forward: msg };
  };

  let queue = Promise.resolve();
  const onLine = (line: string) => {
    if (line.trim() === "") return;
    queue = queue.then(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        toClient(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }));
        return;
      }
      if (Array.isArray(parsed)) {
        const results = await Promise.all(parsed.map(handle));
        const forward = results.filter((r) => "forward" in r).map((r) => r.forward);
        const replies = results.filter((r) => r.reply !== undefined).map((r) => r.reply);
        if (forward.length) toServer(forward);
        if (replies.length) toClient(JSON.stringify(replies));
        return;
      }
      const r = await handle(parsed);
      if ("forward" in r) toServer(r.forward);
      if (r.reply !== undefined) toClient(JSON.stringify(r.reply));
    });
  };
  lines(input, onLine, () => {
    void queue.then(() => child.stdin.end());
  });

  return new Promise((resolve) => {
    child.on("error", (e) => {
      process.stderr.write(`writ mcp-proxy: cannot start ${o.command}: ${e.message}\n`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function refusal(id: unknown, text: string): Message {
  return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], isError: true } };
}
