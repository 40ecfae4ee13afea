// Rego source → tokens, in one pass. Template strings make the lexer slightly
// context-sensitive: after the `}` that closes an embedded expression the
// string's text continues, so the lexer keeps a stack of open braces to know
// which `}` closes an expression and which closes a set, object or body.
import type { Comment, Location } from "../ast.js";
import { BASE_KEYWORDS, FUTURE_KEYWORDS, T, type Token } from "./tokens.js";

const KEYWORD_SPELLINGS: ReadonlySet<string> = new Set([...BASE_KEYWORDS, ...FUTURE_KEYWORDS]);

export interface LexError {
  message: string;
  row: number;
  col: number;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  errors: LexError[];
}

const SINGLE: Record<string, T> = {
  "[": T.LBrack, "]": T.RBrack, "(": T.LParen, ")": T.RParen, ",": T.Comma, ";": T.Semicolon,
  ".": T.Dot, "+": T.Add, "-": T.Sub, "*": T.Mul, "/": T.Quo, "%": T.Rem, "&": T.And, "|": T.Or,
};

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDecimal = (c: number) => c >= 48 && c <= 57;
const UNICODE_DIGIT = /^\p{Nd}$/u;
/** OPA's identifiers continue with letters and any Unicode decimal digit:
 *  the length (in UTF-16 units) of the identifier character at `i`, or 0. */
const identPartLength = (src: string, i: number): number => {
  const c = src.charCodeAt(i);
  if (isLetter(c) || isDecimal(c)) return 1;
  if (c < 128 || Number.isNaN(c)) return 0;
  const cp = src.codePointAt(i)!;
  return UNICODE_DIGIT.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
};
const skipIdentParts = (src: string, i: number): number => {
  for (let step = identPartLength(src, i); step > 0; step = identPartLength(src, i)) i += step;
  return i;
};

/** brace-stack entries: an ordinary `{`, or the `{` opening an expression
 *  embedded in a template string (raw or not) */
const BRACE = 0;
const TEMPLATE = 1;
const RAW_TEMPLATE = 2;

