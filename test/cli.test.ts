import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join, dirname } from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

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

test("writ test --help shows opa test's options", () => {
  const r = writ(["test", "--help"]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--v0-compatible/);
  assert.match(r.stdout, /--bundle/);
});

test("writ test: an unknown flag is a usage error (2), a parse error a load failure (1)", () => {
  const dir = mkdtempSync(join(tmpdir(), "writ-cli-test-"));
  writeFileSync(join(dir, "bad.rego"), "package p\n\ntest_x if {\n");
  const unknown = writ(["test", "--frobnicate", dir]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown flag: --frobnicate/);
  const bad = writ(["test", dir]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad\.rego:\d+:\d+: rego_parse_error/);
});

test("writ test runs tests, reports as opa test and exits 2 on a failure", () => {
  const dir = mkdtempSync(join(tmpdir(), "writ-cli-test-"));
  writeFileSync(join(dir, "p.rego"), "package p\n\nallow if input.user == \"alice\"\n");
  writeFileSync(
    join(dir, "p_test.rego"),
    "package p\n\ntest_alice if allow with input as {\"user\": \"alice\"}\n\ntest_bob if allow with input as {\"user\": \"bob\"}\n\ntodo_test_later if false\n",
  );
  const r = writ(["test", "-v", dir]);
  assert.match(r.stdout, /data\.p\.test_alice: PASS/);
  assert.match(r.stdout, /data\.p\.test_bob: FAIL/);
  assert.match(r.stdout, /data\.p\.todo_test_later: SKIPPED/);
  assert.equal(r.status, 2);
});

test("writ test: network builtins are refused unless --allow-network", () => {
  const dir = mkdtempSync(join(tmpdir(), "writ-net-"));
  // localhost resolves from /etc/hosts: no outside network needed
  writeFileSync(join(dir, "net_test.rego"), 'package net\n\ntest_localhost_resolves if {\n\tcount(net.lookup_ip_addr("localhost")) > 0\n}\n');
  const refused = writ(["test", dir]);
  assert.equal(refused.status, 2, refused.stdout + refused.stderr);
  assert.match(refused.stdout, /test_localhost_resolves: FAIL/);
  const allowed = writ(["test", "--allow-network", dir]);
  assert.equal(allowed.status, 0, allowed.stdout + allowed.stderr);
  assert.match(allowed.stdout, /PASS: 1\/1/);
});
