// The parser's cursor over the token list, its error list and the keywords in
// force. Backtracking (which OPA's grammar needs in a few places) is a matter
// of saving and restoring the token index and the error count.
import type { Location, Rule, Term } from "../ast.js";
import type { RegoProblem } from "../errors.js";
import { BASE_KEYWORDS, FUTURE_KEYWORDS, T, TOKEN_NAMES, type Token } from "./tokens.js";

/** What OPA remembers about how a rule was written, for the v1 checks. */
export interface RuleSyntax {
  usedIf: boolean;
  usedContains: boolean;
  generatedBody: boolean;
  generatedValue: boolean;
}

export interface Mark {
  index: number;
  errors: number;
}


export class ParserState {
  index = 0;
  readonly errors: RegoProblem[] = [];
  /** future keywords (if, contains, in, every) in force */
  readonly keywords = new Set<string>();
  /** parsed composite terms by start index, and the index after each, so
   *  that backtracking never parses the same term twice (which nested sets
   *  would make exponential) */
  private readonly cachedTerms: (Term | undefined)[];
  private readonly cachedEnds: Int32Array;
  /** nesting depth of recursive calls; deep inputs fail instead of
   *  overflowing the stack */
  depth = 0;
  /** how each parsed rule was written (a plain Map: a WeakMap's entries
   *  cost the garbage collector far more) */
  readonly ruleSyntax = new Map<Rule, RuleSyntax>();

  constructor(
    readonly tokens: Token[],
    readonly file: string,
  ) {
    this.cachedTerms = new Array<Term | undefined>(tokens.length);
    this.cachedEnds = new Int32Array(tokens.length);
  }

  get tok(): Token {
    return this.tokens[this.index]!;
  }

  peek(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  next(): void {
    if (this.index < this.tokens.length - 1) this.index++;
  }

  is(kind: T): boolean {
    return this.tokens[this.index]!.kind === kind;
  }

  loc(token: Token = this.tok): Location {
    return { file: this.file, row: token.row, col: token.col };
  }

  save(): Mark {
    return { index: this.index, errors: this.errors.length };
  }

  restore(mark: Mark): void {
    this.index = mark.index;
    this.errors.length = mark.errors;
  }

  /** Is `word` a keyword here (the base ones, or an imported future one)? */
  isKeywordWord(word: string): boolean {
    return BASE_KEYWORDS.has(word) || this.keywords.has(word);
  }

  /** Is this identifier token a keyword here? */
  isKeywordToken(token: Token): boolean {
    return token.keywordLike && this.isKeywordWord(token.text);
  }

  /** Is the current token the keyword `word`? A keyword directly followed by
   *  `.` or `[` is the head of a reference instead (`input.x` with `x` named
   *  `not`: `not.x`), as OPA allows. */
  isKw(word: string, at: number = this.index): boolean {
    const token = this.tokens[at]!;
    return token.kind === T.Ident && token.keywordLike && token.text === word && this.isKeywordWord(word) && !this.startsRef(at);
  }

  /** The token after the one at `at` continues it as a reference (`.` or `[`
   *  with no space in between). */
  startsRef(at: number = this.index): boolean {
    const after = this.tokens[at + 1];
    return after !== undefined && !after.spaced && (after.kind === T.Dot || after.kind === T.LBrack);
  }

  error(message: string, loc: Location = this.loc()): void {
    this.errors.push({ code: "rego_parse_error", message, location: loc });
  }

  /** OPA's "unexpected <token> token[: note]". A token the lexer already
   *  rejected is not reported twice. */
  illegal(note?: string): void {
    const t = this.tok;
    if (t.kind === T.Illegal) {
      // the lexer's own message (reported once: problems are deduplicated)
      if (t.error) this.error(t.error.message, { file: this.file, row: t.error.row, col: t.error.col });
      else this.error("illegal token");
      return;
    }
    let name = TOKEN_NAMES[t.kind];
    let what = "token";
    if (t.kind === T.Ident && this.isKeywordToken(t)) {
      name = t.text;
      what = "keyword";
    }
    let message = note ? `unexpected ${name} ${what}: ${note}` : `unexpected ${name} ${what}`;
    // v0 without the import: `in`, `if`, `contains` and `every` are plain names
    if (t.kind === T.Ident && FUTURE_KEYWORDS.includes(t.text) && !this.keywords.has(t.text)) {
      message += ` (hint: \`import future.keywords.${t.text}\` or \`import rego.v1\` makes \`${t.text}\` a keyword)`;
    }
    this.error(message);
  }

  /** Resumes after the term parsed at the current index, if any. */
  resumeCached(): Term | undefined {
    const term = this.cachedTerms[this.index];
    if (term) this.index = this.cachedEnds[this.index]!;
    return term;
  }

  /** Remembers `term`, parsed from `start` to the current index; terms of
   *  one token are cheaper to parse again than to remember. */
  cache(start: number, term: Term): void {
    if (this.index - start < 2) return;
    this.cachedTerms[start] = term;
    this.cachedEnds[start] = this.index;
  }

  /** Guards recursion: returns false (with an error) past a depth that
   *  no real policy reaches. */
  enter(): boolean {
    if (this.depth >= MAX_DEPTH) {
      if (!this.errors.some((e) => e.message === DEPTH_MESSAGE)) this.error(DEPTH_MESSAGE);
      return false;
    }
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }
}

const MAX_DEPTH = 200;
const DEPTH_MESSAGE = "max parsing recursion depth exceeded";
