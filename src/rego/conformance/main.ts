// npm run conformance [-- <folder,…>] [--json report.json] [--timeout ms] [--workers n] [--filter text] [--bare]
// --bare: load every module with the bare SDK and no custom builtins.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatSummary, runConformance } from "./runner.js";

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run conformance -- [folder,…] [--json report.json] [--timeout ms] [--workers n] [--filter note-text] [--bare]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let folders: string[] | undefined;
let json = "reports/conformance.json";
let timeoutMs = 5000;
let workers = 2;
let filter: string | undefined;
let bare = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  const value = () => args[++i] ?? usage(`${a} needs a value`);
  if (a === "--json") json = value();
  else if (a === "--timeout") timeoutMs = Number(value());
  else if (a === "--workers") workers = Number(value());
  else if (a === "--filter") filter = value();
  else if (a === "--bare") bare = true;
  else if (a === "-h" || a === "--help") usage("Runs OPA's conformance cases against writ.");
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else folders = [...(folders ?? []), ...a.split(",").filter(Boolean)];
}
if (!(timeoutMs > 0)) usage("--timeout must be a positive number of ms");
if (!(workers >= 1)) usage("--workers must be at least 1");

const report = await runConformance({ ...(folders ? { folders } : {}), ...(filter !== undefined ? { filter } : {}), timeoutMs, workers, bare });
const path = resolve(json);
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${formatSummary(report)}\n`);
process.stderr.write(`report: ${path}\n`);
