// From one command's argv to the commands it really runs: wrappers (sudo,
// env, nohup, timeout, xargs, …) are peeled off and named in `via`; shells
// given a command string (`bash -c`, `su -c`, `watch`, `ssh host …`, `eval`)
// have that string parsed in turn; `find -exec` and git's command-valued
// config (`git -c core.pager=…`) yield the commands they start. A wrapper
// with no command left (`sudo -i`, `env`) is itself the command.

/** One argv word: its value (run-time parts as written) and whether the
 *  value is known before the line runs. */
export interface Arg {
  text: string;
  literal: boolean;
}

/** What the command's stdin is. */
export interface Stdin {
  /** a here-document or here-string body */
  text?: string;
  textLiteral?: boolean;
  /** stdin is a pipe from the previous command */
  pipe: boolean;
}

/** Callbacks into the analyzer. */
export interface Sink {
  /** a command that runs, with the wrappers it was found under */
  emit(argv: Arg[], via: string[], cwdChange?: string): void;
  /** a string the command runs as shell code */
  nested(src: Arg, via: string[]): void;
  /** the line runs code writ cannot see before it runs */
  dynamic(): void;
}

interface WrapperSpec {
  /** short options that take a value (attached or as the next word) */
  short?: string;
  /** long options that take a value as the next word (without `=`) */
  long?: string[];
  /** words before the command (timeout's duration, chroot's directory) */
  positionals?: number;
  /** options that mean no command runs (`sudo -l`, `command -v`) */
  noExec?: string[];
  /** options whose value is a command string for `sh -c` */
  commandOption?: string[];
  /** options whose value is the directory the command runs in */
  chdirOption?: string[];
  /** skip leading NAME=VALUE words (env) */
  assignments?: boolean;
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: {
    short: "ugphCDrtTUR",
    long: ["--user", "--group", "--host", "--prompt", "--close-from", "--chdir", "--role", "--type", "--other-user", "--command-timeout"],
    noExec: ["-l", "--list", "-v", "--validate", "-K", "--remove-timestamp", "-V", "--version", "-e", "--edit"],
    chdirOption: ["-D", "--chdir"],
    assignments: true,
  },
  doas: { short: "uC", noExec: ["-C", "-L"] },
  env: {
    short: "uCSP",
    long: ["--unset", "--chdir", "--split-string"],
    chdirOption: ["-C", "--chdir"],
    assignments: true,
  },
  nohup: {},
  nice: { short: "n", long: ["--adjustment"] },
  ionice: { short: "cnp", noExec: ["-p", "-P", "-u", "--pid", "--pgid", "--uid"] },
  timeout: { short: "sk", long: ["--signal", "--kill-after"], positionals: 1 },
  stdbuf: { short: "ioe", long: ["--input", "--output", "--error"] },
  setsid: {},
  time: { short: "fo", long: ["--format", "--output"] },
  exec: { short: "a" },
  command: { noExec: ["-v", "-V"] },
  builtin: {},
  chroot: { long: ["--userspec", "--groups"], positionals: 1 },
  taskset: { noExec: ["-p", "--pid"], positionals: 1 },
  chrt: { short: "T", noExec: ["-p", "--pid", "-m", "--max"], positionals: 1 },
  unbuffer: {},
  caffeinate: { short: "wt" },
  chronic: {},
  strace: { short: "abeEIoOpPsSuUX" },
  ltrace: { short: "aAeEnoOpsSuwX" },
  script: { short: "cEeoIOT", commandOption: ["-c", "--command"] },
  flock: { short: "wEc", long: ["--timeout", "--conflict-exit-code"], positionals: 1, commandOption: ["-c", "--command"] },
  runuser: { short: "ugGcsw", commandOption: ["-c", "--command"] },
};

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "yash", "fish", "posh", "rbash", "csh", "tcsh"]);

