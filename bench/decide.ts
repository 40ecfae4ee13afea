// `npm run bench:decide`: writ's POST /v1/decide against a bare hono handler
// (the floor) and the Cerbos PDP (the peer), each in its own process, driven
// by autocannon from this process at 1, 8 and 64 connections. writ serves the
// ACME example bundle (built if stale) with signing and durable audit on; the
// request is its agent `coder` reading a file its task contract covers (an
// allow through platform policy, manifest and contract), spread over 2,048
// sessions per run: the example manifest asks a human to look at a session
// after 200 tool calls, and one session for the whole run would measure that
// `approve` path (a new pending approval per call) instead. The verdicts each
// run got are printed from /metrics. The machine line includes the load
// average: on a shared machine, read the numbers with it.
//
//   BENCH_SECONDS=10  seconds per run (default 10; warm-up 2 s per target)
//   BENCH_PEER=0      skip Cerbos
//   BENCH_BUNDLE=FILE BENCH_TRUST_KEY=PUB.pem   serve another bundle
//   BENCH_POLICY=trivial   serve a one-constant policy: the service's own cost
//   BENCH_CONNECTIONS=64   only these connection counts (comma-separated;
//                          the JSON line then needs 1 and 64 to be complete)
//   BENCH_FLOOR=0     skip the floor
//   BENCH_ROUNDS=3    measure the targets in turn this many times and report
//                     the medians (the JSON line too)
//   BENCH_WRIT_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR"   node flags for
//                          writ's process (default: those of `npm start`;
//                          "" for none)
//
// Latency percentiles are computed here from every response time autocannon
// reports (its own histogram rounds to whole milliseconds).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem, release } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { createServer } from "node:net";
import autocannon from "autocannon";
import { buildExampleBundle } from "../src/contract/example.js";
import { writeTrivialBundle } from "./trivial-bundle.js";
import { threadCpu } from "./proc-cpu.js";
import { exampleRequest } from "./example-request.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "1,8,64").split(",").map(Number);
const children: ChildProcess[] = [];
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** the body for one session (writ keeps state per session) */
  bodyFor?: (session: string) => string;
  /** verdict counts so far (writ's /metrics) */
  verdicts?: () => Promise<Record<string, number>>;
  /** the server's process, for its CPU time per request */
  pid?: number;
}
interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  /** CPU this process (autocannon) used per request, µs */
  loadgenUs: number;
}

