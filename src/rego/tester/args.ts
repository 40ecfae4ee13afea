// The command line of `opa test`, so that `writ test` and the compatibility
// script accept what a project's CI already runs. Flags that only change
// OPA's output or tooling (coverage, explain, format, bench) are accepted and
// noted; the ones that change what runs are honoured.

export interface TestArgs {
  paths: string[];
  regoVersion: 0 | 1;
  bundle: boolean;
  ignore: string[];
  run?: RegExp;
  timeoutMs: number;
  verbose: boolean;
  format: "pretty" | "json";
  /** writ's own flag: let http.send and net.lookup_ip_addr reach the network */
  allowNetwork: boolean;
  /** writ's own --builtins: modules adding builtins (builtins/extensions.ts),
   *  as a custom OPA build registers Go ones */
  builtins: string[];
  /** flags accepted without effect on outcomes, as written */
  ignoredFlags: string[];
}

export class ArgsError extends Error {}

/** Go's time.ParseDuration for the forms CI scripts use: 30s, 1m30s, 500ms. */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  if (s === "0") return 0;
  if (matched !== s.length || s.length === 0) throw new ArgsError(`invalid duration "${s}"`);
  return total;
}

const BOOLEAN = new Set(["--allow-network", "-b", "--bundle", "--v0-compatible", "--v1-compatible", "-v", "--verbose", "-c", "--coverage", "-z", "--exit-zero-on-skipped", "--bench", "--benchmem", "-w", "--watch", "--var-values"]);
const VALUED = new Set(["--ignore", "-r", "--run", "-t", "--target", "--timeout", "--explain", "-f", "--format", "--threshold", "-m", "--max-errors", "--count", "-s", "--schema", "--capabilities", "-p", "--parallel", "--builtins"]);

/** Parses `opa test` arguments (without the leading `opa test`). */
export function parseTestArgs(argv: string[]): TestArgs {
  const out: TestArgs = { paths: [], regoVersion: 1, bundle: false, ignore: [], timeoutMs: 5000, verbose: false, format: "pretty", allowNetwork: false, builtins: [], ignoredFlags: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-") || arg === "-") {
      out.paths.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (BOOLEAN.has(flag)) {
      const on = value === undefined || value === "true";
      switch (flag) {
        case "-b":
        case "--bundle":
          out.bundle = on;
          break;
        case "--v0-compatible":
          if (on) out.regoVersion = 0;
          break;
        case "--v1-compatible":
          if (on) out.regoVersion = 1;
          break;
        case "-v":
        case "--verbose":
          out.verbose = on;
          break;
        case "--allow-network":
          out.allowNetwork = on;
          break;
        default:
          out.ignoredFlags.push(arg);
      }
      continue;
    }
    if (!VALUED.has(flag)) throw new ArgsError(`unknown flag: ${flag}`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new ArgsError(`flag needs an argument: ${flag}`);
    }
    switch (flag) {
      case "--ignore":
        // a pflag string slice: repeatable and comma-separated
        out.ignore.push(...value.split(",").filter((s) => s !== ""));
        break;
      case "--builtins":
        out.builtins.push(value);
        break;
      case "-r":
      case "--run":
        out.run = new RegExp(value);
        break;
      case "--timeout":
        out.timeoutMs = parseDuration(value);
        break;
      case "-f":
      case "--format":
        if (value !== "pretty" && value !== "json") throw new ArgsError(`unsupported format: ${value}`);
        out.format = value;
        break;
      case "-t":
      case "--target":
        // both targets must give the same outcomes; writ always runs Wasm
        out.ignoredFlags.push(`${flag}=${value}`);
        break;
      default:
        out.ignoredFlags.push(`${flag}=${value}`);
    }
  }
  return out;
}
