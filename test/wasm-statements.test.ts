// IR statement semantics in the emitted code: control flow (blocks, break,
// not, scan), with, conflicts, memoisation, host builtins, strict errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { B, DATA, INPUT, IR, L, block, st } from "./wasm-ir.js";
import { builtinCatalog } from "../src/rego/builtins/catalog.js";

/** A plan that scans `source` (from a constant) and collects [key, value]
 *  pairs in visiting order. */
function scanPolicy(sourceText: string): IR {
  const ir = new IR();
  ir.plan(
    "t/scan",
    block(
      st({ type: "makeconst", index: ir.constant(sourceText), target: 2 }),
      st({ type: "makearray", capacity: 0, target: 3 }),
      st({
        type: "scan",
        source: 2,
        key: 4,
        value: 5,
        block: block(
          st({ type: "makearray", capacity: 2, target: 6 }),
          st({ type: "arrayappend", value: L(4), array: 6 }),
          st({ type: "arrayappend", value: L(5), array: 6 }),
          st({ type: "arrayappend", value: L(6), array: 3 }),
        ),
      }),
      ...ir.result(3),
    ),
  );
  return ir;
}

async function scan(sourceText: string): Promise<unknown> {
  const rs = (await loadPolicy(scanPolicy(sourceText).wasm())).evaluate(null) as { result: unknown }[];
  return rs.length ? rs[0]!.result : undefined;
}

test("Scan visits arrays by index, objects by key and sets by member, in Rego's order", async () => {
  assert.deepEqual(await scan('["b", "a"]'), [[0, "b"], [1, "a"]]);
  assert.deepEqual(await scan('{"b": 1, "a": 2, "c": 3}'), [["a", 2], ["b", 1], ["c", 3]]);
  assert.deepEqual(await scan('{"é": 1, "z": 2, "Z": 3}'), [["Z", 3], ["z", 2], ["é", 1]]);
  assert.deepEqual(await scan('{3, "x", null, [1], {"a": 1}, false, 1.5, true, {1}}'), [
    [null, null], [false, false], [true, true], [1.5, 1.5], [3, 3], ["x", "x"], [[1], [1]], [{ a: 1 }, { a: 1 }], [[1], [1]],
  ]);
  assert.deepEqual(await scan("[]"), []);
  assert.deepEqual(await scan("{}"), []);
});

test("Scan over a non-collection is undefined", async () => {
  assert.equal(await scan('"abc"'), undefined);
  assert.equal(await scan("1"), undefined);
});

test("Scan over a large object built by inserts is in key order", async () => {
  const keys = Array.from({ length: 500 }, (_, i) => `k${(i * 7919) % 500}`);
  const obj = Object.fromEntries(keys.map((k, i) => [k, i]));
  const got = (await scan(JSON.stringify(obj))) as [string, number][];
  assert.deepEqual(got.map(([k]) => k), [...keys].sort());
  assert.deepEqual(Object.fromEntries(got), obj);
});

test("an undefined statement leaves its block; the next block still runs", async () => {
  const ir = new IR();
  ir.plan(
    "t/p",
    block(st({ type: "makenumberint", value: 1, target: 2 }), st({ type: "equal", a: L(2), b: ir.s("x") }), ...ir.result(2)),
    block(st({ type: "makenumberint", value: 2, target: 3 }), ...ir.result(3, 62)),
  );
  assert.deepEqual((await loadPolicy(ir.wasm())).evaluate(null), [{ result: 2 }]);
});

test("Not is defined exactly when its block is undefined", async () => {
  const ir = new IR();
  // result: input.x unless input.x == "no"
  ir.plan(
    "t/not",
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("x"), target: 2 }),
      st({ type: "not", block: block(st({ type: "equal", a: L(2), b: ir.s("no") })) }),
      ...ir.result(2),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({ x: "yes" }), [{ result: "yes" }]);
  assert.deepEqual(policy.evaluate({ x: "no" }), []);
});

