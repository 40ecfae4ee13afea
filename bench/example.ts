// npm run bench:example — the example organisation (examples/acme):
//  1. building its signed bundle, cold (fresh process state is not possible
//     here, so the first build is reported apart) and warm: ms per stage;
//  2. evaluating writ/decision for each normalized action of its conformance
//     suite in the unmodified OPA SDK with writ's host builtins: µs per
//     decision (median, p99; wall and CPU) and host builtin calls per decision.
import { cpus, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { parse as parseYaml } from "yaml";
import { buildPolicyBundle } from "../src/contract/build.js";
import { examplePaths } from "../src/contract/example.js";
import { readBundle } from "../src/bundle/index.js";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import { generateSigningKeyPair } from "../src/sign/keys.js";
import type { PolicyInput } from "../src/decide/types.js";

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const p = examplePaths();
const key = generateSigningKeyPair().privateKey;
const sources = { rego: [p.rego], contracts: [p.contracts], manifests: [p.manifests], signingKey: key, sourceRoot: p.root };

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
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

const suite = parseYaml(readFileSync(join(p.root, "examples/acme/fixtures/basics.yaml"), "utf8"));
const setup = suite.setup;
const inputs: { name: string; input: PolicyInput }[] = suite.events
  .filter((e: { action?: unknown }) => e.action)
  .map((e: { name: string; agent?: string; contract?: string; now?: string; action: { event?: string; tool: string; action: PolicyInput["action"]["action"] } }) => ({
    name: e.name,
    input: {
      action: { harness: setup.harness, session_id: setup.session.id, event: e.action.event ?? "pre_tool_use", tool: e.action.tool, action: e.action.action, cwd: setup.cwd, model: setup.model, contract_id: e.contract ?? setup.contract },
      agent: { id: e.agent ?? setup.agent },
      session: { id: setup.session.id, labels: [], counters: {}, spend: setup.session.spend, started_at: setup.now },
      now: e.now ?? setup.now,
    },
  }));

const N = 200;
const all: number[] = [];
let cpu = 0;
let hostCalls = 0;
for (const { input } of inputs) {
  policy.evaluate(input, "writ/decision"); // warm this path
  for (const k of Object.keys(calls)) delete calls[k];
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    policy.evaluate(input, "writ/decision");
    all.push((performance.now() - t) * 1000);
  }
  const c = process.cpuUsage(c0);
  cpu += c.user + c.system;
  hostCalls += Object.values(calls).reduce((a, b) => a + b, 0) / N;
}
all.sort((a, b) => a - b);
console.log(
  `decide: ${inputs.length} actions × ${N}: median ${quantile(all, 0.5).toFixed(0)} µs, p99 ${quantile(all, 0.99).toFixed(0)} µs wall; ` +
    `${(cpu / (inputs.length * N)).toFixed(0)} µs CPU per decision; ${(hostCalls / inputs.length).toFixed(1)} host builtin calls per decision`,
);
