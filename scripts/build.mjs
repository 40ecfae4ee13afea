// Build everything that is not committed: the AssemblyScript Wasm runtime that
// every compiled policy is linked against, then the TypeScript sources.
// The runtime build is skipped when its sources are unchanged since the last
// build (content hash), so `npm test` stays fast on repeat runs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runtimeDir = join(root, "src/rego/wasm/runtime");
const outDir = join(root, "build");
const bin = (name) => join(root, "node_modules/.bin", name);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`build: ${cmd} ${args.join(" ")} failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
}

function hashDir(dir) {
  const h = createHash("sha256");
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        h.update(p.slice(root.length));
        h.update(readFileSync(p));
      }
    }
  };
  walk(dir);
  h.update(readFileSync(join(root, "scripts/build.mjs")));
  return h.digest("hex");
}

mkdirSync(outDir, { recursive: true });
if (existsSync(join(runtimeDir, "index.ts"))) {
  const stamp = join(outDir, "runtime.hash");
  const hash = hashDir(runtimeDir);
  if (!existsSync(join(outDir, "runtime.wasm")) || !existsSync(stamp) || readFileSync(stamp, "utf8") !== hash) {
    process.stderr.write("build: compiling the Wasm runtime (AssemblyScript)\n");
    run(bin("asc"), [
      "src/rego/wasm/runtime/index.ts",
      "--config", "src/rego/wasm/runtime/asconfig.json",
      "-o", "build/runtime.wasm",
    ]);
    writeFileSync(stamp, hash);
  }
}
process.stderr.write("build: compiling TypeScript\n");
run(bin("tsc"), ["-p", "tsconfig.json"]);
