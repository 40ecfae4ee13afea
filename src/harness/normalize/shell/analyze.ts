// A shell line → the commands it really runs, whether it runs code writ
// cannot see (eval, a shell fed from a pipe, a computed program name), and
// the files its words and redirections name, resolved against the working
// directory (as `cd` changes it along the line) and symlinks.
import type { ShellCommand } from "../../../decide/types.js";
import { exists, resolvePath } from "../paths.js";
import { parseShell } from "./parser.js";
import { ShellSyntaxError, isLiteral, wordText, type Node, type Redirect, type Word } from "./syntax.js";
import { basename, unwrap, type Arg, type Sink, type Stdin } from "./unwrap.js";

export interface ShellContext {
  /** the directory the line runs in */
  cwd?: string;
  /** for `~` and `$HOME` in paths */
  home?: string;
}

export interface ShellAnalysis {
  /** false when the line is not valid shell (then commands is empty) */
  parsed: boolean;
  error?: string;
  commands: ShellCommand[];
  dynamic: boolean;
  /** absolute paths the line's words and redirections name */
  paths: string[];
}

const MAX_NESTING = 16;
const MAX_COMMANDS = 1024;
const MAX_PATHS = 512;
const MAX_CWDS = 8;
const MAX_LINE = 65536;

export function analyzeShell(line: string, ctx: ShellContext = {}): ShellAnalysis {
  if (line.length > MAX_LINE) return { parsed: false, error: "command line too long", commands: [], dynamic: true, paths: [] };
  const a = new Analyzer(ctx);
  try {
    a.script(line, [], ctx.cwd ? [ctx.cwd] : [], 0);
  } catch (err) {
    if (err instanceof ShellSyntaxError) return { parsed: false, error: err.message, commands: [], dynamic: true, paths: [] };
    throw err;
  }
  return { parsed: true, commands: a.commands, dynamic: a.isDynamic, paths: [...a.paths] };
}

class Analyzer {
  commands: ShellCommand[] = [];
  isDynamic = false;
  paths = new Set<string>();

  constructor(private readonly ctx: ShellContext) {}

  script(src: string, via: string[], cwds: string[], depth: number): void {
    if (depth > MAX_NESTING) throw new ShellSyntaxError("commands nested too deep", 0);
    this.nodes(parseShell(src).body, via, cwds, depth);
  }

  /** Runs through nodes in order; returns the working directories the
   *  following commands may run in. */
  private nodes(nodes: Node[], via: string[], cwds: string[], depth: number): string[] {
    // what a literal `echo`/`printf`/`cat <<…` writes into the next pipe
    let piped: { text: string; textLiteral: boolean } | undefined;
    for (const n of nodes) {
      const fromPipe = n.type !== "expansion" && n.pipeIn ? piped : undefined;
      piped = undefined;
      if (n.type === "expansion") {
        for (const w of n.words) this.substitutions(w, via, cwds, depth);
      } else if (n.type === "subshell") {
        // a subshell's cd stays inside it
        this.nodes(n.body, [...via, "( … )"], cwds.slice(), depth + 1);
        this.redirects(n.redirects, via, cwds, depth);
      } else {
        for (const w of [...n.assigns, ...n.words]) this.substitutions(w, via, cwds, depth);
        const stdin = this.redirects(n.redirects, via, cwds, depth);
        if (n.words.length === 0) continue;
        const argv: Arg[] = n.words.map((w) => ({ text: wordText(w), literal: isLiteral(w) }));
        this.wordPaths(n.words, cwds);
        const name = basename(argv[0].text);
        if ((name === "cd" || name === "pushd") && !n.pipeIn && !n.pipeOut) {
          cwds = this.cd(argv, cwds);
          continue;
        }
        this.run(argv, via, { ...stdin, ...fromPipe, pipe: n.pipeIn }, cwds, depth);
        if (n.pipeOut) piped = output(name, argv, stdin);
      }
    }
    return cwds;
  }

  private run(argv: Arg[], via: string[], stdin: Stdin, cwds: string[], depth: number): void {
    const sink: Sink = {
      emit: (args, v, cwdChange) => {
        if (this.commands.length >= MAX_COMMANDS) throw new ShellSyntaxError("too many commands", 0);
        const program = args[0].text;
        const cmd: ShellCommand = { program, name: basename(program), args: args.slice(1).map((x) => x.text) };
        if (v.length) cmd.via = v;
        this.commands.push(cmd);
        const here = cwdChange !== undefined ? cwds.flatMap((c) => resolvePath(cwdChange, c, this.ctx.home).slice(0, 1)) : cwds;
        this.argPaths(args, here);
      },
      nested: (src, v) => {
        if (!src.literal) {
          // code built at run time: what runs is unknown, so the wrapper
          // that runs it is a command of its own (`bash -c "$(curl …)"`)
          this.isDynamic = true;
          this.commands.push({ program: argv[0].text, name: basename(argv[0].text), args: argv.slice(1).map((x) => x.text), ...(via.length ? { via } : {}) });
        }
        try {
          this.script(src.text, v, cwds.slice(), depth + 1);
        } catch (err) {
          if (!(err instanceof ShellSyntaxError)) throw err;
          // code writ cannot parse is code writ cannot see
          this.isDynamic = true;
          this.commands.push({ program: argv[0].text, name: basename(argv[0].text), args: argv.slice(1).map((x) => x.text), ...(via.length ? { via } : {}) });
        }
      },
      dynamic: () => {
        this.isDynamic = true;
      },
    };
    unwrap(argv, via, stdin, sink);
  }