test("Block runs each block (disjunction); Break leaves enclosing blocks", async () => {
  const ir = new IR();
  // every-style: failed := true if some element is not a number; break out of the scan early
  ir.plan(
    "t/every",
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("xs"), target: 2 }),
      st({ type: "resetlocal", target: 3 }),
      st({ type: "makearray", capacity: 0, target: 7 }),
      st({
        type: "block",
        blocks: [
          block(
            st({
              type: "scan",
              source: 2,
              key: 4,
              value: 5,
              block: block(
                st({ type: "arrayappend", value: L(5), array: 7 }),
                st({ type: "not", block: block(st({ type: "call", func: ir.builtin("is_number", 1), args: [L(5)], result: 6 }), st({ type: "equal", a: L(6), b: B(true) })) }),
                st({ type: "assignvar", source: B(true), target: 3 }),
                st({ type: "break", index: 1 }),
              ),
            }),
          ),
        ],
      }),
      st({ type: "makeobject", target: 8 }),
      st({ type: "objectinsert", key: ir.s("seen"), value: L(7), object: 8 }),
      st({ type: "block", blocks: [block(st({ type: "isdefined", source: 3 }), st({ type: "objectinsert", key: ir.s("failed"), value: L(3), object: 8 }))] }),
      ...ir.result(8),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({ xs: [1, 2, 3] }), [{ result: { seen: [1, 2, 3] } }]);
  assert.deepEqual(policy.evaluate({ xs: [1, "a", 3] }), [{ result: { seen: [1, "a"], failed: true } }]);
});

test("With replaces a path of input for its block only, copy on write", async () => {
  const ir = new IR();
  ir.plan(
    "t/with",
    block(
      st({ type: "makearray", capacity: 0, target: 2 }),
      st({
        type: "with",
        local: INPUT,
        path: [ir.sidx("a"), ir.sidx("b")],
        value: ir.s("replaced"),
        block: block(st({ type: "arrayappend", value: L(INPUT), array: 2 })),
      }),
      st({ type: "arrayappend", value: L(INPUT), array: 2 }),
      st({ type: "with", local: INPUT, path: [], value: B(true), block: block(st({ type: "arrayappend", value: L(INPUT), array: 2 })) }),
      ...ir.result(2),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({ a: { b: 1, c: 2 }, d: 3 }), [
    { result: [{ a: { b: "replaced", c: 2 }, d: 3 }, { a: { b: 1, c: 2 }, d: 3 }, true] },
  ]);
  assert.deepEqual(policy.evaluate({ a: 5 }), [{ result: [{ a: { b: "replaced" } }, { a: 5 }, true] }]);
  // appending the undefined input is a no-op
  assert.deepEqual(policy.evaluate(undefined), [{ result: [{ a: { b: "replaced" } }, true] }]);
});

test("With is undefined when its block is, and restores on Break out of it", async () => {
  const ir = new IR();
  ir.plan(
    "t/with",
    block(
      st({ type: "makearray", capacity: 0, target: 2 }),
      st({
        type: "block",
        blocks: [
          block(
            st({
              type: "with",
              local: DATA,
              path: [ir.sidx("x")],
              value: B(true),
              block: block(st({ type: "arrayappend", value: L(DATA), array: 2 }), st({ type: "break", index: 1 })),
            }),
            st({ type: "arrayappend", value: ir.s("not reached"), array: 2 }),
          ),
        ],
      }),
      st({ type: "arrayappend", value: L(DATA), array: 2 }),
      st({ type: "with", local: DATA, path: [], value: B(false), block: block(st({ type: "equal", a: L(DATA), b: B(true) })) }),
      st({ type: "arrayappend", value: ir.s("not reached either"), array: 2 }),
    ),
    block(...ir.result(2)),
  );
  const policy = await loadPolicy(ir.wasm());
  policy.setData({ y: 1 });
  assert.deepEqual(policy.evaluate(null), [{ result: [{ x: true, y: 1 }, { y: 1 }] }]);
});

test("AssignVarOnce and ObjectInsertOnce conflicts abort with file:row:col", async () => {
  const ir = new IR();
  ir.files = ["pkg/policy.rego"];
  const conflictPlan = (kind: "rule" | "function") =>
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("a"), target: 2 }),
      st({ type: "dot", source: L(INPUT), key: ir.s("b"), target: 3 }),
      st({ type: "assignvaronce", source: L(2), target: 4, conflict: kind }),
      st({ type: "assignvaronce", source: L(3), target: 4, conflict: kind, loc: { file: 0, row: 7, col: 9 } }),
      ...ir.result(4),
    );
  ir.plan("t/rule", conflictPlan("rule"));
  ir.plan("t/func", conflictPlan("function"));
  ir.plan(
    "t/obj",
    block(
      st({ type: "makeobject", target: 2 }),
      st({ type: "dot", source: L(INPUT), key: ir.s("a"), target: 3 }),
      st({ type: "dot", source: L(INPUT), key: ir.s("b"), target: 4 }),
      st({ type: "objectinsertonce", key: ir.s("k"), value: L(3), object: 2 }),
      st({ type: "objectinsertonce", key: ir.s("k"), value: L(4), object: 2, loc: { file: 0, row: 12, col: 1 } }),
      ...ir.result(2),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({ a: 1, b: 1.0 }, "t/rule"), [{ result: 1 }]);
  assert.throws(
    () => policy.evaluate({ a: 1, b: 2 }, "t/rule"),
    (e: unknown) => e === "pkg/policy.rego:7:9: eval_conflict_error: complete rules must not produce multiple outputs",
  );
  assert.throws(
    () => policy.evaluate({ a: 1, b: 2 }, "t/func"),
    (e: unknown) => e === "pkg/policy.rego:7:9: eval_conflict_error: functions must not produce multiple outputs for same inputs",
  );
  assert.deepEqual(policy.evaluate({ a: [1], b: [1] }, "t/obj"), [{ result: { k: [1] } }]);
  assert.throws(
    () => policy.evaluate({ a: 1, b: 2 }, "t/obj"),
    (e: unknown) => e === "pkg/policy.rego:12:1: eval_conflict_error: object keys must be unique",
  );
  // the instance stays usable after an abort
  assert.deepEqual(policy.evaluate({ a: 3, b: 3 }, "t/rule"), [{ result: 3 }]);
});

