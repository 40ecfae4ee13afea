#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled TypeScript under dist/.
import { main } from "../dist/src/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`writ: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
