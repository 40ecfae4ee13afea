import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join, dirname } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const writ = (args: string[]) => spawnSync(process.execPath, [join(root, "bin/writ.js"), ...args], { encoding: "utf8" });

test("writ --help lists commands and exits 0", () => {
  const r = writ(["--help"]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: writ <command>/);
  assert.match(r.stdout, /compile/);
});

test("an unknown command exits 2 with usage on stderr", () => {
  const r = writ(["frobnicate"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test("writ compile --help prints its options", () => {
  const r = writ(["compile", "--help"]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--entrypoint/);
});
