// Native strings.any_prefix_match/any_suffix_match, strings.count,
// indexof_n, array.flatten and numbers.range_step in the bare SDK, against
// the TypeScript host implementations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import { callBuiltin } from "./wasm-ir.js";

/** Each call natively (bare SDK) and on the host: the same answer. */
async function agree(name: string, calls: unknown[][]): Promise<void> {
  for (const args of calls) {
    const native = await callBuiltin(name, args.map((a) => JSON.stringify(a)));
    const host = hostBuiltins[name]!(...args);
    assert.deepEqual(native, host, `${name}(${args.map((a) => JSON.stringify(a)).join(", ")})`);
  }
}

test("any_prefix_match and any_suffix_match over strings, arrays and sets", async () => {
  const calls = [
    ["/workspace/a.ts", "/workspace/"], ["/workspace/a.ts", ["/etc/", "/workspace"]], [["x", "/tmp/y"], ["/tmp"]],
    ["abc", []], [[], "a"], ["", ""], ["a.ts", [".js", ".ts"]], ["é", "é"], ["abc", [1]], [1, "a"], ["a", 1],
  ];
  await agree("strings.any_prefix_match", calls);
  await agree("strings.any_suffix_match", calls);
});

test("strings.count and indexof_n count runes", async () => {
  await agree("strings.count", [["cheese", "e"], ["five", ""], ["ééé", "é"], ["aaaa", "aa"], ["", ""], [1, "a"]]);
  await agree("indexof_n", [["dogcatdog", "dog"], ["aaaa", "aa"], ["éxéx", "x"], ["abc", "z"], ["abc", ""], [1, "a"]]);
});

test("array.flatten and numbers.range_step", async () => {
  await agree("array.flatten", [[[1, [2, 3], [[4]], []]], [[]], [1]]);
  await agree("numbers.range_step", [[0, 10, 3], [10, 0, 3], [-5, 5, 5], [1, 1, 1], [0, 10, 0], [0, 10, -1], [0, 1.5, 1]]);
});
