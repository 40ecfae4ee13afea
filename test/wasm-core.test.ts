// The Wasm back end end to end: hand-written IR, emitted, loaded and
// evaluated by the real @open-policy-agent/opa-wasm SDK.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { B, DATA, INPUT, IR, L, block, echoPolicy, st } from "./wasm-ir.js";

function allowPolicy(): IR {
  const ir = new IR();
  ir.plan(
    "t/allow",
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("user"), target: 2 }),
      st({ type: "equal", a: L(2), b: ir.s("alice") }),
      st({ type: "assignvar", source: B(true), target: 3 }),
      ...ir.result(3),
    ),
  );
  return ir;
}

test("a plan with Dot/Equal/AssignVar/MakeObject/ResultSetAdd runs in the bare SDK", async () => {
  const policy = await loadPolicy(allowPolicy().wasm());
  assert.deepEqual(policy.evaluate({ user: "alice" }, "t/allow"), [{ result: true }]);
  assert.deepEqual(policy.evaluate({ user: "bob" }, "t/allow"), []);
  assert.deepEqual(policy.evaluate({ user: "alice" }), [{ result: true }], "entrypoint 0 is the default");
  assert.deepEqual(policy.evaluate({}, "t/allow"), []);
});

test("the module exports the ABI and nothing of the runtime's internals", async () => {
  const mod = new WebAssembly.Module(allowPolicy().wasm());
  const names = WebAssembly.Module.exports(mod).map((e) => e.name).sort();
  for (const n of [
    "memory", "opa_wasm_abi_version", "opa_wasm_abi_minor_version", "eval", "opa_eval", "builtins", "entrypoints",
    "opa_malloc", "opa_free", "opa_heap_ptr_get", "opa_heap_ptr_set", "opa_json_parse", "opa_value_parse",
    "opa_json_dump", "opa_value_dump", "opa_value_add_path", "opa_value_remove_path", "opa_eval_ctx_new",
    "opa_eval_ctx_set_input", "opa_eval_ctx_set_data", "opa_eval_ctx_set_entrypoint", "opa_eval_ctx_get_result",
    "opa_value_free", "opa_heap_blocks_stash", "opa_heap_blocks_restore", "opa_heap_stash_clear",
  ]) {
    assert.ok(names.includes(n), `exports ${n}`);
  }
  assert.deepEqual(names.filter((n) => n.startsWith("writ")), []);
  const mem = WebAssembly.Module.imports(mod).find((i) => i.kind === "memory");
  assert.equal(mem?.module, "env");
  const inst = new WebAssembly.Instance(mod, {
    env: {
      memory: new WebAssembly.Memory({ initial: 5 }),
      opa_abort: () => assert.fail("abort"),
      opa_println: () => {},
      opa_builtin0: () => 0, opa_builtin1: () => 0, opa_builtin2: () => 0, opa_builtin3: () => 0, opa_builtin4: () => 0,
    },
  });
  assert.equal((inst.exports.opa_wasm_abi_version as WebAssembly.Global).value, 1);
  assert.equal((inst.exports.opa_wasm_abi_minor_version as WebAssembly.Global).value, 3);
});

test("entrypoints() lists the plans by id", async () => {
  const ir = new IR();
  ir.plan("a/one", block(st({ type: "makenumberint", value: 1, target: 2 }), ...ir.result(2)));
  ir.plan("a/two", block(st({ type: "makenumberint", value: 2, target: 2 }), ...ir.result(2)));
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual((policy as any).entrypoints, { "a/one": 0, "a/two": 1 });
  assert.deepEqual(policy.evaluate(null, "a/two"), [{ result: 2 }]);
  assert.deepEqual(policy.evaluate(null, 0), [{ result: 1 }]);
  assert.throws(() => (policy as any).wasmInstance.exports.opa_eval(0, 7, 0, 0, 0, (policy as any).dataHeapPtr, 0), /illegal entrypoint id/);
});

test("falsy inputs are undefined input, as the SDK passes them as address 0, length 0", async () => {
  const ir = new IR();
  ir.plan("t/defined", block(st({ type: "isdefined", source: INPUT }), st({ type: "assignvar", source: B(true), target: 2 }), ...ir.result(2)));
  const policy = await loadPolicy(ir.wasm());
  for (const falsy of [undefined, null, false, 0, ""]) assert.deepEqual(policy.evaluate(falsy), [], String(falsy));
  for (const truthy of [true, 1, "x", [], {}]) assert.deepEqual(policy.evaluate(truthy), [{ result: true }], JSON.stringify(truthy));
});

