// The hook's entry points stay lean and fail closed: `writ-hook` (one
// bundled file with a code cache) answers as `writ hook` does; both load
// only writ's hook modules and a few node builtins — no compiler, hono,
// ajv or yaml; and a broken install still blocks (exit 2), never exit 1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshDir, root, runProcess, runWrit, startFakeWrit, verdict, type Run } from "./harness-helpers.js";

const fastEntry = join(root, "bin/writ-hook.cjs");
const payload = readFileSync(join(root, "test/golden/claude-code/pre-tool-use-bash.json"), "utf8");

function run(file: string, args: string[], input: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Run> {
  return runProcess(process.execPath, [...nodeArgs, file, ...args], input, { ...process.env, WRIT_TOKEN: "t", WRIT_STATE_DIR: freshDir(), ...env } as Record<string, string>);
}

test("writ-hook answers exactly as writ hook does", async () => {
  let answer = verdict("deny");
  const writ = await startFakeWrit(() => ({ body: answer }));
  try {
    for (const v of ["allow", "deny", "approve"] as const) {
      answer = verdict(v);
      const fast = await run(fastEntry, ["claude-code", "--url", writ.url], payload);
      const slow = await runWrit(["hook", "claude-code", "--url", writ.url], payload);
      assert.deepEqual(fast, slow, v);
    }
    assert.deepEqual(writ.requests[0].body, writ.requests[1].body);
    const dead = await run(fastEntry, ["claude-code", "--url", "http://127.0.0.1:9"], payload);
    assert.equal(dead.code, 2);
    assert.match(dead.stderr, /^writ blocked this: there is no decision \(writ is unreachable/);
    assert.equal((await run(fastEntry, ["nonsense"], payload)).code, 2);
  } finally {
    await writ.close();
  }
});

test("the bundle requires only node:fs, node:path and node:util as it loads (node:net, node:https, node:tls when asked for)", () => {
  const bundle = readFileSync(join(root, "dist/hook/writ-hook.cjs"), "utf8");
  const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
  assert.deepEqual([...required].sort(), ["node:fs", "node:https", "node:net", "node:path", "node:tls", "node:util"]);
  for (const lazy of ["node:net", "node:https", "node:tls"]) {
    for (const m of bundle.matchAll(new RegExp(`.*require\\("${lazy}"\\).*`, "g"))) assert.match(m[0], /Promise\.resolve\(\)\.then/, m[0]);
  }
  assert.doesNotMatch(bundle, /from "hono"|ajv|compileRego|parseYaml/);
});

/** The builtin modules a writ-hook process loaded, from a preload that
 *  writes process.moduleLoadList as the process exits. */
async function modulesLoaded(url: string, env: Record<string, string> = {}): Promise<{ run: Run; modules: string[] }> {
  const dir = freshDir();
  const list = join(dir, "modules.txt");
  const preload = join(dir, "preload.cjs");
  writeFileSync(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));\n`);
  const r = await run(fastEntry, ["claude-code", "--url", url], payload, env, ["--require", preload]);
  return { run: r, modules: readFileSync(list, "utf8").split("\n") };
}

test("writ-hook asks writ at an IP address without loading node:net; a host name, or --pending-deprecation, goes through node:net", async () => {
  const writ = await startFakeWrit(() => ({ body: verdict("deny") }));
  try {
    const byIp = await modulesLoaded(writ.url);
    assert.equal(byIp.run.code, 2);
    assert.match(byIp.run.stderr, /^writ denied this/);
    assert.ok(!byIp.modules.includes("NativeModule net"), "node:net loaded");
    const byName = await modulesLoaded(writ.url.replace("127.0.0.1", "localhost"));
    assert.equal(byName.run.code, 2);
    assert.match(byName.run.stderr, /^writ denied this/);
    assert.ok(byName.modules.includes("NativeModule net"));
    // where process.binding would print a deprecation warning, node:net
    const pending = await modulesLoaded(writ.url, { NODE_OPTIONS: "--pending-deprecation" });
    assert.equal(pending.run.code, 2);
    assert.match(pending.run.stderr, /^writ denied this[^\n]*\n$/);
    assert.ok(pending.modules.includes("NativeModule net"));
    assert.equal(writ.requests.length, 3);
    assert.deepEqual(writ.requests[0].body, writ.requests[1].body);
  } finally {
    await writ.close();
  }
});

test("writ hook (the CLI path) loads no compiler, hono, ajv or yaml", async () => {
  const dir = freshDir();
  const trace = join(dir, "trace.txt");
  const loader = join(dir, "trace-loader.mjs");
  writeFileSync(loader, `import { appendFileSync } from "node:fs";\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(trace)}, r.url + "\\n"); return r; }\n`);
  const r = await run(join(root, "bin/writ.js"), ["hook", "claude-code", "--url", "http://127.0.0.1:9"], payload, {}, ["--no-warnings", "--experimental-loader", loader]);
  assert.equal(r.code, 2);
  const loaded = [...new Set(readFileSync(trace, "utf8").trim().split("\n"))];
  const ours = loaded.filter((u) => u.startsWith("file:")).map((u) => u.slice(u.indexOf("/dist/") + 1 || u.indexOf("/bin/") + 1));
  for (const f of ours) assert.match(f, /^(bin\/writ\.js|dist\/src\/cli\/(main|commands\/hook)\.js|dist\/src\/harness\/)/, f);
  const builtins = loaded.filter((u) => u.startsWith("node:"));
  assert.deepEqual(builtins.sort(), ["node:fs", "node:path", "node:util"]);
});

test("a broken install blocks with exit 2 rather than crashing with exit 1", async () => {
  const dir = freshDir();
  mkdirSync(join(dir, "bin"));
  copyFileSync(fastEntry, join(dir, "bin/writ-hook.cjs"));
  // no bundle and no dist at all: the fallback import fails
  const missing = await run(join(dir, "bin/writ-hook.cjs"), ["claude-code"], payload);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^writ blocked this: the writ hook failed to start/);
  // a bundle that throws as it loads
  mkdirSync(join(dir, "dist/hook"), { recursive: true });
  writeFileSync(join(dir, "dist/hook/writ-hook.cjs"), "throw new Error('corrupt bundle');");
  const corrupt = await run(join(dir, "bin/writ-hook.cjs"), ["claude-code"], payload);
  assert.equal(corrupt.code, 2);
  assert.match(corrupt.stderr, /corrupt bundle/);
  // a stale code cache is ignored, not fatal, and replaced by one the
  // next run accepts (a run rewrites the cache only when V8 rejects it)
  copyFileSync(join(root, "dist/hook/writ-hook.cjs"), join(dir, "dist/hook/writ-hook.cjs"));
  const cache = join(dir, "dist/hook/writ-hook.cjs.cache");
  writeFileSync(cache, "not a code cache");
  const stale = await run(join(dir, "bin/writ-hook.cjs"), ["claude-code", "--url", "http://127.0.0.1:9"], payload);
  assert.equal(stale.code, 2);
  assert.match(stale.stderr, /writ is unreachable/);
  const renewed = readFileSync(cache);
  assert.notEqual(renewed.toString("latin1"), "not a code cache");
  const next = await run(join(dir, "bin/writ-hook.cjs"), ["claude-code", "--url", "http://127.0.0.1:9"], payload);
  assert.equal(next.code, 2);
  assert.deepEqual(readFileSync(cache), renewed, "the renewed cache was accepted");
  assert.deepEqual(readdirSync(join(dir, "dist/hook")).sort(), ["writ-hook.cjs", "writ-hook.cjs.cache"], "no temporary files left");
});