test("functions take input, data and arguments; memoised ones run once per evaluation", async () => {
  let calls = 0;
  const ir = new IR();
  const tick = ir.builtin("test.tick", 1);
  // memoised rule: calls the host builtin (counting), returns input.n
  ir.func("g0.data.t.r", 2, [
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("n"), target: 2 }),
      st({ type: "call", func: tick, args: [L(2)], result: 3 }),
      st({ type: "returnlocal", source: 2 }),
    ),
  ], true);
  // a function of one argument: x + 1
  ir.func("g1.data.t.f", 3, [
    block(
      st({ type: "call", func: ir.builtin("plus", 2), args: [L(2), L(5)], result: 3 }),
      st({ type: "returnlocal", source: 3 }),
    ),
  ]);
  ir.funcs[1]!.blocks[0]!.stmts.unshift(st({ type: "makenumberint", value: 1, target: 5 }));
  ir.plan(
    "t/p",
    block(
      st({ type: "makearray", capacity: 0, target: 2 }),
      st({ type: "call", func: "g0.data.t.r", args: [L(INPUT), L(DATA)], result: 3 }),
      st({ type: "arrayappend", value: L(3), array: 2 }),
      st({ type: "call", func: "g0.data.t.r", args: [L(INPUT), L(DATA)], result: 4 }),
      st({ type: "arrayappend", value: L(4), array: 2 }),
      st({
        type: "with",
        local: INPUT,
        path: [ir.sidx("n")],
        value: ir.s("inner"),
        block: block(
          st({ type: "call", func: "g0.data.t.r", args: [L(INPUT), L(DATA)], result: 5 }),
          st({ type: "arrayappend", value: L(5), array: 2 }),
        ),
      }),
      st({ type: "call", func: "g0.data.t.r", args: [L(INPUT), L(DATA)], result: 6 }),
      st({ type: "arrayappend", value: L(6), array: 2 }),
      st({ type: "call", func: "g1.data.t.f", args: [L(INPUT), L(DATA), L(3)], result: 7 }),
      st({ type: "arrayappend", value: L(7), array: 2 }),
      ...ir.result(2),
    ),
  );
  const policy = await loadPolicy(ir.wasm(), undefined, { "test.tick": () => { calls++; return true; } });
  assert.deepEqual(policy.evaluate({ n: 41 }), [{ result: [41, 41, "inner", 41, 42] }]);
  // once outside the with, once inside it, once more after it (the inner generation dropped the cache)
  assert.equal(calls, 3);
  calls = 0;
  policy.evaluate({ n: 1 });
  assert.equal(calls, 3, "the cache does not outlive an evaluation");
});