test("data set with setData is the data local", async () => {
  const ir = new IR();
  ir.plan("t/d", block(st({ type: "dot", source: L(DATA), key: ir.s("roles"), target: 2 }), ...ir.result(2)));
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({}), []);
  policy.setData({ roles: { alice: ["admin"] } });
  assert.deepEqual(policy.evaluate({}), [{ result: { alice: ["admin"] } }]);
  policy.setData({ roles: 7 });
  assert.deepEqual(policy.evaluate({}), [{ result: 7 }]);
});

test("repeated evaluations do not leak: the heap is reset by the SDK", async () => {
  const policy = await loadPolicy(echoPolicy().wasm());
  const input = { list: Array.from({ length: 1000 }, (_, i) => ({ i, s: `item ${i}` })) };
  for (let i = 0; i < 300; i++) assert.equal((policy.evaluate(input) as any)[0].result.list.length, 1000);
  assert.ok((policy as any).mem.buffer.byteLength < 16 * 1024 * 1024);
});

test("a multi-megabyte input is parsed and scanned", async () => {
  const ir = new IR();
  // count the items whose flag is true
  ir.plan(
    "t/count",
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("items"), target: 2 }),
      st({ type: "makearray", capacity: 0, target: 3 }),
      st({
        type: "scan",
        source: 2,
        key: 4,
        value: 5,
        block: block(
          st({ type: "dot", source: L(5), key: ir.s("flag"), target: 6 }),
          st({ type: "equal", a: L(6), b: B(true) }),
          st({ type: "arrayappend", value: L(4), array: 3 }),
        ),
      }),
      st({ type: "len", source: L(3), target: 7 }),
      ...ir.result(7),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  const items = Array.from({ length: 60000 }, (_, i) => ({ id: `id-${i}`, flag: i % 3 === 0, text: "x".repeat(60) }));
  const input = { items };
  assert.ok(JSON.stringify(input).length > 5_000_000);
  assert.deepEqual(policy.evaluate(input), [{ result: 20000 }]);
  assert.deepEqual(policy.evaluate({ items: [] }), [{ result: 0 }]);
});

test("the eval-context path (ABI 1.0/1.1 hosts) evaluates the same plans", async () => {
  const policy = await loadPolicy(allowPolicy().wasm());
  const p = policy as any;
  const e = p.wasmInstance.exports;
  const load = (v: unknown) => {
    const bytes = new TextEncoder().encode(JSON.stringify(v));
    const addr = e.opa_malloc(bytes.length);
    new Uint8Array(p.mem.buffer).set(bytes, addr);
    return e.opa_json_parse(addr, bytes.length);
  };
  const run = (input: unknown) => {
    e.opa_heap_ptr_set(p.dataHeapPtr);
    const ctx = e.opa_eval_ctx_new();
    e.opa_eval_ctx_set_input(ctx, load(input));
    e.opa_eval_ctx_set_data(ctx, p.dataAddr);
    e.opa_eval_ctx_set_entrypoint(ctx, 0);
    assert.equal(e.eval(ctx), 0);
    const out = e.opa_json_dump(e.opa_eval_ctx_get_result(ctx));
    const bytes = new Uint8Array(p.mem.buffer);
    let end = out;
    while (bytes[end] !== 0) end++;
    return JSON.parse(new TextDecoder().decode(bytes.subarray(out, end)));
  };
  assert.deepEqual(run({ user: "alice" }), [{ result: true }]);
  assert.deepEqual(run({ user: "eve" }), []);
});

test("several results form a set: duplicates collapse", async () => {
  const ir = new IR();
  ir.plan(
    "t/multi",
    block(
      st({ type: "makenumberint", value: 1, target: 2 }),
      ...ir.result(2),
      st({ type: "makenumberint", value: 1, target: 3 }),
      ...ir.result(3, 62),
      st({ type: "makenumberint", value: 2, target: 4 }),
      ...ir.result(4, 61),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate(null), [{ result: 1 }, { result: 2 }]);
});
