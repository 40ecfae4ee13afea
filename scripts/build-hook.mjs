// Builds the fast hook entry: dist/src/harness/hook-entry.js and what it
// imports, bundled by esbuild into one CommonJS file (no ESM loader, one
// file to read and compile), plus a V8 code cache made after running every
// adapter once (bin/writ-hook.cjs loads both). A harness starts a hook
// process before every tool call, so its start-up time is the user's
// waiting time. Without esbuild (a production install), this is skipped and
// bin/writ-hook.cjs falls back to the ordinary entry.
import { mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import Module from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "dist/hook");
const out = join(outDir, "writ-hook.cjs");

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  process.stderr.write("build: esbuild is not installed; writ-hook will use the ordinary entry\n");
  rmSync(outDir, { recursive: true, force: true });
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
const result = await esbuild.build({
  entryPoints: [join(root, "dist/src/harness/hook-entry.js")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: out,
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
  // import() of node:net / node:https as require(): the bundle runs in a
  // vm.Script, which has no dynamic-import callback
  supported: { "dynamic-import": false },
});
// the hook must stay lean: only writ's own hook modules and node builtins
const inputs = Object.keys(result.metafile.inputs);
const strays = inputs.filter((p) => !/^dist\/src\/(harness|decide\/types)/.test(p));
if (strays.length) {
  process.stderr.write(`build: the hook bundle pulled in modules outside src/harness: ${strays.join(", ")}\n`);
  process.exit(1);
}
// code cache, made after every adapter has run once
const source = readFileSync(out, "utf8");
const script = new vm.Script(Module.wrap(source), { filename: out });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, createRequire(out), mod, out, outDir);
await mod.exports.warm();
writeFileSync(out + ".cache", script.createCachedData());
process.stderr.write(`build: hook bundle ${out} (${inputs.length} modules, ${(source.length / 1024).toFixed(0)} KiB)\n`);
