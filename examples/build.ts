// npm run build:example — builds examples/acme into bundles/example.tar.gz,
// signed with a development key made on first use (bundles/.dev-key/).
import { buildExampleBundle } from "../src/contract/example.js";

const force = !process.argv.includes("--if-stale");
try {
  const r = await buildExampleBundle({ force, log: (line) => process.stderr.write(`build:example: ${line}\n`) });
  process.stderr.write(
    `build:example: ${r.built ? "built" : "up to date"} ${r.bundlePath} (revision ${r.revision}, sha256 ${r.digest.slice(0, 12)}…) in ${r.ms.toFixed(0)} ms; verify with ${r.publicKeyPath}\n`,
  );
} catch (err) {
  process.stderr.write(`build:example: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
