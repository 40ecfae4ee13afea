// `writ test --builtins`: a project's own builtins, declared and implemented
// in an ES module, as a custom OPA build registers Go functions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTests } from "../src/rego/tester/runner.js";
import { parseTestArgs } from "../src/rego/tester/args.js";
import { declareBuiltins, ExtensionError } from "../src/rego/builtins/extensions.js";

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "writ-ext-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const extension = `
export const data = { acme: { prefix: 24 } };

export const builtins = [
  {
    name: "acme.cidr_size",
    decl: { type: "function", args: [{ type: "string" }], result: { type: "number" } },
    impl: (cidr) => {
      const bits = Number(cidr.split("/")[1]);
      if (!Number.isInteger(bits)) throw new Error("no prefix length");
      return 2 ** (32 - bits);
    },
  },
];
`;

test("an extension's builtin compiles, runs on the host, and an error in it is undefined; its data is in data", async () => {
  const root = dir({
    "ext.mjs": extension,
    "p_test.rego": `package p

test_size if acme.cidr_size("10.0.0.0/24") == 256

test_error_is_undefined if not acme.cidr_size("10.0.0.0")

test_with_replaces_it if acme.cidr_size("x") == 7 with acme.cidr_size as 7

test_data if data.acme.prefix == 24
`,
  });
  const results = await runTests([join(root, "p_test.rego")], { regoVersion: 1, timeoutMs: 5000, builtins: [join(root, "ext.mjs")] });
  assert.deepEqual(
    results.map((r) => [r.test.name, r.status]),
    [
      ["data.p.test_size", "pass"],
      ["data.p.test_error_is_undefined", "pass"],
      ["data.p.test_with_replaces_it", "pass"],
      ["data.p.test_data", "pass"],
    ],
  );
});

test("--builtins is writ's own flag, repeatable", () => {
  assert.deepEqual(parseTestArgs(["--builtins", "a.mjs", "--builtins=b.mjs", "x/"]).builtins, ["a.mjs", "b.mjs"]);
});

test("an extension may not redefine a builtin of Rego", () => {
  const decl = { type: "function" as const, args: [{ type: "string" as const }], result: { type: "number" as const } };
  assert.throws(() => declareBuiltins([{ name: "count", decl, impl: () => 1 }]), ExtensionError);
});