  /** Command substitutions anywhere in a word run before the command. */
  private substitutions(w: Word, via: string[], cwds: string[], depth: number): void {
    for (const p of w.parts) {
      if (p.kind === "cmdsub") this.nodes(p.script.body, [...via, p.form === "$()" ? "$(…)" : "`…`"], cwds.slice(), depth + 1);
      else if (p.kind === "procsub") this.nodes(p.script.body, [...via, `${p.dir}(…)`], cwds.slice(), depth + 1);
      else if (p.kind === "param" || p.kind === "arith") for (const s of p.subs) this.nodes(s.body, [...via, "$(…)"], cwds.slice(), depth + 1);
    }
  }

  /** Redirection targets are files too; here-documents and here-strings
   *  are what the command reads on stdin. */
  private redirects(rs: Redirect[], via: string[], cwds: string[], depth: number): Omit<Stdin, "pipe"> {
    let stdin: Omit<Stdin, "pipe"> = {};
    for (const r of rs) {
      this.substitutions(r.target, via, cwds, depth);
      if (r.heredoc) {
        this.substitutions(r.heredoc.body, via, cwds, depth);
        if (r.fd === undefined || r.fd === "0") stdin = { text: wordText(r.heredoc.body), textLiteral: isLiteral(r.heredoc.body) };
        continue;
      }
      if (r.op === "<<<") {
        if (r.fd === undefined || r.fd === "0") stdin = { text: wordText(r.target) + "\n", textLiteral: isLiteral(r.target) };
        continue;
      }
      const target = wordText(r.target);
      if ((r.op === ">&" || r.op === "<&") && /^([0-9]+-?|-)$/.test(target)) continue;
      const p = this.pathText(r.target, cwds[0]);
      if (p !== undefined && p !== "/dev/null") for (const c of cwds.length ? cwds : ["/"]) this.addPath(p, c);
    }
    return stdin;
  }

  private cd(argv: Arg[], cwds: string[]): string[] {
    const args = argv.slice(1).filter((a) => !/^-[LPe@]+$/.test(a.text));
    const target = args[0];
    if (!target) return this.ctx.home ? dedupe([...cwds, this.ctx.home]) : cwds;
    if (!target.literal && !target.text.startsWith("$HOME")) return cwds;
    if (target.text === "-") return cwds;
    const text = target.text.replace(/^\$HOME(?=\/|$)/, this.ctx.home ?? "$HOME");
    // the cd may fail (cd x || …): the old directories stay possible
    const next = cwds.flatMap((c) => resolvePath(text, c, this.ctx.home));
    return dedupe([...cwds, ...next]).slice(0, MAX_CWDS);
  }

  /** Words that name files: anything with a slash, starting with `.` or
   *  `~`, or naming something that exists where the command runs. */
  private wordPaths(words: Word[], cwds: string[]): void {
    for (const w of words) {
      const p = this.pathText(w, cwds[0]);
      if (p !== undefined) this.candidate(p, cwds);
    }
  }

  private argPaths(args: Arg[], cwds: string[]): void {
    for (const a of args) if (a.literal) this.candidate(a.text, cwds);
  }

  private candidate(text: string, cwds: string[]): void {
    let t = text;
    if (t.startsWith("-")) {
      const eq = t.indexOf("=");
      if (eq < 0) return;
      t = t.slice(eq + 1);
    }
    if (t === "" || t.includes("://") || /^[^/\s]*@[^/\s]*:/.test(t) || t.includes("\n")) return;
    // words with blanks are mostly prose (`-m "fix a/b"`); they count only
    // when such a file exists
    const pathy = (t.includes("/") || t.startsWith(".") || t.startsWith("~")) && !/\s/.test(t);
    for (const c of cwds.length ? cwds : ["/"]) {
      if (pathy || (t.length < 256 && exists(`${c}/${t}`))) this.addPath(t, c);
    }
  }

  private addPath(p: string, cwd: string): void {
    if (this.paths.size >= MAX_PATHS) return;
    for (const r of resolvePath(p, cwd, this.ctx.home)) this.paths.add(r);
  }

  /** A word's value for path purposes: `$HOME` and `$PWD` are known. */
  private pathText(w: Word, cwd: string | undefined): string | undefined {
    let s = "";
    for (const p of w.parts) {
      if (p.kind === "lit") s += p.text;
      else if (p.kind === "param" && (p.raw === "$HOME" || p.raw === "${HOME}") && this.ctx.home) s += this.ctx.home;
      else if (p.kind === "param" && (p.raw === "$PWD" || p.raw === "${PWD}") && cwd) s += cwd;
      else return undefined;
    }
    return s;
  }
}

/** The text a command writes when it is fully known from the line. */
function output(name: string, argv: Arg[], stdin: Omit<Stdin, "pipe">): { text: string; textLiteral: boolean } | undefined {
  const args = argv.slice(1);
  if (name === "echo" || name === "printf") {
    const words = name === "echo" ? args.filter((a, i) => !(i === 0 && /^-[neE]+$/.test(a.text))) : args;
    return { text: words.map((a) => a.text).join(" ") + "\n", textLiteral: words.every((a) => a.literal) };
  }
  if (name === "cat" && args.length === 0 && stdin.text !== undefined) return { text: stdin.text, textLiteral: stdin.textLiteral ?? true };
  return undefined;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
