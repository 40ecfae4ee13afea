// The shell syntax tree the tokenizer and parser build: just enough of bash
// to know which commands a line really runs. Compound commands (if, while,
// for, case, { … }) are transparent — their commands run in sequence as far
// as a policy is concerned — so only subshells get a node of their own.

/** One piece of a word, after quote removal. */
export type WordPart =
  /** text whose value is known; `quoted` when it came from quotes or an escape */
  | { kind: "lit"; text: string; quoted: boolean }
  /** `$x`, `${x…}`: a value only known at run time; `subs` are the command
   *  substitutions nested in it (`${x:-$(cmd)}`) */
  | { kind: "param"; raw: string; subs: Script[] }
  /** `$((…))` */
  | { kind: "arith"; raw: string; subs: Script[] }
  /** `$(…)` or `` `…` `` */
  | { kind: "cmdsub"; raw: string; form: "$()" | "``"; script: Script }
  /** `<(…)` or `>(…)` */
  | { kind: "procsub"; raw: string; dir: "<" | ">"; script: Script };

export interface Word {
  parts: WordPart[];
  /** the source text of the word */
  raw: string;
}

export interface Redirect {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `&>`, `&>>`, `>&`, `<&`, `>|`, `<>` */
  op: string;
  /** the file descriptor written before the operator, if any */
  fd?: string;
  target: Word;
  /** here-documents: the body (filled in when the lexer reaches it) */
  heredoc?: { body: Word; quoted: boolean };
}

export interface SimpleCommand {
  type: "simple";
  /** `NAME=value` words before the command name */
  assigns: Word[];
  words: Word[];
  redirects: Redirect[];
  /** stdin comes from a pipe */
  pipeIn: boolean;
  /** stdout goes to a pipe */
  pipeOut: boolean;
}

export interface Subshell {
  type: "subshell";
  body: Node[];
  redirects: Redirect[];
  pipeIn: boolean;
  pipeOut: boolean;
}

/** Words that are expanded but not run as a command (`for x in WORDS`,
 *  `case WORD in`, `[[ … ]]`, `((…))`): their substitutions still run. */
export interface Expansion {
  type: "expansion";
  words: Word[];
}

export type Node = SimpleCommand | Subshell | Expansion;

export interface Script {
  body: Node[];
}

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
  }
}

/** A word's value: known text as is, run-time parts as written. */
export function wordText(w: Word): string {
  let s = "";
  for (const p of w.parts) s += p.kind === "lit" ? p.text : p.raw;
  return s;
}

/** Whether the word's value is fully known before the line runs. */
export function isLiteral(w: Word): boolean {
  return w.parts.every((p) => p.kind === "lit");
}

/** Whether any part of the word was quoted or escaped. */
export function isQuoted(w: Word): boolean {
  return w.parts.some((p) => p.kind !== "lit" || p.quoted);
}
