// The hook's hand-made command line parser answers as util.parseArgs does
// (strict, positionals allowed) for the hook's options: the same values and
// positionals, and an error in the same cases (which the hook turns into a
// block).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { parseHookArgs } from "../src/harness/hook-args.js";

const options = {
  url: { type: "string" },
  timeout: { type: "string" },
  contract: { type: "string" },
  "on-approve": { type: "string" },
  event: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const cases: string[][] = [
  [],
  ["claude-code"],
  ["claude-code", "--url", "http://127.0.0.1:8787", "--contract", "fix-login-timeout"],
  ["--url=http://x", "codex", "--timeout", "300", "--on-approve", "deny", "--event", "PreToolUse"],
  ["cursor", "--url", "a", "--url", "b"],
  ["gemini", "--timeout="],
  ["gemini", "--url", "-"],
  ["gemini", "-", "x"],
  ["-h"],
  ["--help"],
  ["-hh", "claude-code"],
  ["claude-code", "--", "--url", "-h"],
  ["--contract", "a=b"],
  // errors
  ["claude-code", "--url"],
  ["claude-code", "--url", "--timeout", "3"],
  ["claude-code", "--url", "-x"],
  ["claude-code", "--nope"],
  ["claude-code", "--nope=1"],
  ["claude-code", "-x"],
  ["claude-code", "-hx"],
  ["--help=yes"],
  ["--on-approve"],
];

test("parseHookArgs answers as util.parseArgs does", () => {
  for (const argv of cases) {
    let expected: unknown;
    try {
      const r = parseArgs({ args: argv, allowPositionals: true, options });
      expected = { values: { ...r.values }, positionals: r.positionals };
    } catch {
      expected = "error";
    }
    let actual: unknown;
    try {
      actual = parseHookArgs(argv);
    } catch {
      actual = "error";
    }
    assert.deepEqual(actual, expected, JSON.stringify(argv));
  }
});
