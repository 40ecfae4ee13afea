#!/usr/bin/env node
// `writ-hook <harness>`: the same as `writ hook <harness>`, started faster —
// one bundled CommonJS file with a V8 code cache (scripts/build-hook.mjs),
// no ESM loader. Harnesses treat a crash or an odd exit code as "go ahead",
// so whatever goes wrong here ends in exit 2 with a reason on stderr, which
// every command-hook harness treats as a block.
"use strict";
const fail = (e) => {
  try {
    process.stderr.write(`writ blocked this: the writ hook failed to start (${e && e.message ? e.message : e}). writ fails closed.\n`);
  } finally {
    process.exit(2);
  }
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
const argv = process.argv.slice(2);
const done = (code) => process.exit(code);
try {
  const { readFileSync, existsSync } = require("node:fs");
  const { join } = require("node:path");
  const file = join(__dirname, "../dist/hook/writ-hook.cjs");
  if (existsSync(file)) {
    const vm = require("node:vm");
    const Module = require("node:module");
    let cachedData;
    try {
      cachedData = readFileSync(file + ".cache");
    } catch {
      // no cache: compile as usual
    }
    const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file, cachedData });
    // V8 rejects a cache made by another V8 or under other V8 flags (a
    // NODE_OPTIONS=--max-old-space-size is enough), and compiling without
    // one costs every hook ~9 ms: write a fresh one as this process exits
    if (cachedData === undefined || script.cachedDataRejected) process.once("exit", () => renewCache(script, file + ".cache"));
    const mod = { exports: {} };
    script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, join(__dirname, "../dist/hook"));
    mod.exports.main(argv).then(done, fail);
  } else {
    // not bundled (no esbuild at build time): the ordinary entry
    import("../dist/src/cli/main.js").then((m) => m.main(["hook", ...argv])).then(done, fail);
  }
} catch (e) {
  fail(e);
}

/** The code cache with everything this run compiled; best effort (the
 *  install may be read-only), and atomic for hooks running side by side. */
function renewCache(script, cacheFile) {
  try {
    const { writeFileSync, renameSync } = require("node:fs");
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
  } catch {
    // the next hook compiles again
  }
}
