// Runs the test suite (node --test, its summary on stdout as CI reads it)
// with TMPDIR pointed at a directory of its own, removed afterwards. The
// tests, and the services and CLIs they start, make temporary data dirs,
// bundles and keys; whatever one of them leaves behind goes with this
// directory instead of piling up in the machine's /tmp run after run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "writ-tests-"));
const args = ["--test", "--test-concurrency=2", ...(process.argv.length > 2 ? process.argv.slice(2) : ["dist/test/"])];
const run = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, TMPDIR: root } });
rmSync(root, { recursive: true, force: true });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