export function lex(src: string, file: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const errors: LexError[] = [];
  const braces: number[] = [];
  const n = src.length;
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row = 1;
  let lineStart = 0;
  let spaced = false;
  let newline = false;

  const col = (at: number) => at - lineStart + 1;
  const push = (kind: T, text: string, start: number, startRow: number, startCol: number, extra?: { raw?: boolean; error?: LexError | undefined }) => {
    // every token has the same shape, which keeps property access monomorphic
    tokens.push({
      kind,
      text,
      start,
      end: i,
      row: startRow,
      col: startCol,
      spaced,
      newline,
      keywordLike: kind === T.Ident && KEYWORD_SPELLINGS.has(text),
      raw: extra?.raw ?? false,
      error: extra?.error,
    });
    spaced = false;
    newline = false;
  };
  const fail = (message: string, r: number, c: number) => {
    const e = { message, row: r, col: c };
    errors.push(e);
    return e;
  };

  // Scans the text of a template string from `i` (just after `$"`, `` $` `` or
  // the `}` closing an expression) to the next unescaped `{` or the closing
  // quote, and pushes it as a TemplatePart or TemplateEnd token.
  const scanTemplate = (raw: boolean, start: number, startRow: number, startCol: number) => {
    const close = raw ? 96 : 34;
    let text = "";
    let chunk = i;
    let kind: T | undefined;
    let error: LexError | undefined;
    let needsDecode = false;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 10 && !raw) break;
      if (c === close) {
        text += src.slice(chunk, i);
        i++;
        kind = T.TemplateEnd;
        break;
      }
      if (c === 123) {
        text += src.slice(chunk, i);
        i++;
        kind = T.TemplatePart;
        braces.push(raw ? RAW_TEMPLATE : TEMPLATE);
        break;
      }
      if (c === 92) {
        const d = src.charCodeAt(i + 1);
        if (d === 123) {
          // `\{` is a literal brace, in raw templates too
          text += src.slice(chunk, i) + "{";
          i += 2;
          chunk = i;
          continue;
        }
        if (!raw) {
          needsDecode = true;
          if (d === 117) i += 6;
          else if ("\\\"/bfnrt".includes(src[i + 1] ?? "")) i += 2;
          else {
            error ??= fail("illegal escape sequence", startRow, startCol);
            i += 2;
          }
          continue;
        }
      }
      if (c === 10) {
        row++;
        lineStart = i + 1;
      }
      i++;
    }
    if (kind === undefined) {
      text += src.slice(chunk, Math.min(i, n));
      error ??= fail("non-terminated string", startRow, startCol);
    }
    if (needsDecode && error === undefined) {
      try {
        text = JSON.parse(`"${text}"`) as string;
      } catch {
        error = fail(`illegal template-string part: ${src.slice(start, i)}`, startRow, startCol);
      }
    }
    push(error ? T.Illegal : kind!, text, start, startRow, startCol, { raw, error });
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 13) {
      i++;
      spaced = true;
      continue;
    }
    if (c === 10) {
      i++;
      row++;
      lineStart = i;
      spaced = true;
      newline = true;
      continue;
    }
    const start = i;
    const startRow = row;
    const startCol = col(i);
    if (c === 35) {
      // comment: to the end of the line, without a trailing \r
      let end = src.indexOf("\n", i);
      if (end < 0) end = n;
      i = end;
      const textEnd = src.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const loc: Location = { file, row: startRow, col: startCol };
      comments.push({ text: src.slice(start + 1, Math.max(start + 1, textEnd)), loc });
      spaced = true;
      continue;
    }
    if (isLetter(c)) {
      i = skipIdentParts(src, i + 1);
      push(T.Ident, src.slice(start, i), start, startRow, startCol);
      continue;
    }
    if (isDecimal(c)) {
      let error: LexError | undefined;
      while (i < n && isDecimal(src.charCodeAt(i))) i++;
      if (src.charCodeAt(i) === 46) {
        i++;
        const f = i;
        while (i < n && isDecimal(src.charCodeAt(i))) i++;
        if (i === f) error = fail("expected fraction", startRow, startCol);
      }
      if ((src.charCodeAt(i) | 32) === 101) {
        i++;
        if (src[i] === "+" || src[i] === "-") i++;
        const e = i;
        while (i < n && isDecimal(src.charCodeAt(i))) i++;
        if (i === e) error ??= fail("expected exponent", startRow, startCol);
      }
      if (i < n && isLetter(src.charCodeAt(i))) {
        error ??= fail("illegal number format", startRow, startCol);
        i = skipIdentParts(src, i);
      }
      push(error ? T.Illegal : T.Number, src.slice(start, i), start, startRow, startCol, { error });
      continue;
    }
    i++;
    switch (c) {
      case 34: {
        // "string": JSON escapes, no newline
        let error: LexError | undefined;
        let escaped = false;
        let closed = false;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 10) break;
          i++;
          if (d === 34) {
            closed = true;
            break;
          }
          if (d === 92) {
            escaped = true;
            const e = src[i] ?? "";
            if (e === "u") i += 5;
            else if ("\\\"/bfnrt".includes(e) && e !== "") i++;
            else error ??= fail("illegal escape sequence", startRow, startCol);
          }
        }
        if (!closed) error ??= fail("non-terminated string", startRow, startCol);
        const lit = src.slice(start, Math.min(i, n));
        let value = lit.slice(1, -1);
        if (!error && escaped) {
          try {
            value = JSON.parse(lit) as string;
          } catch {
            error = fail(`illegal string literal: ${lit}`, startRow, startCol);
          }
        }
        push(error ? T.Illegal : T.String, value, start, startRow, startCol, { error });
        break;
      }
      case 96: {
        // `raw string`: anything up to the next backquote, newlines included
        const end = src.indexOf("`", i);
        let error: LexError | undefined;
        const stop = end < 0 ? n : end;
        for (let k = i; k < stop; k++) {
          if (src.charCodeAt(k) === 10) {
            row++;
            lineStart = k + 1;
          }
        }
        if (end < 0) error = fail("non-terminated string", startRow, startCol);
        const value = src.slice(i, stop);
        i = end < 0 ? n : end + 1;
        push(error ? T.Illegal : T.String, value, start, startRow, startCol, { error });
        break;
      }
      case 36: {
        const d = src.charCodeAt(i);
        if (d === 34 || d === 96) {
          i++;
          scanTemplate(d === 96, start, startRow, startCol);
        } else {
          push(T.Illegal, "$", start, startRow, startCol, { error: fail("illegal $ character", startRow, startCol) });
        }
        break;
      }
      case 123:
        braces.push(BRACE);
        push(T.LBrace, "{", start, startRow, startCol);
        break;
      case 125: {
        const open = braces.pop();
        push(T.RBrace, "}", start, startRow, startCol);
        if (open === TEMPLATE || open === RAW_TEMPLATE) scanTemplate(open === RAW_TEMPLATE, i, row, col(i));
        break;
      }
      case 58:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.Assign, ":=", start, startRow, startCol);
        } else push(T.Colon, ":", start, startRow, startCol);
        break;
      case 61:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.Equal, "==", start, startRow, startCol);
        } else push(T.Unify, "=", start, startRow, startCol);
        break;
      case 62:
      case 60: {
        const orEq = src.charCodeAt(i) === 61;
        if (orEq) i++;
        const kind = c === 62 ? (orEq ? T.Gte : T.Gt) : orEq ? T.Lte : T.Lt;
        push(kind, src.slice(start, i), start, startRow, startCol);
        break;
      }
      case 33:
        if (src.charCodeAt(i) === 61) {
          i++;
          push(T.Neq, "!=", start, startRow, startCol);
        } else {
          push(T.Illegal, "!", start, startRow, startCol, { error: fail("illegal ! character", startRow, startCol) });
        }
        break;
      default: {
        const kind = SINGLE[String.fromCharCode(c)];
        if (kind !== undefined) {
          push(kind, src[start]!, start, startRow, startCol);
        } else {
          // a character no token starts with: take the whole code point
          if (c >= 0xd800 && c <= 0xdbff && i < n) i++;
          push(T.Illegal, src.slice(start, i), start, startRow, startCol);
        }
      }
    }
  }
  push(T.EOF, "", n, row, col(n));
  return { tokens, comments, errors };
}
