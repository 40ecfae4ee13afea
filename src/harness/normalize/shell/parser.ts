// A bash parser over the tokenizer: lists, pipelines, subshells, and the
// compound commands (if, while, until, for, select, case, { … }, function
// definitions, [[ … ]], ((…))), whose keywords it steps over so that every
// command inside them is seen. It is lenient where leniency cannot hide a
// command (stray separators) and strict where it could (unbalanced quotes,
// parentheses, substitutions): those throw ShellSyntaxError, and the caller
// treats the line as unparsed.
import { Lexer, type Token } from "./lexer.js";
import { ShellSyntaxError, isQuoted, wordText, type Node, type Redirect, type Script, type SimpleCommand, type Word } from "./syntax.js";

const SKIPPED_KEYWORDS = new Set(["{", "}", "if", "then", "elif", "else", "fi", "do", "done", "while", "until", "!", "coproc"]);
const SEPARATORS = new Set(["\n", ";", "&", "&&", "||"]);
const CASE_ENDS = new Set([";;", ";&", ";;&"]);

interface Stop {
  ops?: Set<string>;
  words?: Set<string>;
  eof?: boolean;
}

export function parseShell(src: string, depth = 0): Script {
  const lx = new Lexer(src, parseSubstitution, parseShell, depth);
  const body = parseList(lx, { eof: true });
  lx.finish();
  return { body };
}

/** The body of `$(…)` or `<(…)`, through its closing `)`. */
function parseSubstitution(lx: Lexer): Script {
  const body = nested(lx, () => parseList(lx, { ops: new Set([")"]) }));
  const close = lx.next();
  if (close.t !== "op" || close.op !== ")") throw new ShellSyntaxError("unterminated $(", close.start);
  return { body };
}

const MAX_NESTING = 64;

function nested<T>(lx: Lexer, parse: () => T): T {
  if (++lx.nesting > MAX_NESTING) throw new ShellSyntaxError("nesting too deep", lx.pos);
  try {
    return parse();
  } finally {
    lx.nesting--;
  }
}

/** An unquoted word's text, for recognising keywords. */
function keyword(t: Token): string | undefined {
  return t.t === "word" && !isQuoted(t.word) ? wordText(t.word) : undefined;
}

function parseList(lx: Lexer, stop: Stop): Node[] {
  const nodes: Node[] = [];
  let pipeIn = false;
  const add = (n: Node) => {
    if (n.type !== "expansion") {
      n.pipeIn = pipeIn;
      pipeIn = false;
    }
    nodes.push(n);
  };
  for (;;) {
    const arith = lx.readArithmeticCommand();
    if (arith && arith.t === "arith") {
      add({ type: "expansion", words: [arith.word] });
      continue;
    }
    const t = lx.peek();
    if (t.t === "eof") {
      if (stop.eof) return nodes;
      throw new ShellSyntaxError("unexpected end of input", t.start);
    }
    if (t.t === "op") {
      if (stop.ops?.has(t.op)) return nodes;
      lx.next();
      if (SEPARATORS.has(t.op)) continue;
      if (t.op === "|" || t.op === "|&") {
        const last = nodes[nodes.length - 1];
        if (!last || last.type === "expansion") throw new ShellSyntaxError("pipe without a command", t.start);
        last.pipeOut = true;
        pipeIn = true;
        continue;
      }
      if (t.op === "(") {
        const body = nested(lx, () => parseList(lx, { ops: new Set([")"]) }));
        const close = lx.next();
        if (close.t !== "op" || close.op !== ")") throw new ShellSyntaxError("unterminated (", t.start);
        add({ type: "subshell", body, redirects: parseRedirects(lx), pipeIn: false, pipeOut: false });
        continue;
      }
      throw new ShellSyntaxError(`unexpected ${JSON.stringify(t.op)}`, t.start);
    }
    const kw = keyword(t);
    if (kw !== undefined && stop.words?.has(kw)) return nodes;
    if (kw !== undefined && SKIPPED_KEYWORDS.has(kw)) {
      lx.next();
      continue;
    }
    if (kw === "for" || kw === "select") {
      lx.next();
      parseForHead(lx, add);
      continue;
    }
    if (kw === "case") {
      lx.next();
      parseCase(lx, add);
      continue;
    }
    if (kw === "function") {
      lx.next();
      const name = lx.next();
      if (name.t !== "word") throw new ShellSyntaxError("function without a name", name.start);
      skipEmptyParens(lx);
      continue;
    }
    if (kw === "[[") {
      lx.next();
      add({ type: "expansion", words: parseUntilWord(lx, "]]") });
      continue;
    }
    add(parseSimple(lx));
  }
}

/** `for NAME [in WORDS]` up to the `;` or newline before `do`
 *  (or `for ((…))`). The words are expanded; the body follows as a list. */
