// Rego source → AST: modules, queries and single terms, in Rego v1 syntax
// (default) or v0. See ../ast.ts for the shape of the result.
import type { Body, Module, Term } from "../ast.js";
import { ProblemList, RegoError, type RegoProblem } from "../errors.js";
import { parseQuery as parseQueryTokens } from "./body.js";
import { lex } from "./lexer.js";
import { parseModuleSource } from "./module.js";
import { ParserState } from "./state.js";
import { FUTURE_KEYWORDS, T } from "./tokens.js";

export interface ParseOptions {
  /** 1 (default): Rego v1 syntax; 0: v0 syntax (OPA's pre-1.0 language) */
  regoVersion?: 0 | 1;
}

/** Parses one module. Throws a RegoError (code rego_parse_error) listing every
 *  syntax error found, each with file:row:col. */
export function parseModule(source: string, file: string, options: ParseOptions = {}): Module {
  const { module, problems } = parseModuleSource(source, file, options.regoVersion ?? 1);
  raise(problems);
  return module!;
}

/** Parses a query: expressions separated by `;` or newlines (v1 syntax). */
export function parseQuery(source: string, file = "<query>"): Body {
  const lexed = lex(source, file);
  const p = new ParserState(lexed.tokens, file);
  for (const kw of FUTURE_KEYWORDS) p.keywords.add(kw);
  const body: Body = [];
  const problems: RegoProblem[] = lexed.errors.map((e) => ({ code: "rego_parse_error", message: e.message, location: { file, row: e.row, col: e.col } }));
  try {
    while (!p.is(T.EOF) && problems.length === 0) {
      const part = parseQueryTokens(p, true, T.EOF);
      if (!part) {
        if (p.errors.length === 0) p.illegal();
        break;
      }
      body.push(...part);
    }
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    p.error("max parsing recursion depth exceeded");
  }
  problems.push(...p.errors);
  if (problems.length === 0 && body.length === 0) {
    problems.push({ code: "rego_parse_error", message: "empty query", location: { file, row: 1, col: 1 } });
  }
  raise(problems);
  return body;
}

/** Parses one term (e.g. `{"a": {1, 2}}`). */
export function parseTerm(source: string, file = "<term>"): Term {
  const body = parseQuery(source, file);
  const expr = body[0]!;
  if (body.length !== 1 || expr.kind.type !== "term" || expr.negated || expr.with.length > 0) {
    throw new RegoError({ code: "rego_parse_error", message: "expected exactly one term", location: expr.loc });
  }
  return expr.kind.term;
}

function raise(problems: RegoProblem[]): void {
  const list = new ProblemList();
  for (const x of problems) list.add(x.code, x.message, x.location);
  list.throwIfAny();
}
