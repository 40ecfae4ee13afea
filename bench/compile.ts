// npm run bench:compile — compile time of writ's Rego toolchain:
//  1. every conformance case's modules + query, compiled once each:
//     median and p99 ms per case (parse time too, for comparison);
//  2. a generated, realistic 500-rule policy: parse and compile time
//     (median of several runs).
// Until the back end compiles a case, the compile lines say so and the
// parse numbers stand alone.
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { compileRego } from "../src/rego/compile.js";
import { findConformanceDir, loadCases } from "../src/rego/conformance/cases.js";
import { parseModule, parseQuery } from "../src/rego/parser/index.js";

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
const ms = (x: number) => (Number.isNaN(x) ? "n/a" : `${x.toFixed(3)} ms`);
const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

/** A policy of `n` distinct rules in the style of agent-tool policies:
 *  complete rules, partial sets with iteration, functions, comprehensions,
 *  else chains and defaults. */
export function generatePolicy(n: number): string {
  const out = ["package bench.generated", "", "import rego.v1", "", "default allow := false", ""];
  for (let i = 0; out.length < 6 + n * 8 && i < n; i++) {
    switch (i % 7) {
      case 0:
        out.push(`allow if {`, `  input.tool == "tool_${i}"`, `  input.user.role in {"admin", "dev_${i}"}`, `  count(deny) == 0`, `}`);
        break;
      case 1:
        out.push(`deny contains msg if {`, `  some arg in input.args`, `  startswith(arg, "/etc/${i}")`, `  msg := sprintf("path %s is blocked (rule ${i})", [arg])`, `}`);
        break;
      case 2:
        out.push(`risk_${i}(x) := score if {`, `  score := (x.size * ${i}) / 100 + count(x.labels)`, `} else := 0`);
        break;
      case 3:
        out.push(`names_${i} := {name | some u in input.users; u.level > ${i % 10}; name := u.name}`);
        break;
      case 4:
        out.push(`limits_${i}[key] := value if {`, `  some key, value in data.limits`, `  value >= ${i}`, `  not key in data.exempt_${i}`, `}`);
        break;
      case 5:
        out.push(`ports_${i} := [p | some p in input.ports; p > ${1000 + i}; p < ${2000 + i}]`);
        break;
      default:
        out.push(
          `check_${i} if {`,
          `  every r in input.requests { r.method in ["GET", "HEAD"] }`,
          `  risk_${i - 4}(input.payload) < ${i}`,
          `  $"user-{input.user.id}" != "user-${i}"`,
          `}`,
        );
    }
    out.push("");
  }
  return out.join("\n");
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? "unknown cpu"}, ${cpu.length} cores, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`);

  const root = findConformanceDir();
  if (root) {
    const cases = loadCases(root);
    const parseTimes: number[] = [];
    const compileTimes: number[] = [];
    let compileErrors = 0;
    let firstError = "";
    for (const c of cases) {
      const modules = (c.modules ?? []).map((source, i) => ({ path: `module${i}.rego`, source }));
      const t0 = performance.now();
      try {
        for (const m of modules) parseModule(m.source, m.path);
        parseQuery(c.query);
        parseTimes.push(performance.now() - t0);
      } catch {
        // a case that expects a parse error
      }
      const t1 = performance.now();
      try {
        await compileRego({ modules, entrypoints: [], queries: { q: c.query }, strictBuiltinErrors: c.strict_error ?? false });
        compileTimes.push(performance.now() - t1);
      } catch (e) {
        compileErrors++;
        firstError ||= e instanceof Error ? e.message.split("\n")[0]! : String(e);
      }
    }
    parseTimes.sort((a, b) => a - b);
    compileTimes.sort((a, b) => a - b);
    console.log(`conformance cases: ${cases.length}`);
    console.log(`  parse   (modules + query): median ${ms(quantile(parseTimes, 0.5))}, p99 ${ms(quantile(parseTimes, 0.99))} over ${parseTimes.length} cases`);
    if (compileTimes.length > 0) {
      console.log(`  compile (parse → Wasm):    median ${ms(quantile(compileTimes, 0.5))}, p99 ${ms(quantile(compileTimes, 0.99))} over ${compileTimes.length} cases (${compileErrors} did not compile)`);
    } else {
      console.log(`  compile: no case compiled yet (first error: ${firstError}); parse times only`);
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
  const compileRuns: number[] = [];
  let compileError = "";
  for (let i = 0; i < 5 && !compileError; i++) {
    const t = performance.now();
    try {
      await compileRego({ modules: [{ path: "generated.rego", source: policy }], entrypoints: ["bench/generated/allow"] });
      compileRuns.push(performance.now() - t);
    } catch (e) {
      compileError = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    }
  }
  if (compileRuns.length > 0) {
    console.log(`  compile: median ${ms(median(compileRuns))}, fastest ${ms(Math.min(...compileRuns))} (${compileRuns.length} runs)`);
  }
  else console.log(`  compile: not available yet (${compileError}); parse time only`);
}

await main();
