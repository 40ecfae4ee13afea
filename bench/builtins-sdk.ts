// Per-call cost of a builtin through the SDK: a one-rule policy calling it,
// compiled by writ and evaluated with policy.evaluate(), minus the same
// input's baseline policy (`p := input.s`) measured in alternation with it.
// Each builtin is measured twice in the same run: as the module calls it
// (native when the runtime has it) and forced through the host map (the IR's
// builtin declaration turned into a host call), so native and host compare
// under the same load.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileToIR } from "../src/rego/compile.js";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import type { Policy } from "../src/rego/ir.js";
import { emitWasm } from "../src/rego/wasm/emit.js";

export interface SdkCase {
  name: string;
  /** the rule body's expression, e.g. `startswith(input.s, input.p)` */
  expr: string;
  input: Record<string, unknown>;
}

export interface SdkResult {
  name: string;
  mode: "native" | "host";
  /** ns per call, net of the baseline */
  median: number;
  p99: number;
  /** the fastest sample of the builtin's policy minus the fastest of the
   *  baseline: the least disturbed by other load */
  min: number;
  /** the whole evaluate() of the builtin's policy, median ns */
  evalMedian: number;
}

type Evaluate = (input: unknown) => unknown;

function policyIR(expr: string): Policy {
  return compileToIR({ modules: [{ path: "b.rego", source: `package b\n\np := ${expr}\n` }], entrypoints: ["b/p"] });
}

/** The IR with every native builtin declaration turned into a host call. */
function forceHost(policy: Policy): Policy {
  let next = Math.max(-1, ...policy.builtins.map((b) => b.id)) + 1;
  return { ...policy, builtins: policy.builtins.map((b) => (b.native ? { ...b, native: false, id: next++ } : b)) };
}

async function load(policy: Policy): Promise<Evaluate> {
  const loaded = await loadPolicy(emitWasm(policy), undefined, hostBuiltins);
  return (input) => loaded.evaluate(input, "b/p");
}

/** ns per evaluate() over `n` calls. */
function sample(evaluate: Evaluate, input: unknown, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) evaluate(input);
  return Number(process.hrtime.bigint() - t0) / n;
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function measureThroughSdk(c: SdkCase, mode: "native" | "host", samples: number, perSample: number): Promise<SdkResult> {
  const ir = policyIR(c.expr);
  const subject = await load(mode === "host" ? forceHost(ir) : ir);
  const baseline = await load(policyIR("input.s"));
  const result = subject(c.input) as { result: unknown }[];
  if (result.length !== 1) throw new Error(`${c.name}: no result from ${c.expr}`);
  for (let i = 0; i < 2_000; i++) {
    subject(c.input);
    baseline(c.input);
  }
  const net: number[] = [];
  const whole: number[] = [];
  let baseMin = Infinity;
  for (let s = 0; s < samples; s++) {
    // alternate which runs first so neither always sees a cold cache
    let b: number;
    let x: number;
    if (s % 2 === 0) {
      b = sample(baseline, c.input, perSample);
      x = sample(subject, c.input, perSample);
    } else {
      x = sample(subject, c.input, perSample);
      b = sample(baseline, c.input, perSample);
    }
    net.push(x - b);
    whole.push(x);
    baseMin = Math.min(baseMin, b);
  }
  net.sort((a, b) => a - b);
  whole.sort((a, b) => a - b);
  return { name: c.name, mode, median: pct(net, 50), p99: pct(net, 99), min: whole[0]! - baseMin, evalMedian: pct(whole, 50) };
}