test("a memoised undefined result is not recomputed", async () => {
  let calls = 0;
  const ir = new IR();
  const tick = ir.builtin("test.tick", 0);
  ir.func("g0.data.t.u", 2, [block(st({ type: "call", func: tick, args: [], result: 2 }), st({ type: "equal", a: L(2), b: ir.s("never") }), st({ type: "returnlocal", source: 2 }))], true);
  ir.plan(
    "t/p",
    block(st({ type: "call", func: "g0.data.t.u", args: [L(INPUT), L(DATA)], result: 2 })),
    block(st({ type: "call", func: "g0.data.t.u", args: [L(INPUT), L(DATA)], result: 3 })),
    block(st({ type: "assignvar", source: B(true), target: 4 }), ...ir.result(4)),
  );
  const policy = await loadPolicy(ir.wasm(), undefined, { "test.tick": () => { calls++; return "x"; } });
  assert.deepEqual(policy.evaluate(null), [{ result: true }]);
  assert.equal(calls, 1);
});

test("host builtins: builtins() lists them with their ids; JSON in and out; set results become sets", async () => {
  const ir = new IR();
  const upper = ir.builtin("custom.upper", 1);
  const pair = ir.builtin("custom.pair", 2);
  // a host builtin the catalog declares as returning a set
  builtinCatalog["writ.test.union"] = { name: "writ.test.union", args: [{ type: "set", of: { type: "any" } }], result: { type: "set", of: { type: "any" } } };
  const union = ir.builtin("writ.test.union", 1);
  ir.plan(
    "t/p",
    block(
      st({ type: "dot", source: L(INPUT), key: ir.s("s"), target: 2 }),
      st({ type: "call", func: upper, args: [L(2)], result: 3 }),
      st({ type: "call", func: pair, args: [L(3), ir.s("x")], result: 4 }),
      st({ type: "makeconst", index: ir.constant("[[1, 2], [2, 3]]"), target: 5 }),
      st({ type: "makeset", target: 6 }),
      st({ type: "scan", source: 5, key: 7, value: 8, block: block(st({ type: "call", func: ir.builtin("writ.test.set", 1), args: [L(8)], result: 9 }), st({ type: "setadd", value: L(9), set: 6 })) }),
      st({ type: "call", func: union, args: [L(6)], result: 10 }),
      st({ type: "call", func: ir.builtin("is_set", 1), args: [L(10)], result: 11 }),
      st({ type: "makearray", capacity: 3, target: 12 }),
      st({ type: "arrayappend", value: L(4), array: 12 }),
      st({ type: "arrayappend", value: L(10), array: 12 }),
      st({ type: "arrayappend", value: L(11), array: 12 }),
      ...ir.result(12),
    ),
  );
  const seen: unknown[] = [];
  const policy = await loadPolicy(ir.wasm(), undefined, {
    "custom.upper": (s: unknown) => (typeof s === "string" ? s.toUpperCase() : s),
    "custom.pair": (a: unknown, b: unknown) => [a, b],
    "writ.test.set": (xs: number[]) => xs,
    "writ.test.union": (sets: number[][]) => {
      seen.push(sets);
      return [...new Set(sets.flat())].sort();
    },
  });
  const e = (policy as any).wasmInstance.exports;
  const mem = (policy as any).mem as WebAssembly.Memory;
  const text = (addr: number) => {
    const b = new Uint8Array(mem.buffer);
    let end = addr;
    while (b[end] !== 0) end++;
    return new TextDecoder().decode(b.subarray(addr, end));
  };
  assert.deepEqual(JSON.parse(text(e.opa_json_dump(e.builtins()))), { "custom.upper": 0, "custom.pair": 1, "writ.test.union": 2, "writ.test.set": 3 });
  assert.deepEqual(policy.evaluate({ s: "abc" }), [{ result: [["ABC", "x"], [1, 2, 3], true] }]);
  assert.deepEqual(seen, [[[1, 2], [2, 3]]], "sets reach the host as arrays");
  assert.deepEqual(policy.evaluate({ s: 1 }), [{ result: [[1, "x"], [1, 2, 3], true] }]);
});