function parseForHead(lx: Lexer, add: (n: Node) => void): void {
  const arith = lx.readArithmeticCommand();
  if (arith && arith.t === "arith") {
    add({ type: "expansion", words: [arith.word] });
    return;
  }
  const name = lx.next();
  if (name.t !== "word") throw new ShellSyntaxError("for without a name", name.start);
  if (keyword(lx.peek()) !== "in") return;
  lx.next();
  const words: Word[] = [];
  for (;;) {
    const t = lx.peek();
    if (t.t !== "word") break;
    words.push(t.word);
    lx.next();
  }
  add({ type: "expansion", words });
}

/** `case WORD in (PATTERN) LIST ;; … esac`: patterns are expanded, lists run. */
function parseCase(lx: Lexer, add: (n: Node) => void): void {
  const subject = lx.next();
  if (subject.t !== "word") throw new ShellSyntaxError("case without a word", subject.start);
  add({ type: "expansion", words: [subject.word] });
  skipNewlines(lx);
  if (keyword(lx.next()) !== "in") throw new ShellSyntaxError("case without in", subject.start);
  for (;;) {
    skipNewlines(lx);
    const t = lx.peek();
    if (keyword(t) === "esac") {
      lx.next();
      return;
    }
    if (t.t === "eof") throw new ShellSyntaxError("case without esac", t.start);
    if (t.t === "op" && t.op === "(") lx.next();
    const patterns: Word[] = [];
    for (;;) {
      const p = lx.next();
      if (p.t === "word") patterns.push(p.word);
      else if (p.t === "op" && p.op === "|") continue;
      else if (p.t === "op" && p.op === ")") break;
      else throw new ShellSyntaxError("bad case pattern", p.start);
    }
    add({ type: "expansion", words: patterns });
    for (const n of parseList(lx, { ops: CASE_ENDS, words: new Set(["esac"]) })) add(n);
    const end = lx.peek();
    if (end.t === "op" && CASE_ENDS.has(end.op)) lx.next();
  }
}

function parseUntilWord(lx: Lexer, end: string): Word[] {
  const words: Word[] = [];
  for (;;) {
    const t = lx.next();
    if (t.t === "eof") throw new ShellSyntaxError(`missing ${end}`, t.start);
    if (t.t === "word") {
      if (keyword(t) === end) return words;
      words.push(t.word);
    }
  }
}

function skipNewlines(lx: Lexer): void {
  for (let t = lx.peek(); t.t === "op" && t.op === "\n"; t = lx.peek()) lx.next();
}

function skipEmptyParens(lx: Lexer): void {
  const t = lx.peek();
  if (t.t === "op" && t.op === "(") {
    lx.next();
    const close = lx.next();
    if (close.t !== "op" || close.op !== ")") throw new ShellSyntaxError("bad function definition", t.start);
  }
}

function parseSimple(lx: Lexer): Node {
  const cmd: SimpleCommand = { type: "simple", assigns: [], words: [], redirects: [], pipeIn: false, pipeOut: false };
  for (;;) {
    const t = lx.peek();
    if (t.t === "word") {
      lx.next();
      if (cmd.words.length === 0 && isAssignment(t.word)) {
        cmd.assigns.push(t.word);
        continue;
      }
      cmd.words.push(t.word);
      // NAME () { … }: a function definition; its body follows as a list
      if (cmd.words.length === 1 && cmd.assigns.length === 0) {
        const n = lx.peek();
        if (n.t === "op" && n.op === "(") {
          skipEmptyParens(lx);
          return { type: "expansion", words: [] };
        }
      }
    } else if (t.t === "redir") {
      lx.next();
      cmd.redirects.push(parseRedirectTarget(lx, t));
    } else break;
  }
  if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
    const t = lx.peek();
    throw new ShellSyntaxError("expected a command", t.start);
  }
  return cmd;
}

/** `NAME=…`, `NAME+=…`, `NAME[i]=…` with the name and `=` unquoted. */
function isAssignment(w: Word): boolean {
  const p = w.parts[0];
  return !!p && p.kind === "lit" && !p.quoted && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(p.text);
}

function parseRedirects(lx: Lexer): Redirect[] {
  const out: Redirect[] = [];
  for (let t = lx.peek(); t.t === "redir"; t = lx.peek()) {
    lx.next();
    out.push(parseRedirectTarget(lx, t));
  }
  return out;
}

function parseRedirectTarget(lx: Lexer, t: Token & { t: "redir" }): Redirect {
  const target = lx.next();
  if (target.t !== "word") throw new ShellSyntaxError(`${t.op} without a target`, t.start);
  const r: Redirect = { op: t.op, target: target.word, ...(t.fd !== undefined ? { fd: t.fd } : {}) };
  if (t.op === "<<" || t.op === "<<-") {
    r.heredoc = { body: { raw: "", parts: [] }, quoted: isQuoted(target.word) };
    lx.addHeredoc(r, wordText(target.word), t.op === "<<-");
  }
  return r;
}
