// `writ test`: runs Rego unit tests as `opa test` does, taking its command
// line (so a CI step can swap `opa test` for `writ test`).
import type { Command } from "../command.js";
import { ArgsError, parseTestArgs } from "../../rego/tester/args.js";
import { runTests } from "../../rego/tester/runner.js";
import { jsonReport, textReport } from "../../rego/tester/report.js";
import { LoadError } from "../../rego/tester/load.js";
import { RegoError } from "../../rego/errors.js";

const help = `usage: writ test [options] <files|dirs…>

Runs the test_ rules of Rego modules, as \`opa test\` does: every .rego file
below the paths is a module, every .json/.yaml/.yml file is data at its
directory's path; todo_test_ rules are skipped.

options (those of opa test):
      --v0-compatible     parse with Rego v0 syntax (default: v1)
  -b, --bundle            load each path as a bundle (only data.json/data.yaml)
      --ignore PATTERN    skip files and directories whose name matches
  -r, --run REGEX         only tests whose full name matches
      --timeout DURATION  per-test time limit (default 5s)
  -v, --verbose           list every test, not only the ones that did not pass
  -f, --format FORMAT     pretty (default) or json
  -h, --help              this text

Flags of opa test that only change its tooling (--explain, --coverage,
--threshold, --target, …) are accepted and have no effect.
Exit status: 0 when every test passes or is skipped, 2 when one fails or
errs, 1 when the files do not load or compile.`;

const command: Command = {
  help,
  async run(argv) {
    let args;
    try {
      args = parseTestArgs(argv.map((a) => (a === "--v0" ? "--v0-compatible" : a)));
    } catch (err) {
      if (!(err instanceof ArgsError)) throw err;
      process.stderr.write(`writ test: ${err.message}\n\n${help}\n`);
      return 2;
    }
    if (args.paths.length === 0) {
      process.stderr.write(`writ test: no files or directories given\n\n${help}\n`);
      return 2;
    }
    let results;
    try {
      results = await runTests(args.paths, {
        regoVersion: args.regoVersion,
        bundle: args.bundle,
        ignore: args.ignore,
        run: args.run,
        timeoutMs: args.timeoutMs,
      });
    } catch (err) {
      if (err instanceof RegoError || err instanceof LoadError) {
        process.stderr.write(err.message + "\n");
        return 1;
      }
      throw err;
    }
    if (args.format === "json") process.stdout.write(JSON.stringify(jsonReport(results), null, 2) + "\n");
    else process.stdout.write(textReport(results, { verbose: args.verbose }) + "\n");
    return results.some((r) => r.status === "fail" || r.status === "error") ? 2 : 0;
  },
};

export default command;