test("a host builtin returning undefined makes the call undefined; the SDK-shadowed ones get writ's alias", async () => {
  const ir = new IR();
  ir.plan(
    "t/p",
    block(st({ type: "call", func: ir.builtin("custom.none", 0), args: [], result: 2 }), ...ir.result(2)),
    block(st({ type: "call", func: ir.builtin("yaml.is_valid", 1), args: [ir.s("x")], result: 3 }), ...ir.result(3, 62)),
  );
  const policy = await loadPolicy(ir.wasm(), undefined, { "custom.none": () => undefined, "writ.host.yaml.is_valid": () => "writ's yaml.is_valid" });
  assert.deepEqual(policy.evaluate(null), [{ result: "writ's yaml.is_valid" }]);
});

test("strict builtin errors abort with the builtin's message; non-strict ones are undefined", async () => {
  const build = () => {
    const ir = new IR();
    ir.files = ["authz.rego"];
    ir.plan(
      "t/p",
      block(
        st({ type: "dot", source: L(INPUT), key: ir.s("a"), target: 2 }),
        st({ type: "dot", source: L(INPUT), key: ir.s("b"), target: 3 }),
        st({ type: "call", func: ir.builtin("div", 2), args: [L(2), L(3)], result: 4, loc: { file: 0, row: 4, col: 2 } }),
        ...ir.result(4),
      ),
    );
    ir.plan(
      "t/count",
      block(
        st({ type: "dot", source: L(INPUT), key: ir.s("a"), target: 2 }),
        st({ type: "call", func: ir.builtin("count", 1), args: [L(2)], result: 4, loc: { file: 0, row: 9, col: 2 } }),
        ...ir.result(4),
      ),
    );
    return ir;
  };
  const strict = await loadPolicy(build().wasm(true));
  assert.deepEqual(strict.evaluate({ a: 1, b: 2 }), [{ result: 0.5 }]);
  assert.throws(() => strict.evaluate({ a: 1, b: 0 }), (e: unknown) => e === "authz.rego:4: eval_builtin_error: div: divide by zero");
  assert.throws(
    () => strict.evaluate({ a: null }, "t/count"),
    (e: unknown) => e === "authz.rego:9: eval_type_error: count: operand 1 must be one of {array, object, set, string} but got null",
  );
  assert.deepEqual(strict.evaluate({ a: [1] }, "t/count"), [{ result: 1 }]);
  const lax = await loadPolicy(build().wasm(false));
  assert.deepEqual(lax.evaluate({ a: 1, b: 0 }), []);
  assert.deepEqual(lax.evaluate({ a: null }, "t/count"), []);
});