/** git config keys whose values git runs as shell commands. */
const GIT_COMMAND_KEYS = /^(alias\..+|core\.(pager|sshcommand|editor|fsmonitor|askpass)|sequence\.editor|pager\..+|diff\..+\.(textconv|command)|filter\..+\.(clean|smudge|process)|credential\.helper|gpg\.program|uploadpack\.packobjectshook)$/i;

export function basename(program: string): string {
  const i = program.lastIndexOf("/");
  return i >= 0 ? program.slice(i + 1) : program;
}

const MAX_WRAPPERS = 32;

export function unwrap(argv: Arg[], via: string[], stdin: Stdin, sink: Sink, hops = 0): void {
  if (argv.length === 0) return;
  if (hops > MAX_WRAPPERS) {
    sink.dynamic();
    sink.emit(argv, via);
    return;
  }
  const name = basename(argv[0].text);
  if (!argv[0].literal) {
    // the program itself is computed at run time
    sink.dynamic();
    sink.emit(argv, via);
    return;
  }
  if (SHELLS.has(name)) return shell(name, argv, via, stdin, sink);
  switch (name) {
    case "eval":
      sink.dynamic();
      if (argv.length > 1) sink.nested(joined(argv.slice(1)), [...via, "eval"]);
      return;
    case "source":
    case ".":
      if (argv.slice(1).some((a) => !a.literal)) sink.dynamic();
      sink.emit(argv, via);
      return;
    case "alias":
      if (argv.slice(1).some((a) => a.text.includes("="))) sink.dynamic();
      sink.emit(argv, via);
      return;
    case "xargs":
      return xargs(argv, via, sink, hops);
    case "find":
      return find(argv, via, sink, hops);
    case "git":
      return git(argv, via, sink);
    case "su":
      return su(argv, via, sink);
    case "watch":
      return watch(argv, via, sink);
    case "ssh":
      return ssh(argv, via, sink);
    case "busybox":
      if (argv.length > 1) return unwrap(argv.slice(1), [...via, "busybox"], stdin, sink, hops + 1);
      return sink.emit(argv, via);
  }
  const spec = WRAPPERS[name];
  if (spec) return wrapper(name, spec, argv, via, stdin, sink, hops);
  sink.emit(argv, via);
}

/** Command-string words joined as `eval` and `ssh` join them. */
function joined(args: Arg[]): Arg {
  return { text: args.map((a) => a.text).join(" "), literal: args.every((a) => a.literal) };
}

function wrapper(name: string, spec: WrapperSpec, argv: Arg[], via: string[], stdin: Stdin, sink: Sink, hops: number): void {
  let i = 1;
  let positionals = spec.positionals ?? 0;
  let cwd: string | undefined;
  const valueOf = (opt: string, attached: string | undefined): Arg | undefined => {
    if (attached !== undefined) return { text: attached, literal: argv[i].literal };
    i++;
    return argv[i];
  };
  while (i < argv.length) {
    const a = argv[i].text;
    if (a === "--") {
      i++;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a) && positionals === 0) {
      i++;
      continue;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const opt = eq >= 0 ? a.slice(0, eq) : a;
      const attached = eq >= 0 ? a.slice(eq + 1) : undefined;
      if (spec.noExec?.includes(opt)) return sink.emit(argv, via);
      const takesValue = spec.long?.includes(opt) || spec.commandOption?.includes(opt) || spec.chdirOption?.includes(opt);
      const value = takesValue ? valueOf(opt, attached) : undefined;
      if (spec.commandOption?.includes(opt) && value) return sink.nested(value, [...via, `${name} ${opt}`]);
      if (spec.chdirOption?.includes(opt) && value) cwd = value.text;
      if (name === "env" && opt === "--split-string" && value) return envSplit(value, argv.slice(i + 1), via, stdin, sink, hops, cwd);
      i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1 && !/^-[0-9]+$/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const opt = `-${a[j]}`;
        if (spec.noExec?.includes(opt)) return sink.emit(argv, via);
        const takes = spec.short?.includes(a[j]) || spec.commandOption?.includes(opt);
        if (!takes) continue;
        const value = valueOf(opt, j + 1 < a.length ? a.slice(j + 1) : undefined);
        if (spec.commandOption?.includes(opt) && value) return sink.nested(value, [...via, `${name} ${opt}`]);
        if (spec.chdirOption?.includes(opt) && value) cwd = value.text;
        if (name === "env" && opt === "-S" && value) return envSplit(value, argv.slice(i + 1), via, stdin, sink, hops, cwd);
        break;
      }
      i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // a numeric option (nice -10)
      i++;
      continue;
    }
    if (positionals > 0) {
      positionals--;
      i++;
      continue;
    }
    break;
  }
  const rest = argv.slice(i);
  if (rest.length === 0) {
    // flock FILE -c CMD: the command option may follow the positional
    return sink.emit(argv, via);
  }
  if (spec.commandOption) {
    const k = rest.findIndex((r) => spec.commandOption!.includes(r.text));
    if (k >= 0 && k + 1 < rest.length) return sink.nested(rest[k + 1], [...via, `${name} ${rest[k].text}`]);
  }
  unwrapIn(rest, [...via, name], stdin, sink, hops, cwd);
}

