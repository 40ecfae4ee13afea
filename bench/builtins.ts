// npm run bench:builtins — per-call time of the hot builtins.
// 1. Through the SDK (what a decision pays): a one-rule policy per builtin,
//    compiled by writ and run with policy.evaluate(), net of the same input's
//    baseline policy `p := input.s`; as compiled (native where the runtime
//    has the builtin) and forced through the host map.
// 2. The TypeScript host implementations called directly, against a no-op.
// Prints median and p99 in ns per call, and the machine with its load.
//   BENCH_SAMPLES=200 BENCH_PER_SAMPLE=500 npm run bench:builtins
import { cpus, loadavg } from "node:os";
import { createHostBuiltins } from "../src/rego/builtins/host.js";
import { measureThroughSdk, type SdkCase } from "./builtins-sdk.js";

type Fn = (...args: unknown[]) => unknown;

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const PER_SAMPLE = Number(process.env.BENCH_PER_SAMPLE ?? 500);

const command = "/workspace/project/src/index.ts";
const sdkCases: SdkCase[] = [
  { name: "startswith", expr: "startswith(input.s, input.p)", input: { s: command, p: "/workspace/" } },
  { name: "glob.match", expr: 'glob.match(input.p, ["."], input.s)', input: { s: "api.cdn.github.com", p: "api.**.com" } },
  { name: "glob.match (path)", expr: 'glob.match(input.p, ["/"], input.s)', input: { s: command, p: "/workspace/**/*.ts" } },
  { name: "regex.match", expr: "regex.match(input.p, input.s)", input: { s: "rm -rf /tmp/build", p: "^(rm|mv)\\s+-rf?\\s+/" } },
  {
    name: "sprintf",
    expr: "sprintf(input.f, [input.a, input.b, input.n])",
    input: { s: "x", f: "tool %s denied for %s (%d calls)", a: "Bash", b: "agent-7", n: 42 },
  },
  {
    name: "object.get",
    expr: 'object.get(input.o, ["tool", "input", "command"], "")',
    input: { s: "x", o: { tool: { name: "Bash", input: { command: "ls" } } } },
  },
];

const builtins = createHostBuiltins();
const directCases: [string, Fn, unknown[]][] = [
  ["baseline no-op", (a) => a, ["x"]],
  ["startswith", builtins["startswith"]!, [command, "/workspace/"]],
  ["glob.match", builtins["glob.match"]!, ["api.**.com", ["."], "api.cdn.github.com"]],
  ["glob.match (path)", builtins["glob.match"]!, ["/workspace/**/*.ts", ["/"], command]],
  ["regex.match", builtins["regex.match"]!, ["^(rm|mv)\\s+-rf?\\s+/", "rm -rf /tmp/build"]],
  ["sprintf", builtins["sprintf"]!, ["tool %s denied for %s (%d calls)", ["Bash", "agent-7", 42]]],
  ["object.get", builtins["object.get"]!, [{ tool: { name: "Bash", input: { command: "ls" } } }, ["tool", "input", "command"], ""]],
];

/** ns per call for each sample; each builtin gets its own compiled loop
 *  (new Function) so one call site never sees several targets. */
function measureDirect(fn: Fn, args: unknown[]): number[] {
  const loop = new Function(
    "fn",
    "args",
    "n",
    `const [a, b, c] = args; let sink; for (let i = 0; i < n; i++) sink = fn(a, b, c); return sink;`,
  ) as (fn: Fn, args: unknown[], n: number) => unknown;
  loop(fn, args, 20_000);
  const out: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = process.hrtime.bigint();
    loop(fn, args, 2_000);
    out.push(Number(process.hrtime.bigint() - t0) / 2_000);
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ns = (x: number) => x.toFixed(0).padStart(9);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

console.log(`machine: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, node ${process.version}, load average ${load()}`);
console.log(`\nthrough the SDK: ns per call net of the baseline policy; ${SAMPLES} samples of ${PER_SAMPLE} evaluations`);
console.log("builtin".padEnd(20) + "native med".padStart(11) + "p99".padStart(9) + "min".padStart(7) + "host med".padStart(11) + "p99".padStart(9) + "min".padStart(7) + "   eval med native/host");
for (const c of sdkCases) {
  const native = await measureThroughSdk(c, "native", SAMPLES, PER_SAMPLE);
  const host = await measureThroughSdk(c, "host", SAMPLES, PER_SAMPLE);
  console.log(
    c.name.padEnd(20) + ns(native.median).padStart(11) + ns(native.p99) + ns(native.min).slice(2) + ns(host.median).padStart(11) + ns(host.p99) + ns(host.min).slice(2) +
      `   ${native.evalMedian.toFixed(0)}/${host.evalMedian.toFixed(0)}`,
  );
}
console.log(`\nthe TypeScript host implementations called directly: ns per call; ${SAMPLES} samples of 2000 calls`);
console.log("builtin".padEnd(20) + "median".padStart(11) + "p99".padStart(9));
for (const [name, fn, args] of directCases) {
  const xs = measureDirect(fn, args);
  console.log(name.padEnd(20) + ns(pct(xs, 50)).padStart(11) + ns(pct(xs, 99)));
}
console.log(`\nload average at the end ${load()}`);
