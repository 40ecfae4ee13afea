// The linker: the runtime is copied untouched, the policy is appended, and
// the module loads into any memory of at least the runtime's one page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { parseModule, SECTION } from "../src/rego/wasm/reader.js";
import { loadRuntime } from "../src/rego/wasm/runtime-module.js";
import { B, DATA, INPUT, IR, L, block, st } from "./wasm-ir.js";

/** The function names of a `name` custom section's body. */
function functionNames(body: Uint8Array): Map<number, string> {
  let at = 0;
  const u32 = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = body[at++]!;
      v |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return v >>> 0;
    }
  };
  const str = () => {
    const n = u32();
    return Buffer.from(body.subarray(at, (at += n))).toString();
  };
  assert.equal(str(), "name");
  const out = new Map<number, string>();
  while (at < body.length) {
    const id = body[at++];
    const end = u32() + at;
    if (id === 1) for (let n = u32(); n > 0; n--) out.set(u32(), str());
    at = end;
  }
  return out;
}

const runtimeBytes = () => new Uint8Array(readFileSync(new URL("../../build/runtime.wasm", import.meta.url)));

test("the runtime's functions, types and data keep their indices and bytes", () => {
  const ir = new IR();
  ir.plan("t/p", block(st({ type: "makenumberint", value: 7, target: 2 }), ...ir.result(2)));
  const linked = parseModule(ir.wasm());
  const rt = parseModule(runtimeBytes());
  assert.equal(linked.importedFuncs, rt.importedFuncs);
  assert.deepEqual(linked.types.slice(0, rt.types.length), rt.types);
  assert.deepEqual(linked.funcTypes.slice(0, rt.funcTypes.length), rt.funcTypes);
  assert.equal(linked.codeCount, rt.codeCount + linked.funcTypes.length - rt.funcTypes.length);
  for (let i = 0; i < rt.codeBodies.length; i++) {
    const a = rt.codeBodies[i]!;
    const b = linked.codeBodies[i]!;
    assert.deepEqual(Buffer.from(linked.codeEntries.subarray(b.start, b.end)), Buffer.from(rt.codeEntries.subarray(a.start, a.end)), `function ${i}`);
  }
  assert.equal(linked.dataCount, rt.dataCount + 1);
  assert.ok(linked.sections.some((s) => s.id === SECTION.dataCount));
  // one custom section: names for the generated functions, none for the runtime's
  const custom = linked.sections.filter((s) => s.id === SECTION.custom);
  assert.equal(custom.length, 1);
  const names = functionNames(custom[0]!.body);
  const firstGenerated = rt.importedFuncs + rt.funcTypes.length;
  assert.deepEqual([...names.keys()], Array.from({ length: linked.funcTypes.length - rt.funcTypes.length }, (_, i) => firstGenerated + i));
  assert.ok([...names.values()].includes("plan:t/p"), [...names.values()].join(", "));
  assert.ok([...names.values()].includes("opa_eval"));
  assert.ok(linked.start !== undefined && linked.start >= rt.importedFuncs + rt.funcTypes.length, "the start function is generated");
});

test("policy data goes above the runtime's static data, through a passive segment", async () => {
  const rt = loadRuntime();
  const ir = new IR();
  // a constant of about 2 MB: more than the 5 pages the SDK provides
  const big = JSON.stringify({ items: Array.from({ length: 40000 }, (_, i) => ({ i, name: `name-${i}-${"x".repeat(20)}` })) });
  assert.ok(big.length > 1_500_000);
  const c = ir.constant(big);
  ir.plan(
    "t/p",
    block(
      st({ type: "makeconst", index: c, target: 2 }),
      st({ type: "dot", source: L(2), key: ir.s("items"), target: 3 }),
      st({ type: "len", source: L(3), target: 4 }),
      ...ir.result(4),
    ),
  );
  const wasm = ir.wasm();
  // instantiates in a single page: the start function grows memory itself
  const mod = new WebAssembly.Module(wasm);
  const memory = new WebAssembly.Memory({ initial: 1 });
  new WebAssembly.Instance(mod, {
    env: {
      memory,
      opa_abort: () => assert.fail("abort"),
      opa_println: () => {},
      opa_builtin0: () => 0, opa_builtin1: () => 0, opa_builtin2: () => 0, opa_builtin3: () => 0, opa_builtin4: () => 0,
    },
  });
  assert.ok(memory.buffer.byteLength > big.length);
  const policy = await loadPolicy(wasm);
  assert.ok((policy as any).baseHeapPtr > rt.heapBase + big.length, "the heap starts above the policy's data");
  for (let i = 0; i < 3; i++) assert.deepEqual(policy.evaluate({ n: i }), [{ result: 40000 }]);
});

test("many functions and plans link into one module", async () => {
  const ir = new IR();
  const n = 500;
  for (let i = 0; i < n; i++) {
    ir.func(`g${i}.data.t.r${i}`, 2, [
      block(
        st({ type: "dot", source: L(INPUT), key: ir.s("k"), target: 2 }),
        st({ type: "equal", a: L(2), b: ir.s(`v${i}`) }),
        st({ type: "makenumberint", value: i, target: 3 }),
        st({ type: "returnlocal", source: 3 }),
      ),
    ], i % 2 === 0);
  }
  const calls = [];
  for (let i = 0; i < n; i++) {
    calls.push(st({ type: "block", blocks: [block(st({ type: "call", func: `g${i}.data.t.r${i}`, args: [L(INPUT), L(DATA)], result: 3 }), st({ type: "assignvar", source: L(3), target: 4 }))] }));
  }
  ir.plan("t/which", block(...calls, st({ type: "isdefined", source: 4 }), ...ir.result(4)));
  ir.plan("t/none", block(st({ type: "assignvar", source: B(false), target: 2 }), ...ir.result(2)));
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({ k: "v321" }, "t/which"), [{ result: 321 }]);
  assert.deepEqual(policy.evaluate({ k: "v0" }, "t/which"), [{ result: 0 }]);
  assert.deepEqual(policy.evaluate({ k: "nope" }, "t/which"), []);
  assert.deepEqual(policy.evaluate({}, "t/none"), [{ result: false }]);
});

test("invalid IR is reported when emitting, not when loading", () => {
  const ir = new IR();
  ir.plan("t/p", block(st({ type: "call", func: "no.such.function", args: [], result: 2 })));
  assert.throws(() => ir.wasm(), /unknown function no.such.function/);
  const ir2 = new IR();
  ir2.plan("t/p", block(st({ type: "break", index: 3 })));
  assert.throws(() => ir2.wasm(), /break out of/);
});

test("locals beyond the declared count get their own slots", async () => {
  const ir = new IR();
  ir.plan(
    "t/p",
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("xs"), target: 40 }),
      st({ type: "scan", source: 40, key: 41, value: 42, block: block(st({ type: "assignvar", source: L(42), target: 43 })) }),
      ...ir.result(43),
    ),
  );
  ir.plans[0]!.locals = 2;
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({ xs: [1, 2, 3] }), [{ result: 3 }]);
});
