// npm run bench:eval — time of one policy.evaluate() through the unmodified
// @open-policy-agent/opa-wasm SDK, for a few hand-written IR policies, against
// a trivial baseline policy measured in the same run (the baseline is mostly
// the SDK's own JSON encoding and decoding). Also the emitter's compile time.
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import type { Policy } from "../src/rego/ir.js";
import { emitWasm } from "../src/rego/wasm/emit.js";
import { B, DATA, INPUT, IR, L, block, st } from "../test/wasm-ir.js";

interface Bench {
  name: string;
  policy: Policy;
  input: unknown;
  data?: unknown;
}

/** true, whatever the input. */
function baseline(): Policy {
  const ir = new IR();
  ir.plan("b/allow", block(st({ type: "assignvar", source: B(true), target: 2 }), ...ir.result(2)));
  return ir.policy();
}

/** allow if input.user == "alice" */
function userEquals(): Policy {
  const ir = new IR();
  ir.plan(
    "b/allow",
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("user"), target: 2 }),
      st({ type: "equal", a: L(2), b: ir.s("alice") }),
      st({ type: "assignvar", source: B(true), target: 3 }),
      ...ir.result(3),
    ),
  );
  return ir.policy();
}

/** An agent tool gate:
 *    deny contains msg if { some arg in input.args; startswith(arg, "/etc/"); msg := concat("", ["blocked: ", arg]) }
 *    allow if { input.tool in data.allowed_tools; input.user.role in {"admin", "dev"}; count(deny) == 0 }
 *  with deny a memoised function and the decision {allow, deny} as result. */
function toolGate(): Policy {
  const ir = new IR();
  const deny = "g0.data.b.deny";
  ir.func(
    deny,
    2,
    [
      block(
        st({ type: "makeset", target: 2 }),
        st({ type: "dot", source: L(INPUT), key: ir.s("args"), target: 3 }),
        st({
          type: "scan",
          source: 3,
          key: 4,
          value: 5,
          block: block(
            st({ type: "call", func: ir.builtin("startswith", 2), args: [L(5), ir.s("/etc/")], result: 6 }),
            st({ type: "equal", a: L(6), b: B(true) }),
            st({ type: "makearray", capacity: 2, target: 7 }),
            st({ type: "arrayappend", value: ir.s("blocked: "), array: 7 }),
            st({ type: "arrayappend", value: L(5), array: 7 }),
            st({ type: "call", func: ir.builtin("concat", 2), args: [ir.s(""), L(7)], result: 8 }),
            st({ type: "setadd", value: L(8), set: 2 }),
          ),
        }),
      ),
      block(st({ type: "returnlocal", source: 2 })),
    ],
    true,
  );
  const roles = ir.constant('["admin", "dev"]');
  ir.plan(
    "b/decision",
    block(
      st({ type: "makeobject", target: 2 }),
      st({ type: "call", func: deny, args: [L(INPUT), L(DATA)], result: 3 }),
      st({ type: "objectinsert", key: ir.s("deny"), value: L(3), object: 2 }),
      st({ type: "assignvar", source: B(false), target: 4 }),
      st({
        type: "block",
        blocks: [
          block(
            st({ type: "dot", source: L(INPUT), key: ir.s("tool"), target: 5 }),
            st({ type: "dot", source: L(DATA), key: ir.s("allowed_tools"), target: 6 }),
            st({ type: "call", func: ir.builtin("internal.member_2", 2), args: [L(5), L(6)], result: 7 }),
            st({ type: "equal", a: L(7), b: B(true) }),
            st({ type: "dot", source: L(INPUT), key: ir.s("user"), target: 8 }),
            st({ type: "dot", source: L(8), key: ir.s("role"), target: 9 }),
            st({ type: "makeconst", index: roles, target: 10 }),
            st({ type: "call", func: ir.builtin("internal.member_2", 2), args: [L(9), L(10)], result: 11 }),
            st({ type: "equal", a: L(11), b: B(true) }),
            st({ type: "call", func: ir.builtin("count", 1), args: [L(3)], result: 12 }),
            st({ type: "makenumberint", value: 0, target: 13 }),
            st({ type: "equal", a: L(12), b: L(13) }),
            st({ type: "assignvar", source: B(true), target: 4 }),
          ),
        ],
      }),
      st({ type: "objectinsert", key: ir.s("allow"), value: L(4), object: 2 }),
      ...ir.result(2),
    ),
  );
  return ir.policy();
}

/** count(input.events[_].severity == "high") over a 1000-element input */
function bigInput(): Policy {
  const ir = new IR();
  ir.plan(
    "b/high",
    block(
      st({ type: "makearray", capacity: 0, target: 2 }),
      st({ type: "dot", source: L(INPUT), key: ir.s("events"), target: 3 }),
      st({
        type: "scan",
        source: 3,
        key: 4,
        value: 5,
        block: block(
          st({ type: "dot", source: L(5), key: ir.s("severity"), target: 6 }),
          st({ type: "equal", a: L(6), b: ir.s("high") }),
          st({ type: "arrayappend", value: L(4), array: 2 }),
        ),
      }),
      st({ type: "call", func: ir.builtin("count", 1), args: [L(2)], result: 7 }),
      ...ir.result(7),
    ),
  );
  return ir.policy();
}

const action = {
  tool: "bash",
  user: { name: "alice", role: "dev" },
  args: ["ls", "-la", "/home/alice/project", "--color=never"],
  cwd: "/home/alice/project",
  session: { id: "s-1234", labels: ["internal"], spend: 12.5 },
};

const events = { events: Array.from({ length: 1000 }, (_, i) => ({ id: i, severity: i % 10 === 0 ? "high" : "low", msg: `event ${i}` })) };

