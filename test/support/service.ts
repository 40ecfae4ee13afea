// Starting a real service (real files in a temp dir, real HTTP on
// 127.0.0.1:0) for tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Service, type ServiceOptions } from "../../src/server/service.js";
import { testEngine } from "./policy.js";

export interface TestService {
  svc: Service;
  dir: string;
  token: string;
  operator: string;
  decide(body: unknown, token?: string): Promise<{ status: number; json: any }>;
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export function tempDir(prefix = "writ-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestService(opts: Partial<ServiceOptions> = {}): Promise<TestService> {
  const dir = opts.dataDir ?? tempDir();
  const svc = await Service.start({ dataDir: dir, port: 0, loadEngine: () => testEngine(), audit: { preallocBytes: 256 * 1024 }, ...opts });
  const token = svc.credentials.issue("agent-1");
  const operator = svc.credentials.issue("alice", "operator");
  const call = async (method: string, path: string, body?: unknown, tok?: string) => {
    const res = await fetch(svc.url + path, {
      method,
      headers: { "content-type": "application/json", ...(tok !== "" ? { authorization: `Bearer ${tok ?? operator}` } : {}) },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };
  return {
    svc,
    dir,
    token,
    operator,
    call,
    decide: (body, tok) => call("POST", "/v1/decide", body, tok ?? token),
    close: async () => {
      await svc.close();
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the service on `dataDir` again twice, as restarts would: from the
 *  audit log alone (the snapshot removed), then from the snapshot the first
 *  restart wrote at close. `check` runs on each; each is closed after it. */
export async function restartTwice(opts: Partial<ServiceOptions> & { dataDir: string }, check: (t: TestService, from: "log" | "snapshot") => Promise<void> | void): Promise<void> {
  rmSync(join(opts.dataDir, "state.json"), { force: true });
  for (const from of ["log", "snapshot"] as const) {
    const t = await startTestService(opts);
    try {
      await check(t, from);
    } finally {
      await t.close();
    }
  }
}

let n = 0;
export function action(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { harness: "claude-code", session_id: "s1", event: "pre_tool_use", tool: "Read", action: { kind: "file_read", paths: [`/repo/file${n++}.ts`] }, ...over };
}
