// npm run bench:compile — compile time of writ's Rego toolchain:
//  1. every conformance case's modules + query, compiled once each:
//     median and p99 ms per case (parse time too, for comparison);
//  2. a generated, realistic 500-rule policy: parse and compile time
//     (median of several runs).
// Until the back end compiles a case, the compile lines say so, and the
// stages before it (parse → IR) are timed instead where compile.ts has them.
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { findConformanceDir, loadCases } from "../src/rego/conformance/cases.js";
import { runPool } from "../src/rego/conformance/pool.js";
import type { CompileJob, CompileTiming } from "./compile-worker.js";
import { generatePolicy } from "./policy-gen.js";
import { parseModule, parseQuery } from "../src/rego/parser/index.js";

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
const ms = (x: number) => (Number.isNaN(x) ? "n/a" : `${x.toFixed(3)} ms`);
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

const WORKER = new URL("./compile-worker.js", import.meta.url);
const failed = (reason: string): CompileTiming => ({ ms: [], error: reason });

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? "unknown cpu"}, ${cpu.length} cores, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`);

  const root = findConformanceDir();
  if (root) {
    const cases = loadCases(root);
    // parse times here; compile times in workers with a time limit
    const parseTimes: number[] = [];
    for (const c of cases) {
      const t0 = performance.now();
      try {
        (c.modules ?? []).forEach((m, i) => parseModule(m, `test-${i}.rego`));
        parseQuery(c.query);
        parseTimes.push(performance.now() - t0);
      } catch {
        // a case that expects a parse error
      }
    }
    const jobs: CompileJob[] = cases.map((c) => ({
      options: {
        modules: (c.modules ?? []).map((source, i) => ({ path: `test-${i}.rego`, source })),
        entrypoints: [],
        queries: { q: c.query },
        strictBuiltinErrors: c.strict_error ?? false,
      },
      runs: 1,
    }));
    const timings = await runPool<CompileJob, CompileTiming>(jobs, { workerUrl: WORKER, workers: 2, timeoutMs: 10_000, failure: failed });
    const compileTimes = timings.filter((t) => !t.error).map((t) => t.ms[0]!);
    const errors = timings.filter((t) => t.error);
    parseTimes.sort((a, b) => a - b);
    compileTimes.sort((a, b) => a - b);
    console.log(`conformance cases: ${cases.length}`);
    console.log(`  parse   (modules + query): median ${ms(quantile(parseTimes, 0.5))}, p99 ${ms(quantile(parseTimes, 0.99))} over ${parseTimes.length} cases`);
    if (compileTimes.length > 0) {
      const timedOut = errors.filter((t) => t.error!.startsWith("timed out")).length;
      console.log(`  compile (parse → Wasm):    median ${ms(quantile(compileTimes, 0.5))}, p99 ${ms(quantile(compileTimes, 0.99))} over ${compileTimes.length} cases (${errors.length} did not compile, ${timedOut} of them timed out)`);
    } else {
      console.log(`  compile: no case compiled yet (first error: ${errors[0]?.error ?? "none"})`);
      const irTimes = timings.flatMap((t) => t.irMs ?? []).sort((a, b) => a - b);
      if (irTimes.length > 0) {
        console.log(`  parse → IR (no Wasm yet):  median ${ms(quantile(irTimes, 0.5))}, p99 ${ms(quantile(irTimes, 0.99))} over ${irTimes.length} cases`);
      }
    }
  } else {
    console.log("conformance cases: shared/opa-conformance not found, skipped");
  }

  const policy = generatePolicy(500);
  const rules = parseModule(policy, "generated.rego").rules.length;
  const lines = policy.split("\n").length;
  for (let i = 0; i < 5; i++) parseModule(policy, "generated.rego"); // warm up
  const parseRuns: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    parseModule(policy, "generated.rego");
    parseRuns.push(performance.now() - t);
  }
  console.log(`generated policy: ${rules} rules, ${lines} lines, ${policy.length} bytes`);
  console.log(`  parse:   median ${ms(median(parseRuns))}, fastest ${ms(Math.min(...parseRuns))} (30 runs)`);
  const [timing] = await runPool<CompileJob, CompileTiming>(
    [{ options: { modules: [{ path: "generated.rego", source: policy }], entrypoints: ["bench/generated/allow"] }, runs: 6 }],
    { workerUrl: WORKER, workers: 1, timeoutMs: 120_000, failure: failed },
  );
  // the first run warms the compiler up; the median is of the others
  const compileRuns = timing!.ms.slice(1);
  if (!timing!.error && compileRuns.length > 0) {
    console.log(`  compile: median ${ms(median(compileRuns))}, fastest ${ms(Math.min(...compileRuns))} (${compileRuns.length} runs after a warm-up)`);
  } else {
    console.log(`  compile: not available yet (${timing!.error})`);
    const irRuns = timing!.irMs?.slice(1) ?? [];
    if (irRuns.length > 0) console.log(`  parse → IR (no Wasm yet): median ${ms(median(irRuns))}, fastest ${ms(Math.min(...irRuns))} (${irRuns.length} runs after a warm-up)`);
  }
}

await main();
