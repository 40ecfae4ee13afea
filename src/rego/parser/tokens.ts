// Token kinds of the Rego lexer. Keywords are not token kinds: the lexer emits
// every word as an identifier and the parser decides, from the module's syntax
// version and its `future.keywords` imports, whether a word is a keyword there.

export enum T {
  EOF,
  /** a character no token starts with; `error` says why when the lexer knows */
  Illegal,
  Ident,
  Number,
  String,
  /** `$"text{` / `}text{`: literal text followed by an embedded expression */
  TemplatePart,
  /** `$"text"` / `}text"`: the last literal text of a template string */
  TemplateEnd,
  LBrack,
  RBrack,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Colon,
  Semicolon,
  Dot,
  Add,
  Sub,
  Mul,
  Quo,
  Rem,
  And,
  Or,
  Unify,
  Equal,
  Assign,
  Neq,
  Gt,
  Lt,
  Gte,
  Lte,
}

export interface Token {
  kind: T;
  /** identifier or number text; decoded value of strings and template parts */
  text: string;
  /** offsets into the source (UTF-16 code units), end exclusive */
  start: number;
  end: number;
  row: number;
  col: number;
  /** whitespace or a comment separates this token from the previous one */
  spaced: boolean;
  /** a newline separates this token from the previous one */
  newline: boolean;
  /** an identifier spelled like a keyword of some Rego version */
  keywordLike: boolean;
  /** template parts: the string was a raw (backquoted) template */
  raw: boolean;
  /** set when the lexer rejected this token: its message and position */
  error: { message: string; row: number; col: number } | undefined;
}

/** How OPA names each token kind in "unexpected X token" messages. The
 *  operators carry the names of the builtins they stand for. */
export const TOKEN_NAMES: Record<T, string> = {
  [T.EOF]: "eof",
  [T.Illegal]: "illegal",
  [T.Ident]: "identifier",
  [T.Number]: "number",
  [T.String]: "string",
  [T.TemplatePart]: "template-string-part",
  [T.TemplateEnd]: "template-string-end",
  [T.LBrack]: "[",
  [T.RBrack]: "]",
  [T.LBrace]: "{",
  [T.RBrace]: "}",
  [T.LParen]: "(",
  [T.RParen]: ")",
  [T.Comma]: ",",
  [T.Colon]: ":",
  [T.Semicolon]: ";",
  [T.Dot]: ".",
  [T.Add]: "plus",
  [T.Sub]: "minus",
  [T.Mul]: "mul",
  [T.Quo]: "div",
  [T.Rem]: "rem",
  [T.And]: "and",
  [T.Or]: "or",
  [T.Unify]: "eq",
  [T.Equal]: "equal",
  [T.Assign]: "assign",
  [T.Neq]: "neq",
  [T.Gt]: "gt",
  [T.Lt]: "lt",
  [T.Gte]: "gte",
  [T.Lte]: "lte",
};

/** Keywords of every Rego version. */
export const BASE_KEYWORDS: ReadonlySet<string> = new Set([
  "package", "import", "as", "default", "else", "not", "some", "with", "null", "true", "false",
]);

/** Keywords of Rego v1 that v0 has only after `import future.keywords[.kw]`
 *  or `import rego.v1`. */
export const FUTURE_KEYWORDS: readonly string[] = ["contains", "every", "if", "in"];