// Each policy is compared with the baseline evaluated on the same input, so
// the difference is what the policy itself costs.
const benches: Bench[] = [
  { name: "input.user == \"alice\"", policy: userEquals(), input: action },
  { name: "agent tool gate", policy: toolGate(), input: action, data: { allowed_tools: ["bash", "read", "edit", "grep"] } },
  { name: "scan 1000 events", policy: bigInput(), input: events },
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

type Loaded = Awaited<ReturnType<typeof loadPolicy>>;

async function load(b: Bench): Promise<Loaded> {
  const policy = await loadPolicy(emitWasm(b.policy));
  if (b.data !== undefined) policy.setData(b.data as object);
  return policy;
}

function stats(us: number[]): { median: number; p99: number } {
  us.sort((x, y) => x - y);
  return { median: quantile(us, 0.5), p99: quantile(us, 0.99) };
}

/** Times a policy and the baseline on the same input in alternating rounds,
 *  so that load changes on a shared machine hit both alike. */
async function timePair(b: Bench, iterations: number): Promise<{ base: { median: number; p99: number }; policy: { median: number; p99: number } }> {
  const base = await load({ name: "baseline", policy: baseline(), input: b.input });
  const policy = await load(b);
  const warm = Math.min(2000, iterations);
  for (let i = 0; i < warm; i++) {
    base.evaluate(b.input);
    policy.evaluate(b.input);
  }
  const rounds = 20;
  const per = Math.max(1, Math.floor(iterations / rounds));
  const tb: number[] = [];
  const tp: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // who goes first alternates too
    const order = r % 2 === 0 ? ([[base, tb], [policy, tp]] as const) : ([[policy, tp], [base, tb]] as const);
    for (const [p, out] of order) {
      for (let i = 0; i < per; i++) {
        const t0 = process.hrtime.bigint();
        p.evaluate(b.input);
        out.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    }
  }
  return { base: stats(tb), policy: stats(tp) };
}

/** A policy of n memoised rules, each a few statements, and one plan using all. */
function manyRules(n: number): Policy {
  const ir = new IR();
  const plan = [];
  for (let i = 0; i < n; i++) {
    const name = `g${i}.data.b.rule_${i}`;
    ir.func(
      name,
      2,
      [
        block(
          st({ type: "dot", source: L(INPUT), key: ir.s("tool"), target: 2 }),
          st({ type: "equal", a: L(2), b: ir.s(`tool_${i}`) }),
          st({ type: "dot", source: L(INPUT), key: ir.s("args"), target: 3 }),
          st({
            type: "scan",
            source: 3,
            key: 4,
            value: 5,
            block: block(st({ type: "call", func: ir.builtin("startswith", 2), args: [L(5), ir.s(`/etc/${i}`)], result: 6 }), st({ type: "assignvaronce", source: B(true), target: 7, conflict: "rule" })),
          }),
          st({ type: "returnlocal", source: 7 }),
        ),
      ],
      true,
    );
    plan.push(st({ type: "block", blocks: [block(st({ type: "call", func: name, args: [L(INPUT), L(DATA)], result: 10 }), st({ type: "setadd", value: ir.s(`rule_${i}`), set: 9 }))] }));
  }
  ir.plan("b/all", block(st({ type: "makeset", target: 9 }), ...plan, ...ir.result(9)));
  return ir.policy();
}

function timeEmit(policy: Policy, runs: number): { median: number; p99: number } {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    emitWasm(policy);
    ms.push(performance.now() - t0);
  }
  ms.sort((x, y) => x - y);
  return { median: quantile(ms, 0.5), p99: quantile(ms, 0.99) };
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`machine: ${cpu[0]?.model ?? "unknown cpu"}, ${cpu.length} cores, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`);
  const iterations = Number(process.env.BENCH_ITERATIONS ?? 20000);
  console.log(`policy.evaluate() through @open-policy-agent/opa-wasm, ${iterations} calls each after a warm-up`);
  console.log("(the baseline is mostly the SDK's JSON work; differences under ~1 µs are noise on a shared machine):");
  const line = (name: string, r: { median: number; p99: number }, base?: number) =>
    console.log(
      `  ${name.padEnd(34)} median ${r.median.toFixed(2).padStart(8)} µs   p99 ${r.p99.toFixed(2).padStart(8)} µs` +
        (base === undefined ? "" : `   (${r.median - base >= 0 ? "+" : ""}${(r.median - base).toFixed(2)} µs against the baseline)`),
    );
  for (const b of benches) {
    const n = b.input === events ? Math.ceil(iterations / 20) : iterations;
    const r = await timePair(b, n);
    line(`baseline (true), same input`, r.base);
    line(b.name, r.policy, r.base.median);
  }
  emitWasm(baseline()); // load the runtime once
  const small = timeEmit(userEquals(), 200);
  const gate = timeEmit(toolGate(), 200);
  const many = manyRules(500);
  const big = timeEmit(many, 20);
  console.log("emitWasm (IR -> linked module):");
  console.log(`  ${"one rule".padEnd(24)} median ${small.median.toFixed(3).padStart(8)} ms   p99 ${small.p99.toFixed(3).padStart(8)} ms`);
  console.log(`  ${"agent tool gate".padEnd(24)} median ${gate.median.toFixed(3).padStart(8)} ms   p99 ${gate.p99.toFixed(3).padStart(8)} ms`);
  console.log(`  ${"500 rules".padEnd(24)} median ${big.median.toFixed(3).padStart(8)} ms   p99 ${big.p99.toFixed(3).padStart(8)} ms`);
}

await main();
