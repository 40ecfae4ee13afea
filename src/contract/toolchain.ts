// A digest of the code that turns sources into a bundle: the Wasm runtime and
// the compiled JavaScript of the Rego toolchain and the contract compiler.
// Bundles are named by their sources alone (deterministic builds), so a cache
// of built bundles must also compare this, or a changed compiler keeps
// serving what the old one built.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const srcDir = fileURLToPath(new URL("../", import.meta.url));
const runtimeWasm = fileURLToPath(new URL("../../../build/runtime.wasm", import.meta.url));

function jsFiles(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) jsFiles(p, out);
    else if (e.name.endsWith(".js")) out.push(p);
  }
  return out;
}

let cached: string | undefined;

/** SHA-256 over the toolchain's files (a few ms; computed once per process). */
export function toolchainDigest(): string {
  if (cached) return cached;
  const h = createHash("sha256");
  const files = [...jsFiles(join(srcDir, "rego"), []), ...jsFiles(join(srcDir, "contract"), []), runtimeWasm]
    .filter((f) => !f.includes("/conformance/") && !f.includes("/tester/"))
    .sort();
  for (const f of files) {
    h.update(f.slice(srcDir.length));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return (cached = h.digest("hex"));
}
