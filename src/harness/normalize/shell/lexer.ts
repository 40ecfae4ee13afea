// A bash tokenizer: words (with quotes, escapes, `$'…'`, parameter and
// arithmetic expansions, `$(…)`, backticks and process substitution),
// operators, redirections and here-documents. Command substitutions are
// parsed as they are met (a `)` inside one can only be found by parsing it),
// so the lexer calls back into the parser for them.
import { ShellSyntaxError, type Redirect, type Script, type Word, type WordPart } from "./syntax.js";

export type Token =
  | { t: "word"; word: Word; start: number }
  | { t: "op"; op: string; start: number }
  | { t: "redir"; op: string; fd?: string; start: number }
  | { t: "arith"; word: Word; start: number }
  | { t: "eof"; start: number };

/** Parses a script from the lexer's position up to (and consuming) the `)`
 *  that closes a `$(` or `<(`. */
export type SubParser = (lx: Lexer) => Script;
/** Parses a complete script from a string (backticks, here-documents). */
export type StringParser = (src: string, depth: number) => Script;

const OPERATORS = [";;&", "&&", "||", ";;", ";&", "|&", "|", ";", "&", "(", ")", "\n"];
const REDIRECTS = ["<<<", "<<-", "&>>", "<<", ">>", "<&", ">&", "<>", ">|", "&>", "<", ">"];
const WORD_END = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const MAX_DEPTH = 48;

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  stripTabs: boolean;
}

export class Lexer {
  pos = 0;
  /** open `$(`, `<(` and `(` around the current position */
  nesting = 0;
  private peeked: Token | undefined;
  private heredocs: PendingHeredoc[] = [];

  constructor(
    readonly src: string,
    private readonly parseSub: SubParser,
    private readonly parseString: StringParser,
    readonly depth = 0,
  ) {
    if (depth > MAX_DEPTH) throw new ShellSyntaxError("nesting too deep", 0);
  }

