// `npm run bench:tiering`: how fast the example policy evaluates over its
// first evaluations, compiled as V8 does by default (Liftoff first, TurboFan
// once a function has run enough) and as `writ serve` compiles it (TurboFan
// for every function when the module is compiled; src/engine/tiering.ts).
// Each way runs in a fresh process (the flags are per process), alternately,
// BENCH_ROUNDS times (default 3); the table shows the median µs per
// evaluation in each window of evaluations, and the load time (bundle read,
// verify, compile, warm-up).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { buildExampleBundle } from "../src/contract/example.js";
import { readBundle } from "../src/bundle/read.js";
import { WasmPolicyEngine } from "../src/engine/wasm.js";
import { compileWasmOptimized } from "../src/engine/tiering.js";
import { policyInput } from "../src/decide/input.js";
import { canonicalJson } from "../src/decide/canonical.js";
import { exampleRequest } from "./example-request.js";

const WINDOWS = [10, 100, 1_000, 5_000, 20_000, 60_000];

async function child(mode: string, bundlePath: string, keyPath: string): Promise<void> {
  if (mode === "serve") compileWasmOptimized();
  const t0 = performance.now();
  const bundle = readBundle(readFileSync(bundlePath), { publicKey: readFileSync(keyPath, "utf8") });
  const engine = await WasmPolicyEngine.fromBundle(bundle);
  const load = performance.now() - t0;
  const canon = canonicalJson(JSON.parse(exampleRequest("tiering")));
  const now = Date.now();
  const session = { id: "tiering", labels: [], counters: { total: 3, file_read: 3 }, spend: { usd: 0, tokens: 0, tool_calls: 3 }, started_at: new Date(now).toISOString() };
  const input = policyInput(canon, { id: "coder", role: "agent" }, session, new Date(now).toISOString(), now, { usd: 0, tokens: 0, tool_calls: 3 });
  const windows: number[] = [];
  let done = 0;
  for (const upto of WINDOWS) {
    const t = performance.now();
    for (let i = done; i < upto; i++) engine.evaluate(input);
    windows.push(((performance.now() - t) * 1000) / (upto - done));
    done = upto;
  }
  process.stdout.write(JSON.stringify({ load, windows }) + "\n");
}

if (process.argv[2] === "--child") {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const built = await buildExampleBundle();
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(`machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadavg()[0].toFixed(2)}\n`);
  const results: Record<string, { load: number; windows: number[] }[]> = { default: [], serve: [] };
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 ? ["serve", "default"] : ["default", "serve"]) {
      const out = spawnSync(process.execPath, [self, "--child", mode, built.bundlePath, built.publicKeyPath], { encoding: "utf8" });
      if (out.status !== 0) throw new Error(`${mode}: ${out.stderr}`);
      results[mode].push(JSON.parse(out.stdout.trim().split("\n").pop()!));
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  let from = 0;
  const heads = WINDOWS.map((w) => { const h = `${from}-${w}`; from = w; return h; });
  process.stdout.write(`µs per evaluation of the example policy, by evaluations since load (median of ${rounds} processes each)\n`);
  process.stdout.write(`${"compiled".padEnd(34)} ${"load ms".padStart(8)} ${heads.map((h) => h.padStart(11)).join(" ")}\n`);
  for (const [mode, label] of [["default", "V8 default (Liftoff, tier-up)"], ["serve", "writ serve (TurboFan at compile)"]] as const) {
    const rs = results[mode];
    process.stdout.write(`${label.padEnd(34)} ${median(rs.map((x) => x.load)).toFixed(0).padStart(8)} ${WINDOWS.map((_, i) => median(rs.map((x) => x.windows[i])).toFixed(1).padStart(11)).join(" ")}\n`);
  }
}
