// Native units.parse and units.parse_bytes in the bare SDK, against the
// TypeScript host implementation on a generated corpus, and OPA's error
// texts in strict mode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import { rng } from "./support/rng.js";

async function policy(source: string, strictBuiltinErrors = false) {
  const { wasm } = await compileRego({ modules: [{ path: "u.rego", source: `package u\n\n${source}\n` }], entrypoints: ["u/out"], strictBuiltinErrors });
  return loadPolicy(wasm);
}

test("units.parse and units.parse_bytes agree with the host implementation", async () => {
  const p = await policy('out := {"b": {i: v | some i, x in input.xs; v := units.parse_bytes(x)}, "s": {i: v | some i, x in input.xs; v := units.parse(x)}}');
  const r = rng(3);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const amounts = ["0", "1", "10", "1.5", "0.001", ".5", "5.", "-3", "+2", "1e3", "1E-2", "2.5e+1", "123456789012345678", "1e19", "7.25", "", "1.2.3", "e5", "0.0000000000003"];
  const units = ["", "k", "K", "m", "M", "Mi", "mi", "Ki", "KiB", "kb", "KB", "G", "gib", "T", "Pi", "E", "ei", "b", "x", "\"", "m\""];
  const xs: string[] = [];
  for (let n = 0; n < 1500; n++) xs.push(pick(amounts) + pick(units));
  xs.push("1 K", "\"10M\"", "1e1234567K");
  const out = (p.evaluate({ xs }, "u/out") as { result: Record<"b" | "s", Record<string, unknown>> }[])[0]!.result;
  // integers past 2^53 come back from the host as JSON text
  const hostValue = (name: string, x: string) => {
    const v = hostBuiltins[name]!(x);
    return v === undefined ? null : v instanceof ArrayBuffer ? JSON.parse(new TextDecoder().decode(v)) : v;
  };
  const mismatches: string[] = [];
  xs.forEach((x, i) => {
    const b = out.b[String(i)] ?? null;
    const s = out.s[String(i)] ?? null;
    const hb = hostValue("units.parse_bytes", x);
    const hs = hostValue("units.parse", x);
    if (b !== hb) mismatches.push(`units.parse_bytes(${JSON.stringify(x)}): native ${b}, host ${hb}`);
    if (s !== hs) mismatches.push(`units.parse(${JSON.stringify(x)}): native ${s}, host ${hs}`);
  });
  assert.deepEqual(mismatches.slice(0, 20), []);
});

test("errors read as OPA's", async () => {
  const p = await policy("out := units.parse_bytes(input.x)", true);
  const cases: [string, string][] = [
    ["1 K", "units.parse_bytes: units.parse_bytes: spaces not allowed in resource strings"],
    ["K", "units.parse_bytes: units.parse_bytes: no byte amount provided"],
    ["1.2.3K", "units.parse_bytes: units.parse_bytes: could not parse byte amount to a number"],
    ["12xb", "units.parse_bytes: units.parse_bytes: byte unit xb not recognized"],
  ];
  for (const [x, message] of cases) assert.throws(() => p.evaluate({ x }, "u/out"), (e: unknown) => String((e as Error).message ?? e).includes(`eval_builtin_error: ${message}`), x);
  assert.deepEqual(p.evaluate({ x: "1.5KiB" }, "u/out"), [{ result: 1536 }]);
});
