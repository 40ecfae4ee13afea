// npm run bench:example — the example organisation (examples/acme):
//  1. building its signed bundle, cold (fresh process state is not possible
//     here, so the first build is reported apart) and warm: ms per stage;
//  2. evaluating writ/decision in the unmodified OPA SDK with writ's host
//     builtins, the input given as the decision pipeline gives it (JSON text
//     with now_ns, encoded to an ArrayBuffer: src/engine/wasm.ts):
//     - one allow, one deny and one approve action: µs per decision, median
//       and p99, in interleaved rounds so that load drifts hit all three;
//     - every action of the conformance suite: median, p99, CPU per
//       decision, host builtin calls per decision.
// The suite's events run in order in one session: the labels an allowed
// action adds hold for the actions after it, as in the fixture runner.
// BENCH_ROUNDS (default 10) × BENCH_N (default 200) evaluations per action.
import { cpus, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { parse as parseYaml } from "yaml";
import { buildPolicyBundle } from "../src/contract/build.js";
import { examplePaths } from "../src/contract/example.js";
import { inputJsonWithNowNs, suiteActionInput, type SuiteActionEvent } from "../src/contract/example-suite.js";
import { readBundle } from "../src/bundle/index.js";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import { generateSigningKeyPair } from "../src/sign/keys.js";

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const p = examplePaths();
const key = generateSigningKeyPair().privateKey;
const sources = { rego: [p.rego], contracts: [p.contracts], manifests: [p.manifests], signingKey: key, sourceRoot: p.root };

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load ${load()}`);
const first = await buildPolicyBundle(sources);
const fmt = (t: Record<string, number>) => Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ");
console.log(`build, first in this process: ${fmt(first.timings)} ms`);
const warm: number[] = [];
for (let i = 0; i < 5; i++) warm.push((await buildPolicyBundle(sources)).timings.total);
warm.sort((a, b) => a - b);
console.log(`build, warm: median ${quantile(warm, 0.5).toFixed(0)} ms (5 runs); bundle ${first.bytes.length} bytes, policy.wasm ${first.files.get("policy.wasm")!.length} bytes`);

const bundle = readBundle(first.bytes, { allowUnsigned: true });
const calls: Record<string, number> = {};
const counting = Object.fromEntries(
  Object.entries(hostBuiltins).map(([name, fn]) => [name, (...args: unknown[]) => ((calls[name] = (calls[name] ?? 0) + 1), fn(...args))]),
);
const policy = await loadPolicy(bundle.wasm, undefined, counting);
policy.setData(bundle.data);
const entrypoint = (policy.entrypoints as Record<string, number>)["writ/decision"]!;
const encoder = new TextEncoder();
interface Decision {
  decision: string;
  labels: string[];
}
const evaluate = (json: string) => (policy.evaluate(encoder.encode(json).buffer, entrypoint) as { result: Decision }[])[0]!.result;

// --- the suite's actions, as the pipeline would send them ------------------

const suite = parseYaml(readFileSync(join(p.root, "examples/acme/fixtures/basics.yaml"), "utf8"));
const labels = new Set<string>(suite.setup.session.labels ?? []);
const actions: { name: string; json: string; decision: string }[] = [];
for (const e of suite.events as SuiteActionEvent[]) {
  if (!e.action) continue;
  const json = inputJsonWithNowNs(suiteActionInput(suite.setup, e, labels));
  const d = evaluate(json);
  if (d.decision === "allow") for (const l of d.labels) labels.add(l);
  actions.push({ name: e.name, json, decision: d.decision });
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const N = Number(process.env.BENCH_N ?? 200);

function time(json: string, out: number[]): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    evaluate(json);
    out.push((performance.now() - t) * 1000);
  }
  const c = process.cpuUsage(c0);
  return c.user + c.system;
}

// --- one action per verdict ------------------------------------------------

const cases = (["allow", "deny", "approve"] as const).map((verdict) => {
  const a = actions.find((x) => x.decision === verdict);
  if (!a) throw new Error(`the example suite has no ${verdict} action`);
  return { verdict, action: a, samples: [] as number[] };
});
// warm these paths: V8 tiers Wasm functions up only after many calls
for (const c of cases) for (let i = 0; i < 1500; i++) evaluate(c.action.json);
const loadBefore = load();
for (let r = 0; r < ROUNDS; r++) for (const c of cases) time(c.action.json, c.samples);
console.log(`decide, per verdict (${ROUNDS} interleaved rounds × ${N}; load before ${loadBefore}, after ${load()}):`);
for (const c of cases) {
  c.samples.sort((a, b) => a - b);
  console.log(`  ${c.verdict.padEnd(7)} median ${quantile(c.samples, 0.5).toFixed(1)} µs, p99 ${quantile(c.samples, 0.99).toFixed(1)} µs  (${c.action.name})`);
}

// --- every action of the suite ---------------------------------------------

const all: number[] = [];
let cpu = 0;
let hostCalls = 0;
for (const { json } of actions) {
  evaluate(json); // warm this path
  for (const k of Object.keys(calls)) delete calls[k];
  cpu += time(json, all);
  hostCalls += Object.values(calls).reduce((a, b) => a + b, 0) / N;
}
all.sort((a, b) => a - b);
console.log(
  `decide, all ${actions.length} actions × ${N}: median ${quantile(all, 0.5).toFixed(1)} µs, p99 ${quantile(all, 0.99).toFixed(1)} µs wall; ` +
    `${(cpu / (actions.length * N)).toFixed(1)} µs CPU per decision; ${(hostCalls / actions.length).toFixed(1)} host builtin calls per decision; load ${load()}`,
);