test("ObjectMerge merges objects deeply, the first one winning", async () => {
  const ir = new IR();
  ir.plan(
    "t/p",
    block(
      st({ type: "makeconst", index: ir.constant('{"a": {"x": 1, "y": 2}, "b": 1}'), target: 2 }),
      st({ type: "makeconst", index: ir.constant('{"a": {"y": 3, "z": 4}, "b": {"q": 1}, "c": 5}'), target: 3 }),
      st({ type: "objectmerge", a: 2, b: 3, target: 4 }),
      ...ir.result(4),
    ),
    block(
      st({ type: "makeconst", index: ir.constant("[1]"), target: 5 }),
      st({ type: "objectmerge", a: 2, b: 5, target: 6 }),
      ...ir.result(6, 62),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate(null), [{ result: { a: { x: 1, y: 2, z: 4 }, b: 1, c: 5 } }]);
});

test("Len counts elements and code points; IsArray/IsObject/IsSet test types", async () => {
  const ir = new IR();
  ir.plan(
    "t/p",
    block(
      st({ type: "makearray", capacity: 0, target: 2 }),
      st({ type: "dot", source: L(INPUT), key: ir.s("xs"), target: 3 }),
      st({
        type: "scan",
        source: 3,
        key: 4,
        value: 5,
        block: block(
          st({ type: "makearray", capacity: 0, target: 6 }),
          st({ type: "block", blocks: [block(st({ type: "len", source: L(5), target: 7 }), st({ type: "arrayappend", value: L(7), array: 6 }))] }),
          st({ type: "block", blocks: [block(st({ type: "isarray", source: L(5) }), st({ type: "arrayappend", value: ir.s("array"), array: 6 }))] }),
          st({ type: "block", blocks: [block(st({ type: "isobject", source: L(5) }), st({ type: "arrayappend", value: ir.s("object"), array: 6 }))] }),
          st({ type: "block", blocks: [block(st({ type: "isset", source: L(5) }), st({ type: "arrayappend", value: ir.s("set"), array: 6 }))] }),
          st({ type: "arrayappend", value: L(6), array: 2 }),
        ),
      }),
      ...ir.result(2),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  assert.deepEqual(policy.evaluate({ xs: ["åäö", [1, 2], { a: 1 }, 7, null] }), [
    { result: [[3], [2, "array"], [1, "object"], [], []] },
  ]);
});

test("MakeNumberRef keeps literal text; constants are shared and built once", async () => {
  const ir = new IR();
  ir.plan(
    "t/p",
    block(
      st({ type: "makenumberref", index: ir.sidx("28857836529306024611913"), target: 2 }),
      st({ type: "makenumberref", index: ir.sidx("0.1"), target: 3 }),
      st({ type: "makeconst", index: ir.constant('{"k": [1, 2.5, "x"]}'), target: 4 }),
      st({ type: "makenull", target: 5 }),
      st({ type: "makearray", capacity: 4, target: 6 }),
      st({ type: "arrayappend", value: L(2), array: 6 }),
      st({ type: "arrayappend", value: L(3), array: 6 }),
      st({ type: "arrayappend", value: L(4), array: 6 }),
      st({ type: "arrayappend", value: L(5), array: 6 }),
      st({ type: "assignint", value: -7, target: 7 }),
      st({ type: "arrayappend", value: L(7), array: 6 }),
      ...ir.result(6),
    ),
  );
  const policy = await loadPolicy(ir.wasm());
  const { evaluateRaw } = await import("./wasm-ir.js");
  for (let i = 0; i < 3; i++) {
    assert.equal(evaluateRaw(policy, undefined), '[{"result":[28857836529306024611913,0.1,{"k":[1,2.5,"x"]},null,-7]}]');
  }
});

test("the module's names for SDK-shadowed builtins are the host map's aliases", async () => {
  const { sdkShadowedBuiltins, hostAlias } = await import("../src/rego/builtins/host.js");
  const { hostBuiltinName } = await import("../src/rego/wasm/natives.js");
  for (const name of [...sdkShadowedBuiltins, "time.now_ns", "custom.x"]) assert.equal(hostBuiltinName(name), hostAlias(name), name);
});
