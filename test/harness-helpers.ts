// Shared by the harness tests: a real HTTP server on 127.0.0.1 standing in
// for writ with fixed answers (it exercises the adapters, not policy), and
// a way to run the real `writ hook` command as a harness would.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DecideRequest, DecideResponse } from "../src/decide/types.js";

export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const writBin = join(root, "bin/writ.js");

export interface FakeAnswer {
  status?: number;
  /** a DecideResponse, or any text (to test invalid answers) */
  body: DecideResponse | string;
  delayMs?: number;
}

export interface FakeWrit {
  url: string;
  requests: { headers: IncomingMessage["headers"]; body: DecideRequest }[];
  close(): Promise<void>;
}

export async function startFakeWrit(answer: (req: DecideRequest) => FakeAnswer): Promise<FakeWrit> {
  const requests: FakeWrit["requests"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as DecideRequest;
      requests.push({ headers: req.headers, body });
      const a = answer(body);
      const send = () => {
        const text = typeof a.body === "string" ? a.body : JSON.stringify(a.body);
        res.writeHead(a.status ?? 200, { "content-type": "application/json" });
        res.end(text);
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A verdict as the service would send it. */
export function verdict(decision: DecideResponse["decision"], extra: Partial<DecideResponse> = {}): DecideResponse {
  return {
    decision,
    reasons: decision === "allow" ? ["granted by manifest and contract"] : ["policy db-07: destructive SQL needs a ticket"],
    rule_ids: decision === "allow" ? ["writ.contract.grant"] : ["acme.db_07"],
    decision_id: "dec-0001",
    ...(decision === "approve" ? { approval: { id: "apv_test1", expires_at: "2099-01-01T00:00:00.000Z" } } : {}),
    bundle: { revision: "r1", digest: "sha256:00" },
    audit: { seq: 1, hash: "h" },
    jws: "x.y.z",
    ...extra,
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `writ <args>` with `input` on stdin, as a harness runs a hook. */
export function runWrit(args: string[], input: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  const merged: Record<string, string | undefined> = { ...process.env, WRIT_STATE_DIR: freshDir(), WRIT_TOKEN: "test-token", WRIT_URL: undefined, WRIT_CONTRACT: undefined, ...env };
  const childEnv = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
  return runProcess(process.execPath, [writBin, ...args], input, childEnv);
}

/** Runs a process with `input` on stdin; its exit code and output. */
export function runProcess(file: string, args: string[], input: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export function freshDir(prefix = "writ-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
