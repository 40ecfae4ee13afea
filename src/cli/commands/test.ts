// `writ test`: Rego unit tests, run as `opa test` runs them (taking its
// command line, so a CI step can swap `opa test` for `writ test`), and
// conformance fixture suites (YAML files with `suite` and `events`,
// schemas/conformance-fixture.json), run through the harness adapters and
// writ's real decision service on the real compiled bundle.
//
// The two runners share the command: paths are searched for both; fixture
// suite files are kept away from the Rego runner (which would read YAML as
// data), and each runner gets only its own flags.
import type { Command } from "../command.js";
import { ArgsError, parseTestArgs, type TestArgs } from "../../rego/tester/args.js";
import { RegoError } from "../../rego/errors.js";
import { basename } from "node:path";
import { readdirSync, statSync } from "node:fs";

const help = `usage: writ test [options] <files|dirs…>

Runs the test_ rules of Rego modules, as \`opa test\` does: every .rego file
below the paths is a module, every .json/.yaml/.yml file is data at its
directory's path; todo_test_ rules are skipped.

Runs conformance fixture suites: YAML files below the paths with \`suite\`
and \`events\` (schemas/conformance-fixture.json). Each suite's bundle is
built from its setup and served by writ's decision service in this
process; raw harness payloads go through that harness's adapter, and the
exact answer the harness gets is checked.

options (those of opa test):
      --v0-compatible     parse with Rego v0 syntax (default: v1)
  -b, --bundle            load each path as a bundle (only data.json/data.yaml)
      --ignore PATTERN    skip files and directories whose name matches
  -r, --run REGEX         only tests whose full name matches
      --timeout DURATION  per-test time limit (default 5s)
  -v, --verbose           list every test, not only the ones that did not pass
      --allow-network     let http.send and net.lookup_ip_addr use the network
                          (refused by default: a test, like a decision, does
                          no network I/O unless allowed)
  -f, --format FORMAT     pretty (default) or json; tap for fixture suites
  -h, --help              this text
      --builtins FILE     an ES module adding builtins, as a custom OPA build
                          registers Go functions; it exports \`builtins\`:
                          [{name, decl, impl}], decl as in an OPA
                          capabilities file, and optionally \`data\`, put
                          below the tests' data (repeatable)

options for fixture suites:
      --junit FILE        also write the fixture results as JUnit XML
      --url URL           ask a running writ serve instead (credential:
                          $WRIT_TOKEN, approvals: $WRIT_OPERATOR_TOKEN)
      --normalize-only    no decisions: check only x-normalized expectations
      --require-decisions a check the backend cannot make is a failure

Flags of opa test that only change its tooling (--explain, --coverage,
--threshold, --target, …) are accepted and have no effect.
Exit status: 0 when every test passes or is skipped, 2 when one fails or
errs, 1 when the files do not load or compile.`;

interface FixtureFlags {
  junit?: string;
  url?: string;
  normalizeOnly: boolean;
  requireDecisions: boolean;
  tap: boolean;
}

/** Takes the fixture runner's own flags out of the command line. */
function splitFixtureFlags(argv: string[]): { flags: FixtureFlags; rest: string[] } {
  const flags: FixtureFlags = { normalizeOnly: false, requireDecisions: false, tap: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new ArgsError(`flag needs an argument: ${flag}`);
      return v;
    };
    if (flag === "--junit") flags.junit = value();
    else if (flag === "--url") flags.url = value();
    else if (flag === "--normalize-only") flags.normalizeOnly = true;
    else if (flag === "--require-decisions") flags.requireDecisions = true;
    else if ((flag === "-f" || flag === "--format") && (inline ?? argv[i + 1]) === "tap") {
      flags.tap = true;
      if (inline === undefined) i++;
    } else rest.push(a);
  }
  return { flags, rest };
}

function hasRego(paths: string[]): boolean {
  const walk = (p: string, depth: number): boolean => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return depth === 0; // a missing path: let the Rego runner report it
    }
    if (!st.isDirectory()) return p.endsWith(".rego");
    return readdirSync(p).some((n) => n !== "node_modules" && walk(`${p}/${n}`, depth + 1));
  };
  return paths.some((p) => walk(p, 0));
}

async function runRego(args: TestArgs): Promise<number> {
  const { runTests } = await import("../../rego/tester/runner.js");
  const { jsonReport, textReport } = await import("../../rego/tester/report.js");
  const { LoadError } = await import("../../rego/tester/load.js");
  const { ExtensionError } = await import("../../rego/builtins/extensions.js");
  let results;
  try {
    results = await runTests(args.paths, { regoVersion: args.regoVersion, bundle: args.bundle, ignore: args.ignore, run: args.run, timeoutMs: args.timeoutMs, allowNetwork: args.allowNetwork, builtins: args.builtins });
  } catch (err) {
    if (err instanceof RegoError || err instanceof LoadError || err instanceof ExtensionError) {
      process.stderr.write(err.message + "\n");
      return 1;
    }
    throw err;
  }
  if (args.format === "json") process.stdout.write(JSON.stringify(jsonReport(results), null, 2) + "\n");
  else process.stdout.write(textReport(results, { verbose: args.verbose }) + "\n");
  return results.some((r) => r.status === "fail" || r.status === "error") ? 2 : 0;
}

async function runFixtures(files: string[], flags: FixtureFlags, verbose: boolean): Promise<number> {
  const { runFixtureSuites } = await import("../../harness/fixtures/run.js");
  const report = await import("../../harness/fixtures/report.js");
  const backend = flags.url
    ? (await import("../../harness/fixtures/http-backend.js")).httpBackend({ url: flags.url, token: process.env.WRIT_TOKEN, operatorToken: process.env.WRIT_OPERATOR_TOKEN })
    : undefined;
  const rep = await runFixtureSuites(files, { backend, normalizeOnly: flags.normalizeOnly, requireDecisions: flags.requireDecisions });
  process.stdout.write(flags.tap ? report.tapReport(rep) : report.textReport(rep, verbose));
  if (flags.junit) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(flags.junit, report.junitReport(rep));
  }
  return rep.exitCode;
}

const command: Command = {
  help,
  async run(argv) {
    let args: TestArgs;
    let flags: FixtureFlags;
    try {
      const split = splitFixtureFlags(argv.map((a) => (a === "--v0" ? "--v0-compatible" : a)));
      flags = split.flags;
      args = parseTestArgs(split.rest);
    } catch (err) {
      if (!(err instanceof ArgsError)) throw err;
      process.stderr.write(`writ test: ${err.message}\n\n${help}\n`);
      return 2;
    }
    if (args.paths.length === 0) {
      process.stderr.write(`writ test: no files or directories given\n\n${help}\n`);
      return 2;
    }
    const { findSuiteFiles } = await import("../../harness/fixtures/run.js");
    const suites = await findSuiteFiles(args.paths);
    const codes: number[] = [];
    // the Rego runner, unless the paths hold only fixture suites
    if (suites.length === 0 || hasRego(args.paths)) codes.push(await runRego({ ...args, ignore: [...args.ignore, ...suites.map((f) => basename(f))] }));
    if (suites.length) codes.push(await runFixtures(suites, flags, args.verbose));
    return codes.find((c) => c !== 0) ?? 0;
  },
};

export default command;