/** Unwraps with a changed working directory (`env -C`, `sudo -D`). */
function unwrapIn(argv: Arg[], via: string[], stdin: Stdin, sink: Sink, hops: number, cwd: string | undefined): void {
  if (cwd === undefined) return unwrap(argv, via, stdin, sink, hops + 1);
  const inner: Sink = {
    emit: (a, v, c) => sink.emit(a, v, c ?? cwd),
    nested: (s, v) => sink.nested(s, v),
    dynamic: () => sink.dynamic(),
  };
  unwrap(argv, via, stdin, inner, hops + 1);
}

/** `env -S "a b c" rest…`: the string is split into words. */
function envSplit(value: Arg, rest: Arg[], via: string[], stdin: Stdin, sink: Sink, hops: number, cwd: string | undefined): void {
  if (!value.literal) sink.dynamic();
  const words = value.text.split(/[ \t]+/).filter(Boolean).map((text) => ({ text, literal: value.literal }));
  const argv = [{ text: "env", literal: true }, ...words, ...rest];
  unwrapIn(argv, via, stdin, sink, hops, cwd);
}

function shell(name: string, argv: Arg[], via: string[], stdin: Stdin, sink: Sink): void {
  let i = 1;
  let commandMode = false;
  while (i < argv.length) {
    const a = argv[i].text;
    if (a === "--" || a === "-") {
      i++;
      break;
    }
    if (a.startsWith("--")) {
      i += a === "--rcfile" || a === "--init-file" ? 2 : 1;
      continue;
    }
    if ((a.startsWith("-") || a.startsWith("+")) && a.length > 1) {
      const flags = a.slice(1);
      if (flags.includes("c")) commandMode = true;
      i += flags.includes("o") || flags.includes("O") ? 2 : 1;
      continue;
    }
    break;
  }
  if (commandMode) {
    const src = argv[i];
    if (!src) return sink.emit(argv, via);
    return sink.nested(src, [...via, `${name} -c`]);
  }
  if (i < argv.length) return sink.emit(argv, via); // runs a script file
  if (stdin.text !== undefined) {
    // fed from a pipe: parsed, and still flagged, since the writer may
    // transform the text (echo -e, printf formats)
    if (stdin.pipe) sink.dynamic();
    return sink.nested({ text: stdin.text, literal: stdin.textLiteral ?? true }, [...via, stdin.pipe ? `| ${name}` : `${name} <<`]);
  }
  // a shell reading its commands from a pipe runs code writ cannot see
  if (stdin.pipe) sink.dynamic();
  sink.emit(argv, via);
}

