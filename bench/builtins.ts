// Per-call time of the hot host builtins, called directly in TypeScript
// through the SDK-facing wrapper (error policy included), against a no-op
// function in the same run. Prints median and p99 in ns and the machine.
//   npm run bench:builtins
import { cpus } from "node:os";
import { createHostBuiltins } from "../src/rego/builtins/host.js";

type Fn = (...args: unknown[]) => unknown;

const builtins = createHostBuiltins();
const ITERATIONS_PER_SAMPLE = 2_000;
const SAMPLES = 400;

/**
 * ns per call for each sample of ITERATIONS_PER_SAMPLE calls. Each builtin
 * gets its own compiled loop (new Function) so one call site never sees
 * several targets, which would slow every case down alike.
 */
function measure(fn: Fn, args: unknown[]): number[] {
  const loop = new Function(
    "fn",
    "args",
    "n",
    `const [a, b, c] = args; let sink; for (let i = 0; i < n; i++) sink = fn(a, b, c); return sink;`,
  ) as (fn: Fn, args: unknown[], n: number) => unknown;
  loop(fn, args, 20_000); // warm up (JIT, caches)
  const out: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = process.hrtime.bigint();
    loop(fn, args, ITERATIONS_PER_SAMPLE);
    out.push(Number(process.hrtime.bigint() - t0) / ITERATIONS_PER_SAMPLE);
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const noop: Fn = (a) => a;
const cases: [string, Fn, unknown[]][] = [
  ["baseline no-op", noop, ["x"]],
  ["startswith", builtins["startswith"]!, ["/workspace/project/src/index.ts", "/workspace/"]],
  ["glob.match", builtins["glob.match"]!, ["api.**.com", ["."], "api.cdn.github.com"]],
  ["glob.match (path)", builtins["glob.match"]!, ["/workspace/**/*.ts", ["/"], "/workspace/project/src/index.ts"]],
  ["regex.match", builtins["regex.match"]!, ["^(rm|mv)\\s+-rf?\\s+/", "rm -rf /tmp/build"]],
  ["sprintf", builtins["sprintf"]!, ["tool %s denied for %s (%d calls)", ["Bash", "agent-7", 42]]],
  ["object.get", builtins["object.get"]!, [{ tool: { name: "Bash", input: { command: "ls" } } }, ["tool", "input", "command"], ""]],
];

console.log(`machine: ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, node ${process.version}`);
console.log(`${SAMPLES} samples of ${ITERATIONS_PER_SAMPLE} calls each; ns per call`);
console.log("builtin".padEnd(22) + "median".padStart(10) + "p99".padStart(10));
for (const [name, fn, args] of cases) {
  const xs = measure(fn, args);
  console.log(name.padEnd(22) + pct(xs, 50).toFixed(1).padStart(10) + pct(xs, 99).toFixed(1).padStart(10));
}
