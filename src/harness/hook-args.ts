// The hook's command line, read the way util.parseArgs reads it (strict,
// positionals allowed) for its few options. By hand because parseArgs is
// not loaded when Node starts: loading and running it cost a hook process
// about 1 ms, which it pays before every tool call.
// test/harness-hook-args.test.ts holds this to parseArgs' answers.

export interface HookArgs {
  values: { url?: string; timeout?: string; contract?: string; "on-approve"?: string; event?: string; help?: boolean };
  positionals: string[];
}

type StringOption = "url" | "timeout" | "contract" | "on-approve" | "event";
const STRING_OPTIONS = new Set<string>(["url", "timeout", "contract", "on-approve", "event"]);

/** Throws, with parseArgs' words, on an unknown option or a missing or
 *  ambiguous value. */
export function parseHookArgs(argv: string[]): HookArgs {
  const values: HookArgs["values"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (name === "help") {
        if (eq >= 0) throw new Error(`Option '--help' does not take an argument`);
        values.help = true;
      } else if (STRING_OPTIONS.has(name)) {
        let value: string | undefined;
        if (eq >= 0) value = arg.slice(eq + 1);
        else {
          value = argv[++i];
          if (value === undefined) throw new Error(`Option '--${name} <value>' argument missing`);
          if (value.length > 1 && value.startsWith("-")) throw new Error(`Option '--${name}' argument is ambiguous: use '--${name}=${value}' for a value starting with a dash`);
        }
        values[name as StringOption] = value;
      } else throw new Error(`Unknown option '${eq < 0 ? arg : arg.slice(0, eq)}'`);
    } else if (arg.length > 1 && arg.startsWith("-")) {
      // short options: only -h, alone or repeated (-hh)
      for (const c of arg.slice(1)) {
        if (c !== "h") throw new Error(`Unknown option '-${c}'`);
        values.help = true;
      }
    } else positionals.push(arg);
  }
  return { values, positionals };
}