function xargs(argv: Arg[], via: string[], sink: Sink, hops: number): void {
  // -i, -l and -e take their optional value attached, never as a word
  const withValue = "ILnPsdEa";
  const long = ["--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"];
  let i = 1;
  while (i < argv.length) {
    const a = argv[i].text;
    if (a === "--") {
      i++;
      break;
    }
    if (a.startsWith("--")) {
      i += long.includes(a) ? 2 : 1;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      const c = a[1];
      i += withValue.includes(c) && a.length === 2 ? 2 : 1;
      continue;
    }
    break;
  }
  const rest = argv.slice(i);
  unwrap(rest.length ? rest : [{ text: "echo", literal: true }], [...via, "xargs"], { pipe: false }, sink, hops + 1);
}

function find(argv: Arg[], via: string[], sink: Sink, hops: number): void {
  sink.emit(argv, via);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].text;
    if (a !== "-exec" && a !== "-execdir" && a !== "-ok" && a !== "-okdir") continue;
    let j = i + 1;
    while (j < argv.length && argv[j].text !== ";" && argv[j].text !== "+") j++;
    const cmd = argv.slice(i + 1, j);
    if (cmd.length) unwrap(cmd, [...via, `find ${a}`], { pipe: false }, sink, hops + 1);
    i = j;
  }
}

function git(argv: Arg[], via: string[], sink: Sink): void {
  sink.emit(argv, via);
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].text;
    let kv: Arg | undefined;
    if (a === "-c" && argv[i + 1]) kv = argv[++i];
    else if (a.startsWith("-c") && a.length > 2) kv = { text: a.slice(2), literal: argv[i].literal };
    else if (a.startsWith("--config-env") || !a.startsWith("-")) {
      if (!a.startsWith("-")) break; // the subcommand: global options end
      continue;
    } else continue;
    const eq = kv.text.indexOf("=");
    if (eq < 0) continue;
    const key = kv.text.slice(0, eq);
    if (!GIT_COMMAND_KEYS.test(key)) continue;
    let value = kv.text.slice(eq + 1);
    if (/^alias\./i.test(key) && !value.startsWith("!")) continue;
    if (value.startsWith("!")) value = value.slice(1);
    sink.nested({ text: value, literal: kv.literal }, [...via, `git -c ${key}`]);
  }
}

/** `su [options] [-] [user] [-c cmd]`: options may follow the user. */
function su(argv: Arg[], via: string[], sink: Sink): void {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i].text;
    if ((a === "-c" || a === "--command") && argv[i + 1]) return sink.nested(argv[i + 1], [...via, "su -c"]);
    if (a.startsWith("--command=")) return sink.nested({ text: a.slice(10), literal: argv[i].literal }, [...via, "su -c"]);
  }
  sink.emit(argv, via);
}

/** `watch [options] command…` runs the words through `sh -c`. */
function watch(argv: Arg[], via: string[], sink: Sink): void {
  let i = 1;
  let exec = false;
  while (i < argv.length && argv[i].text.startsWith("-")) {
    const a = argv[i].text;
    if (a === "-x" || a === "--exec") exec = true;
    i += a === "-n" || a === "--interval" || a === "-q" || a === "--equexit" ? 2 : 1;
  }
  const rest = argv.slice(i);
  if (rest.length === 0) return sink.emit(argv, via);
  if (exec) return unwrap(rest, [...via, "watch"], { pipe: false }, sink, 1);
  sink.nested(joined(rest), [...via, "watch"]);
}

/** `ssh [options] host [command…]`: ssh itself talks to the host; the
 *  command runs there. */
function ssh(argv: Arg[], via: string[], sink: Sink): void {
  sink.emit(argv, via);
  const withValue = "BbcDEeFIiJLlmOoPpQRSWw";
  let i = 1;
  while (i < argv.length && argv[i].text.startsWith("-") && argv[i].text.length > 1) {
    const a = argv[i].text;
    const last = a[a.length - 1];
    i += withValue.includes(last) && a.length === 2 ? 2 : 1;
  }
  const rest = argv.slice(i + 1); // after the host
  if (rest.length) sink.nested(joined(rest), [...via, "ssh"]);
}