  peek(): Token {
    return (this.peeked ??= this.read());
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** A here-document whose body starts after the next newline. */
  addHeredoc(redirect: Redirect, delimiter: string, stripTabs: boolean): void {
    this.heredocs.push({ redirect, delimiter, stripTabs });
  }

  /** Reads `((…))` at the current position as an arithmetic command, if it
   *  is one (called by the parser where a command may start). */
  readArithmeticCommand(): Token | undefined {
    if (this.peeked) return undefined;
    this.skipBlanks();
    if (!this.src.startsWith("((", this.pos)) return undefined;
    const start = this.pos;
    const end = this.matchingDoubleParen(this.pos + 2);
    if (end < 0) return undefined;
    const inner = this.src.slice(this.pos + 2, end);
    this.pos = end + 2;
    return { t: "arith", start, word: { raw: this.src.slice(start, this.pos), parts: [this.arithPart(this.src.slice(start, this.pos), inner)] } };
  }

  private read(): Token {
    this.skipBlanks();
    const start = this.pos;
    if (this.pos >= this.src.length) return { t: "eof", start };
    const c = this.src[this.pos];
    if (c === "\n") {
      this.pos++;
      this.readHeredocBodies();
      return { t: "op", op: "\n", start };
    }
    if ((c === "<" || c === ">") && this.src[this.pos + 1] === "(") return this.readWord(start);
    for (const r of REDIRECTS) {
      if (this.src.startsWith(r, this.pos)) {
        this.pos += r.length;
        return { t: "redir", op: r, start };
      }
    }
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { t: "op", op, start };
      }
    }
    return this.readWord(start);
  }

  /** Spaces, tabs, line continuations and comments. */
  private skipBlanks(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === " " || c === "\t" || c === "\r") this.pos++;
      else if (c === "\\" && s[this.pos + 1] === "\n") this.pos += 2;
      else if (c === "#") {
        while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
      } else return;
    }
  }

  private readWord(start: number): Token {
    const s = this.src;
    const parts: WordPart[] = [];
    const lit = (text: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last && last.kind === "lit" && last.quoted === quoted) last.text += text;
      else parts.push({ kind: "lit", text, quoted });
    };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if ((c === "<" || c === ">") && s[this.pos + 1] === "(" && this.pos === start) {
        parts.push(this.readProcessSubstitution());
        continue;
      }
      if (c === "(" && parts.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(this.plain(parts))) {
        // array assignment: NAME=(…) is one word
        lit(this.readBalanced(), false);
        continue;
      }
      if (WORD_END.has(c)) break;
      if (c === "\\") {
        const n = s[this.pos + 1];
        if (n === "\n") this.pos += 2;
        else if (n === undefined) {
          lit("\\", false);
          this.pos++;
        } else {
          lit(n, true);
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError("unterminated single quote", this.pos);
        lit(s.slice(this.pos + 1, end), true);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        for (const p of this.readDoubleQuoted('"')) p.kind === "lit" ? lit(p.text, true) : parts.push(p);
      } else if (c === "$") {
        const p = this.readDollar(false);
        p.kind === "lit" ? lit(p.text, p.quoted) : parts.push(p);
      } else if (c === "`") {
        parts.push(this.readBacktick(false));
      } else {
        lit(c, false);
        this.pos++;
      }
    }
    const raw = s.slice(start, this.pos);
    // An all-digit word right before a redirection is its file descriptor.
    if (/^[0-9]+$/.test(raw) && (s[this.pos] === "<" || s[this.pos] === ">") && s[this.pos + 1] !== "(") {
      for (const r of REDIRECTS) {
        if (s.startsWith(r, this.pos) && !r.startsWith("&")) {
          this.pos += r.length;
          return { t: "redir", op: r, fd: raw, start };
        }
      }
    }
    return { t: "word", word: { parts, raw }, start };
  }

  /** The unquoted literal text of parts so far ("" if any part is not). */
  private plain(parts: WordPart[]): string {
    return parts.every((p) => p.kind === "lit" && !p.quoted) ? parts.map((p) => (p as { text: string }).text).join("") : "";
  }

  /** `(…)` with nesting and quotes, returned as written. */
  private readBalanced(): string {
    const s = this.src;
    const start = this.pos;
    let depth = 0;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "\\") this.pos += 2;
      else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError("unterminated single quote", this.pos);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        this.readDoubleQuoted('"');
      } else {
        this.pos++;
        if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return s.slice(start, this.pos);
      }
    }
    throw new ShellSyntaxError("unterminated (", start);
  }

  /** Double-quoted text up to `end` (or to the end of the source when end
   *  is undefined, for here-document bodies, where `"` is ordinary). */
  private readDoubleQuoted(end: '"' | undefined): WordPart[] {
    const s = this.src;
    const parts: WordPart[] = [];
    let text = "";
    const flush = () => {
      if (text) parts.push({ kind: "lit", text, quoted: true });
      text = "";
    };
    const start = this.pos;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === end) {
        this.pos++;
        flush();
        return parts;
      }
      if (c === "\\") {
        const n = s[this.pos + 1];
        if (n === "\n") this.pos += 2;
        else if (n === "$" || n === "`" || n === "\\" || (n === '"' && end === '"')) {
          text += n;
          this.pos += 2;
        } else {
          text += "\\";
          this.pos++;
        }
      } else if (c === "$") {
        const p = this.readDollar(true);
        if (p.kind === "lit") text += p.text;
        else {
          flush();
          parts.push(p);
        }
      } else if (c === "`") {
        flush();
        parts.push(this.readBacktick(end === '"'));
      } else {
        text += c;
        this.pos++;
      }
    }
    if (end !== undefined) throw new ShellSyntaxError("unterminated double quote", start - 1);
    flush();
    return parts;
  }

  /** At a `$`: an expansion, or a literal `$`. */
  private readDollar(inDouble: boolean): WordPart {
    const s = this.src;
    const start = this.pos;
    const n = s[this.pos + 1];
    if (n === "'" && !inDouble) {
      this.pos += 2;
      return { kind: "lit", text: this.readAnsiC(), quoted: true };
    }
    if (n === '"' && !inDouble) {
      this.pos += 2;
      const parts = this.readDoubleQuoted('"');
      if (parts.every((p) => p.kind === "lit")) return { kind: "lit", text: parts.map((p) => (p as { text: string }).text).join(""), quoted: true };
      // a locale string with expansions in it: keep it as one run-time part
      return { kind: "param", raw: s.slice(start, this.pos), subs: parts.flatMap(subsOf) };
    }
    if (n === "(" && s[this.pos + 2] === "(") {
      const end = this.matchingDoubleParen(this.pos + 3);
      if (end >= 0) {
        const inner = s.slice(this.pos + 3, end);
        this.pos = end + 2;
        return this.arithPart(s.slice(start, this.pos), inner);
      }
    }
    if (n === "(") {
      this.pos += 2;
      const script = this.parseSub(this);
      return { kind: "cmdsub", form: "$()", raw: s.slice(start, this.pos), script };
    }
    if (n === "{") {
      this.pos += 2;
      const subs = this.readBraceParameter();
      return { kind: "param", raw: s.slice(start, this.pos), subs };
    }
    const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(s.slice(this.pos + 1, this.pos + 200));
    if (name) {
      this.pos += 1 + name[0].length;
      return { kind: "param", raw: s.slice(start, this.pos), subs: [] };
    }
    this.pos++;
    return { kind: "lit", text: "$", quoted: inDouble };
  }

  /** `${…}` after the `${`: up to the matching `}`, collecting the command
   *  substitutions inside. */
  private readBraceParameter(): Script[] {
    const s = this.src;
    const start = this.pos;
    const subs: Script[] = [];
    let depth = 1;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "\\") this.pos += 2;
      else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError("unterminated single quote", this.pos);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        subs.push(...this.readDoubleQuoted('"').flatMap(subsOf));
      } else if (c === "`") {
        subs.push(...subsOf(this.readBacktick(false)));
      } else if (c === "$") {
        const p = this.readDollar(false);
        subs.push(...subsOf(p));
      } else if (c === "{") {
        depth++;
        this.pos++;
      } else if (c === "}") {
        this.pos++;
        if (--depth === 0) return subs;
      } else this.pos++;
    }
    throw new ShellSyntaxError("unterminated ${", start - 2);
  }

  /** Where the `))` closing an arithmetic expansion starts, or -1. */
  private matchingDoubleParen(from: number): number {
    const s = this.src;
    let depth = 0;
    for (let i = from; i < s.length; i++) {
      const c = s[i];
      if (c === "\\") i++;
      else if (c === "(") depth++;
      else if (c === ")") {
        if (depth === 0) return s[i + 1] === ")" ? i : -1;
        depth--;
      }
    }
    return -1;
  }

  /** Arithmetic text may hold command substitutions; they run too. */
  private arithPart(raw: string, inner: string): WordPart {
    const sub = new Lexer(inner, this.parseSub, this.parseString, this.depth + 1);
    const subs = sub.readDoubleQuoted(undefined).flatMap(subsOf);
    return { kind: "arith", raw, subs };
  }

  /** `$'…'` after the `$'`: ANSI-C escapes decoded. */
  private readAnsiC(): string {
    const s = this.src;
    const start = this.pos;
    let out = "";
    while (this.pos < s.length) {
      const c = s[this.pos++];
      if (c === "'") return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = s[this.pos++];
      const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" };
      if (e in simple) out += simple[e];
      else if (e === "x") {
        const m = /^[0-9A-Fa-f]{1,2}/.exec(s.slice(this.pos));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          this.pos += m[0].length;
        } else out += "\\x";
      } else if (e === "u" || e === "U") {
        const m = new RegExp(`^[0-9A-Fa-f]{1,${e === "u" ? 4 : 8}}`).exec(s.slice(this.pos));
        if (m) {
          const cp = parseInt(m[0], 16);
          out += cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
          this.pos += m[0].length;
        } else out += "\\" + e;
      } else if (e === "c") {
        const ch = s[this.pos++] ?? "";
        out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) ^ 0x40);
      } else if (e !== undefined && e >= "0" && e <= "7") {
        const m = /^[0-7]{1,3}/.exec(s.slice(this.pos - 1))!;
        out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
        this.pos += m[0].length - 1;
      } else out += "\\" + (e ?? "");
    }
    throw new ShellSyntaxError("unterminated $'", start - 2);
  }

  /** `` `…` `` : the text with its escapes undone, parsed as a script. */
  private readBacktick(inDouble: boolean): WordPart {
    const s = this.src;
    const start = this.pos;
    this.pos++;
    let inner = "";
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === "`") {
        this.pos++;
        return { kind: "cmdsub", form: "``", raw: s.slice(start, this.pos), script: this.parseString(inner, this.depth + 1) };
      }
      if (c === "\\") {
        const n = s[this.pos + 1];
        if (n === "$" || n === "`" || n === "\\" || (inDouble && n === '"')) {
          inner += n;
          this.pos += 2;
          continue;
        }
      }
      inner += c;
      this.pos++;
    }
    throw new ShellSyntaxError("unterminated backquote", start);
  }

  private readProcessSubstitution(): WordPart {
    const start = this.pos;
    const dir = this.src[this.pos] as "<" | ">";
    this.pos += 2;
    const script = this.parseSub(this);
    return { kind: "procsub", dir, raw: this.src.slice(start, this.pos), script };
  }

  /** After a newline: the bodies of the here-documents opened on the line. */
  private readHeredocBodies(): void {
    const s = this.src;
    for (const h of this.heredocs.splice(0)) {
      const lines: string[] = [];
      let found = false;
      while (this.pos < s.length) {
        let eol = s.indexOf("\n", this.pos);
        if (eol < 0) eol = s.length;
        let line = s.slice(this.pos, eol);
        this.pos = Math.min(eol + 1, s.length);
        if (h.stripTabs) line = line.replace(/^\t+/, "");
        if (line === h.delimiter) {
          found = true;
          break;
        }
        lines.push(line);
      }
      // bash runs an unterminated here-document to the end, with a warning
      void found;
      const text = lines.length ? lines.join("\n") + "\n" : "";
      const quoted = h.redirect.heredoc!.quoted;
      const parts: WordPart[] = quoted
        ? [{ kind: "lit", text, quoted: true }]
        : new Lexer(text, this.parseSub, this.parseString, this.depth + 1).readDoubleQuoted(undefined);
      h.redirect.heredoc!.body = { raw: text, parts };
    }
  }

  /** Here-documents still waiting for their bodies at the end of input. */
  finish(): void {
    if (this.heredocs.length) {
      this.pos = this.src.length;
      this.readHeredocBodies();
    }
  }
}

function subsOf(p: WordPart): Script[] {
  if (p.kind === "cmdsub" || p.kind === "procsub") return [p.script];
  if (p.kind === "param" || p.kind === "arith") return p.subs;
  return [];
}