function start(cmd: string, args: string[], match: RegExp[], env: NodeJS.ProcessEnv = process.env, echo: (line: string) => void = () => {}): Promise<{ child: ChildProcess; found: string[] }> {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"], env });
  children.push(child);
  return new Promise((resolve, reject) => {
    const found: string[] = [];
    const rl = createInterface({ input: child.stdout! });
    rl.on("line", (line) => {
      echo(line);
      const m = match[found.length]?.exec(line);
      if (m) found.push(m[1]);
      if (found.length === match.length) resolve({ child, found });
    });
    child.once("exit", (code) => reject(new Error(`${cmd} exited (${code}) before it was ready`)));
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const SESSIONS_PER_RUN = 2048;
let runs = 0;

function drive(t: Target, connections: number, duration: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let bad = 0;
    // Prebuilt requests (autocannon builds each once and cycles through
    // them). Each connection keeps to its own share of the run's sessions,
    // as an agent process keeps to its own session. (When every connection
    // cycled through all 2,048, autocannon built and walked 2,048 buffers per
    // connection, and spent more of the shared cores per request.)
    const run = runs++;
    const bodies = t.bodyFor ? Array.from({ length: SESSIONS_PER_RUN }, (_, i) => t.bodyFor!(`bench-${run}-${i}`)) : undefined;
    const share = Math.max(1, Math.floor(SESSIONS_PER_RUN / connections));
    let clients = 0;
    const sessions = bodies
      ? {
          requests: [{ body: bodies[0] }],
          setupClient: (client: { setRequests(r: { body: string }[]): void }) => {
            const first = (clients++ * share) % SESSIONS_PER_RUN;
            client.setRequests(bodies.slice(first, first + share).map((body) => ({ body })));
          },
        }
      : {};
    const cpu0 = process.cpuUsage();
    const inst = autocannon({ url: t.url, method: "POST", headers: t.headers, body: t.body, ...sessions, connections, duration, pipelining: 1 }, (err, result) => {
      if (err) return reject(err);
      const cpu = process.cpuUsage(cpu0);
      const sorted = Float64Array.from(latencies).sort();
      resolve({ rps: result.requests.total / result.duration, p50: percentile(sorted, 50), p99: percentile(sorted, 99), bad: bad + result.errors + result.timeouts, loadgenUs: (cpu.user + cpu.system) / Math.max(1, result.requests.total) });
    });
    inst.on("response", (_c, status, _b, ms) => {
      if (status !== 200) bad++;
      else latencies.push(ms);
    });
  });
}

async function measure(t: Target): Promise<Map<number, RunResult>> {
  await drive(t, 8, 2); // warm-up: JIT, caches, connections
  const out = new Map<number, RunResult>();
  for (const c of CONNECTIONS) {
    const before = await t.verdicts?.();
    const cpu0 = t.pid ? threadCpu(t.pid) : undefined;
    const r = await drive(t, c, seconds);
    const cpu1 = t.pid ? threadCpu(t.pid) : undefined;
    const after = await t.verdicts?.();
    out.set(c, r);
    const n = r.rps * seconds;
    const cpu = cpu0 && cpu1 ? `   cpu/req: main ${((cpu1.main - cpu0.main) / n).toFixed(0)} µs (+${((cpu1.mainWaited - cpu0.mainWaited) / n).toFixed(0)} waiting for a core), other threads ${((cpu1.others - cpu0.others) / n).toFixed(0)} µs` : "";
    const got = before && after ? "   " + Object.keys(after).map((v) => `${v} ${after[v] - (before[v] ?? 0)}`).join(", ") : "";
    process.stdout.write(`${t.name.padEnd(8)} c=${String(c).padEnd(3)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms${r.bad ? `   NON-200/errors: ${r.bad}` : ""}${cpu}   load generator ${r.loadgenUs.toFixed(0)} µs${got}\n`);
  }
  return out;
}

const exampleBody = exampleRequest("bench-session");

/** writ's verdict counters from /metrics */
async function verdictsAt(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(base + "/metrics")).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^writ_decisions_total\{decision="(\w+)"\} (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** The node flags of `npm start` (the service as the README runs it). */
function startNodeFlags(): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  return /^node\s+((?:--\S+\s+)*)bin\/writ\.js/.exec(pkg.scripts.start ?? "")?.[1]?.trim() ?? "";
}

async function writTarget(dataDir: string, name = "writ", checkout = root): Promise<Target> {
  // BENCH_BUNDLE + BENCH_TRUST_KEY serve another bundle (e.g. a trivial policy,
  // to see the service's own cost apart from the policy's)
  const built = process.env.BENCH_BUNDLE
    ? { bundlePath: process.env.BENCH_BUNDLE, publicKeyPath: process.env.BENCH_TRUST_KEY! }
    : process.env.BENCH_POLICY === "trivial"
      ? await writeTrivialBundle(work)
      : await buildExampleBundle();
  // writ runs as `npm start` runs it (package.json), unless told otherwise
  const nodeFlags = (process.env.BENCH_WRIT_NODE_OPTIONS ?? startNodeFlags()).split(/\s+/).filter(Boolean);
  if (name === "writ") process.stdout.write(`writ's node flags: ${nodeFlags.join(" ") || "(none)"}\n`);
  const args = [...nodeFlags, join(checkout, "bin/writ.js"), "serve", "--bundle", built.bundlePath, "--trust-key", built.publicKeyPath, "--data-dir", dataDir, "--port", "0", "--issue-token", "coder"];
  const { child, found } = await start(process.execPath, args, [/^writ serve: (\S+)/, /^agent token for coder: (\S+)/], process.env, (line) => line.startsWith("writ serve:") && process.stdout.write(line.replace(/^writ serve: \S+ /, "target: ") + "\n"));
  const headers = { authorization: `Bearer ${found[1]}`, "content-type": "application/json" };
  const probe = (await (await fetch(found[0] + "/v1/decide", { method: "POST", headers, body: exampleBody })).json()) as { decision: string; rule_ids: string[] };
  process.stdout.write(`${name} answers: ${probe.decision} (${probe.rule_ids.join(", ")})\n`);
  return { name, url: found[0] + "/v1/decide", headers, body: exampleBody, bodyFor: exampleRequest, verdicts: () => verdictsAt(found[0]), pid: child.pid };
}

async function floorTarget(): Promise<Target> {
  const { child, found } = await start(process.execPath, [join(root, "dist/bench/floor.js")], [/^url (\S+)/]);
  return { name: "floor", url: found[0] + "/v1/decide", headers: { "content-type": "application/json" }, body: exampleBody, pid: child.pid };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// Cerbos, installed on demand into a cache dir (not a dependency of writ),
// with an equivalent policy: allow tool actions, deny shell `rm -rf`.
async function peerTarget(work: string): Promise<Target | undefined> {
  const cache = join(root, "node_modules/.cache/writ-bench-cerbos");
  const bin = join(cache, "node_modules/@cerbos/cerbos-linux-x64/cerbos-linux-x64");
  if (!existsSync(bin)) {
    mkdirSync(cache, { recursive: true });
    process.stdout.write("installing @cerbos/cerbos-linux-x64 (peer, on demand)…\n");
    const r = spawnSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", cache, "@cerbos/cerbos-linux-x64@0.55.0"], { stdio: "inherit" });
    if (r.status !== 0 || !existsSync(bin)) {
      process.stdout.write("peer: could not install Cerbos; skipped\n");
      return undefined;
    }
  }
  const policies = join(work, "cerbos-policies");
  mkdirSync(policies, { recursive: true });
  writeFileSync(
    join(policies, "tool_action.yaml"),
    `apiVersion: api.cerbos.dev/v1
resourcePolicy:
  version: default
  resource: tool_action
  rules:
    - actions: ["shell"]
      effect: EFFECT_DENY
      roles: ["agent"]
      condition:
        match:
          expr: request.resource.attr.command.contains("rm -rf")
    - actions: ["*"]
      effect: EFFECT_ALLOW
      roles: ["agent"]
`,
  );
  const http = await freePort();
  const grpc = await freePort();
  const conf = join(work, "cerbos.yaml");
  writeFileSync(
    conf,
    `server:
  httpListenAddr: "127.0.0.1:${http}"
  grpcListenAddr: "127.0.0.1:${grpc}"
storage:
  driver: disk
  disk:
    directory: ${policies}
    watchForChanges: false
audit:
  enabled: false
telemetry:
  disabled: true
`,
  );
  const child = spawn(bin, ["server", `--config=${conf}`, "--log-level=error"], { stdio: "ignore" });
  children.push(child);
  const pid = child.pid;
  const url = `http://127.0.0.1:${http}/api/check/resources`;
  const body = JSON.stringify({
    requestId: "bench",
    principal: { id: "bench-agent", roles: ["agent"] },
    resources: [{ actions: ["file_read"], resource: { kind: "tool_action", id: "1", attr: { paths: ["/work/webapp/src/auth/login.ts"], command: "", cwd: "/work/webapp" } } }],
  });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url, { method: "POST", body });
      if (r.ok && (await r.text()).includes("EFFECT_ALLOW")) return { name: "cerbos", url, headers: { "content-type": "application/json" }, body, pid };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write("peer: Cerbos did not come up; skipped\n");
  return undefined;
}

const work = mkdtempSync(join(tmpdir(), "writ-bench-"));
const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, mem_gib: Math.round(totalmem() / 2 ** 30), node: process.version, kernel: release(), load1_at_start: Number(loadavg()[0].toFixed(2)) };
process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.mem_gib} GiB, node ${machine.node}, linux ${machine.kernel}, load average ${machine.load1_at_start}; ${seconds} s per run\n`);

const kill = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.once("exit", r), c.kill("SIGTERM"))));

// All targets run side by side (an idle one costs nothing) and are measured
// in turn, BENCH_ROUNDS times: on a VM whose speed drifts with its host,
// interleaved rounds compare writ with the floor and the peer at the same
// moments, and the medians over rounds are what is reported.
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
const targets: Target[] = [await writTarget(join(work, "data"))];
// BENCH_BASELINE=<another writ checkout, built>: its service too, serving the
// same bundle with the same flags, measured in turn with the others (what a
// change did, with the VM's drift taken out)
const baselineCheckout = process.env.BENCH_BASELINE;
if (baselineCheckout) targets.push(await writTarget(join(work, "baseline-data"), "baseline", baselineCheckout));
if (process.env.BENCH_FLOOR !== "0") targets.push(await floorTarget());
if (process.env.BENCH_PEER !== "0") {
  const peer = await peerTarget(work);
  if (peer) targets.push(peer);
}
const results = new Map<string, Map<number, RunResult>[]>(targets.map((t) => [t.name, []]));
for (let r = 1; r <= rounds; r++) {
  if (rounds > 1) process.stdout.write(`round ${r}/${rounds} (load average ${loadavg()[0].toFixed(2)})\n`);
  // writ and its baseline swap places every other round, so neither is
  // always the one measured right after the other
  const order = baselineCheckout && r % 2 === 0 ? [targets[1]!, targets[0]!, ...targets.slice(2)] : targets;
  for (const t of order) results.get(t.name)!.push(await measure(t));
}
await Promise.all(children.map(kill));
const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** per connection count, the median over rounds of each measure */
const summary = (name: string): Map<number, RunResult> | undefined => {
  const runs = results.get(name);
  if (!runs?.length) return undefined;
  const out = new Map<number, RunResult>();
  for (const c of CONNECTIONS) {
    const at = runs.map((m) => m.get(c)!).filter(Boolean);
    out.set(c, { rps: medianOf(at.map((x) => x.rps)), p50: medianOf(at.map((x) => x.p50)), p99: medianOf(at.map((x) => x.p99)), bad: at.reduce((n, x) => n + x.bad, 0), loadgenUs: medianOf(at.map((x) => x.loadgenUs)) });
  }
  if (rounds > 1) {
    for (const [c, x] of out) process.stdout.write(`${name.padEnd(8)} c=${String(c).padEnd(3)} ${x.rps.toFixed(0).padStart(7)} req/s   p50 ${x.p50.toFixed(3)} ms   p99 ${x.p99.toFixed(3)} ms   (median of ${rounds} rounds)\n`);
  }
  return out;
};
const w = summary("writ")!;
const b = summary("baseline");
const f = summary("floor") ?? new Map<number, RunResult>();
const p = summary("cerbos");
if (b) {
  // per round, writ against the baseline measured just before or after it
  const ours = results.get("writ")!;
  const theirs = results.get("baseline")!;
  for (const c of CONNECTIONS) {
    const ratios = ours.map((m, i) => m.get(c)!.rps / theirs[i]!.get(c)!.rps).sort((x, y) => x - y);
    process.stdout.write(`writ/baseline c=${String(c).padEnd(3)} req/s ratio per round ${ratios.map((x) => x.toFixed(2)).join(" ")}, median ${medianOf(ratios).toFixed(2)}\n`);
  }
}
rmSync(work, { recursive: true, force: true });
const round = (n: number | undefined, d = 3) => (n === undefined || Number.isNaN(n) ? null : Number(n.toFixed(d)));
process.stdout.write(
  JSON.stringify({
    p50_ms_c1: round(w.get(1)?.p50),
    p99_ms_c1: round(w.get(1)?.p99),
    rps_c64: round(w.get(64)?.rps, 0),
    floor_rps_c64: round(f.get(64)?.rps, 0),
    peer_rps_c64: round(p?.get(64)?.rps, 0),
    peer_p50_ms_c1: round(p?.get(1)?.p50),
    ...(b ? { baseline_rps_c64: round(b.get(64)?.rps, 0), baseline_p50_ms_c1: round(b.get(1)?.p50) } : {}),
    machine,
  }) + "\n",
);
process.exit(0);
