// Host builtins against OPA's own conformance cases: every case that is one
// builtin call with literal arguments is replayed directly (strict cases in
// strict mode) and must give OPA's value or OPA's error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinCatalog, type BType } from "../src/rego/builtins/catalog.js";
import { builtinImplementations, createBuiltinContext, wrapBuiltin } from "../src/rego/builtins/host.js";
import { compareValues, toSet, type Value } from "../src/rego/builtins/values.js";
import { conformanceDir, extractCalls, type ExtractedCall } from "./builtins-conformance-cases.js";

/**
 * Cases the host layer cannot reproduce, by note (or "note args-JSON" where a
 * note covers several cases), with the reason. An entry stays listed only
 * while one of its cases fails (the test fails on a stale entry).
 */
const knownDifferences: Record<string, string> = {
  "sprintf/big_int": "the SDK decodes numbers as JS doubles: 123456789123456789123 arrives rounded",
  "sprintf/big_int/max_cert_serial_number": "the SDK decodes numbers as JS doubles",
  "netcidrcontainsmatches/sets of strings": "sets arrive as arrays from the SDK, so set members are keyed by index",
  "netcidrcontainsmatches/sets of tuples": "sets arrive as arrays from the SDK, so set members are keyed by index",
  "providers-aws-sign_req/failure-simple-bad timestamp": "-1e9 reaches the host as the integer -1000000000 (OPA rejects the exponent form)",
  "typebuiltin/is_array": "a set arrives as an array (native in the Wasm runtime, which sees the set)",
  "typebuiltin/is_set": "a set arrives as an array (native in the Wasm runtime, which sees the set)",
  "typenamebuiltin/type_name [[1,2,3]]": "a set arrives as an array (native in the Wasm runtime, which sees the set)",
  "strings/sprintf: float too big": "the SDK decodes 2e308 as Infinity, so its text is lost",
};

const fixedNow = 1_700_000_000_123_456_789n;
const impls = builtinImplementations(createBuiltinContext({ now: () => fixedNow }));

/** Sets arrive as arrays in any order: sort them wherever the declared type says set. */
function normalize(v: Value, t?: BType): Value {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) {
    if (t?.type === "set") return toSet(v.map((x) => normalize(x, t.of)));
    if (t?.type === "array") return v.map((x, i) => normalize(x, t.static ? t.static[i] : t.dynamic));
    return v.map((x) => normalize(x));
  }
  if (v !== null && typeof v === "object") {
    const valueType = (k: string) => (t?.type === "object" ? (t.static?.find((s) => s.key === k)?.value ?? t.dynamic?.value) : undefined);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x, valueType(k))]));
  }
  return v;
}

function callOnce(name: string, args: unknown[], strict: boolean): unknown {
  const result = wrapBuiltin(name, impls[name]!, strict)(...args);
  return result instanceof ArrayBuffer ? JSON.parse(new TextDecoder().decode(result)) : result;
}

function holds(op: string, a: Value, b: Value): boolean {
  const c = compareValues(normalize(a), normalize(b));
  switch (op) {
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    default:
      return c >= 0;
  }
}

function runCase(c: ExtractedCall): string | undefined {
  let result: unknown;
  try {
    result = callOnce(c.builtin, c.args, c.strict);
    if (c.compare && result !== undefined) {
      const other = "value" in c.compare.other ? c.compare.other.value : callOnce(c.compare.other.builtin, c.compare.other.args, c.strict);
      result = other === undefined ? undefined : holds(c.compare.op, result as Value, other as Value);
    }
  } catch (e) {
    const msg = (e as Error).message;
    if (!c.wantError) return `unexpected error: ${msg}`;
    const code = (e as { code?: string }).code;
    if (c.wantError.code && code !== c.wantError.code) return `error code ${code}, want ${c.wantError.code}: ${msg}`;
    const want = (c.wantError.message ?? "").replace(/^[\w.-]+\.rego:\d+: /, "");
    if (!msg.includes(want)) return `error ${JSON.stringify(msg)}, want it to contain ${JSON.stringify(want)}`;
    return undefined;
  }
  if (c.wantError) {
    // a non-strict error case expects no result
    if (!c.strict && result === undefined) return undefined;
    return `got ${JSON.stringify(result)}, want error ${c.wantError.message}`;
  }
  if (c.kind === "truthy") {
    const ok = result !== undefined && result !== false;
    if (ok !== (c.want === true)) return `got ${JSON.stringify(result)}, want ${c.want === true ? "a result" : "none"}`;
    return undefined;
  }
  if (c.want === undefined) return result === undefined ? undefined : `got ${JSON.stringify(result)}, want no result`;
  if (result === undefined) return `got no result, want ${JSON.stringify(c.want)}`;
  const type = builtinCatalog[c.builtin]?.result;
  const got = normalize(result as Value, type);
  const want = normalize(c.want as Value, type);
  if (compareValues(got, want) !== 0) return `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
  return undefined;
}

const dir = conformanceDir();

test("host builtins give OPA's results on the conformance suite's builtin calls", { skip: dir ? false : "shared/opa-conformance not found" }, () => {
  const calls = extractCalls(dir!, (name) => name in impls, (name) => builtinCatalog[name]?.args.length ?? -1);
  const failures: string[] = [];
  const failingNotes = new Set<string>();
  const seenNotes = new Set<string>();
  const perFolder = new Map<string, { n: number; ok: number }>();
  for (const c of calls) {
    const problem = runCase(c);
    // an entry names a note, or a note and the call's arguments
    const withArgs = `${c.note} ${JSON.stringify(c.args)}`;
    const key = withArgs in knownDifferences ? withArgs : c.note;
    const stat = perFolder.get(c.folder) ?? { n: 0, ok: 0 };
    stat.n++;
    if (!problem) stat.ok++;
    perFolder.set(c.folder, stat);
    if (problem && !(key in knownDifferences)) failures.push(`${c.folder} | ${c.note} | ${c.builtin}(${JSON.stringify(c.args).slice(1, -1).slice(0, 200)}): ${problem}`);
    seenNotes.add(key);
    if (problem) failingNotes.add(key);
  }
  if (process.env.WRIT_CONFORMANCE_VERBOSE) {
    for (const [f, s] of [...perFolder].sort()) console.log(`${f}: ${s.ok}/${s.n}`);
    console.log(`total: ${calls.length} calls`);
  }
  assert.ok(calls.length > 800, `only ${calls.length} calls extracted`);
  assert.deepEqual(failures, []);
  const stale = Object.keys(knownDifferences).filter((n) => seenNotes.has(n) && !failingNotes.has(n));
  assert.deepEqual(stale, [], "known differences that no longer fail");
});
