// npm run bench:hook — what a harness waits for before each tool call:
//  1. one hook process, start to answer (spawn → exit) — `writ-hook
//     claude-code` (node bin/writ-hook.cjs, the fast entry), the command
//     exactly as `writ init claude-code` writes it, run through sh as
//     Claude Code runs it, and `writ hook claude-code`, the general CLI
//     path —
//     against a warm writ service (the real service: pipeline, durable audit
//     append, Ed25519 signature; the ACME example bundle), next to a
//     `node -e 0` baseline measured in the same run, interleaved;
//  2. the Claude Code HTTP hook: one POST /v1/hooks/claude-code on a
//     kept-alive connection, answer included (claudeCodeHttpHook mounted
//     on node:http in front of the same service's decider).
// Node's own start-up depends on the environment: NODE_EXTRA_CA_CERTS makes
// every node process parse a CA bundle first (the command writ init writes
// starts Node without it). When it is set, the process numbers are given
// with it and without it.
//
// options: --runs N (processes, default 60), --http N (requests, default 3000)
import { spawn } from "node:child_process";
import { createServer, request, Agent } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Service } from "../src/server/service.js";
import { buildPolicyBundle } from "../src/contract/build.js";
import { readBundle } from "../src/bundle/read.js";
import { WasmPolicyEngine } from "../src/engine/wasm.js";
import { claudeCodeHttpHook, parseDecideResponse } from "../src/harness/http-hook.js";
import { WITHOUT_EXTRA_CA } from "../src/harness/init/harnesses.js";
import { shellWords } from "../src/harness/init/files.js";
import type { Principal } from "../src/decide/pipeline.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const writJs = join(root, "bin/writ.js");
const writHook = join(root, "bin/writ-hook.cjs");

const { values } = parseArgs({ options: { runs: { type: "string", default: "60" }, http: { type: "string", default: "3000" } } });
const RUNS = Number(values.runs);
const HTTP_RUNS = Number(values.http);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
};
const fmt = (xs: number[], unit: "ms" | "µs") => {
  const k = unit === "µs" ? 1000 : 1;
  const d = unit === "µs" ? 0 : 1;
  return `median ${(quantile(xs, 0.5) * k).toFixed(d)} ${unit}, p99 ${(quantile(xs, 0.99) * k).toFixed(d)} ${unit}, min ${(Math.min(...xs) * k).toFixed(d)} ${unit} (n=${xs.length})`;
};

/** Start-to-exit time of one process (node with `args`, or a command
 *  line for sh), stdin written at once. */
function timeProcess(args: string[] | { sh: string }, input: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = Array.isArray(args) ? spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "pipe"] }) : spawn("/bin/sh", ["-c", args.sh], { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c));
    child.stderr.on("data", (c: Buffer) => (out += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - t0, code, out }));
    child.stdin.end(input);
  });
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? "unknown cpu"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${process.platform} ${process.arch}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  // a warm service on the example bundle
  const acme = join(root, "examples/acme");
  const built = await buildPolicyBundle({ rego: [join(acme, "policy")], contracts: [join(acme, "contracts")], manifests: [join(acme, "manifests")] });
  const engine = await WasmPolicyEngine.fromBundle(readBundle(built.bytes, { allowUnsigned: true }));
  const dataDir = mkdtempSync(join(tmpdir(), "writ-bench-hook-"));
  const svc = await Service.start({ dataDir, loadEngine: async () => engine, port: 0 });
  const token = svc.credentials.issue("coder");
  const payload = JSON.stringify({
    session_id: "bench",
    transcript_path: "/tmp/bench.jsonl",
    cwd: "/work/webapp",
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command: "git status && git diff -- src/auth | grep -n timeout" },
    tool_use_id: "toolu_bench",
  });
  const hookArgs = [writHook, "claude-code", "--url", svc.url, "--contract", "fix-login-timeout"];
  const cliArgs = [writJs, "hook", "claude-code", "--url", svc.url, "--contract", "fix-login-timeout"];
  // the command line writ init writes (hook words as when writ-hook is not on PATH)
  const initCommand = { sh: WITHOUT_EXTRA_CA + shellWords([process.execPath, ...hookArgs]) };
  const baseEnv = { ...process.env, WRIT_TOKEN: token, WRIT_STATE_DIR: join(dataDir, "hook-state") };

  // warm up the service and check the answer is the one expected (allow)
  for (let i = 0; i < 3; i++) {
    for (const args of [hookArgs, initCommand, cliArgs]) {
      const r = await timeProcess(args, payload, baseEnv);
      if (r.code !== 0 || r.out !== "") throw new Error(`hook answered exit ${r.code}: ${r.out}`);
    }
  }

  const envs: [string, NodeJS.ProcessEnv][] = [["this environment", baseEnv]];
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const clean: NodeJS.ProcessEnv = { ...baseEnv };
    delete clean.NODE_EXTRA_CA_CERTS;
    envs[0][0] = `this environment (NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS})`;
    envs.push(["without NODE_EXTRA_CA_CERTS", clean]);
  }
  for (const [label, env] of envs) {
    const hook: number[] = [];
    const init: number[] = [];
    const cli: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push((await timeProcess(["-e", "0"], "", env)).ms);
      for (const [args, into] of [[hookArgs, hook], [initCommand, init], [cliArgs, cli]] as const) {
        const r = await timeProcess(args, payload, env);
        if (r.code !== 0) throw new Error(`hook answered exit ${r.code}: ${r.out}`);
        into.push(r.ms);
      }
    }
    console.log(`\nprocess hook, ${label} (load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}):`);
    console.log(`  node -e 0 (baseline)           ${fmt(base, "ms")}`);
    console.log(`  writ-hook claude-code          ${fmt(hook, "ms")}`);
    console.log(`  as writ init writes it (sh)    ${fmt(init, "ms")}`);
    console.log(`  writ hook claude-code (CLI)    ${fmt(cli, "ms")}`);
    console.log(`  writ-hook minus baseline       ${(quantile(hook, 0.5) - quantile(base, 0.5)).toFixed(1)} ms (medians)`);
    console.log(`  writ init's command minus it   ${(quantile(init, 0.5) - quantile(base, 0.5)).toFixed(1)} ms (medians)`);
  }

  // the HTTP hook, in front of the same decider
  const principal: Principal = { id: "coder", role: "agent" };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      const out = await claudeCodeHttpHook(body, async (r) => {
        const o = await svc.decider.decide(principal, { ...r, contract_id: "fix-login-timeout" });
        return parseDecideResponse(o.status, o.body);
      });
      res.writeHead(out.status, { "content-type": out.contentType, "content-length": Buffer.byteLength(out.body) });
      res.end(out.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ host: "127.0.0.1", port, path: "/v1/hooks/claude-code", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(payload);
    });
  for (let i = 0; i < 300; i++) await post();
  const http: number[] = [];
  for (let i = 0; i < HTTP_RUNS; i++) http.push(await post());
  console.log(`\nHTTP hook (POST /v1/hooks/claude-code, one kept-alive connection, client in the same process):`);
  console.log(`  ${fmt(http, "µs")}`);

  agent.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  await svc.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
