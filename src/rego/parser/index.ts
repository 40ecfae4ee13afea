// Rego source → AST. (Stub: the real lexer and parser land here.)
import type { Body, Module, Term } from "../ast.js";
import { RegoError } from "../errors.js";

export interface ParseOptions {
  /** 1 (default): Rego v1 syntax; 0: v0 syntax (OPA's pre-1.0 language) */
  regoVersion?: 0 | 1;
}

/** Parses one module. Throws a RegoError (code rego_parse_error) listing every
 *  syntax error found, each with file:row:col. */
export function parseModule(source: string, file: string, options: ParseOptions = {}): Module {
  void source;
  void options;
  throw new RegoError({ code: "rego_parse_error", message: "parser not implemented", location: { file, row: 1, col: 1 } });
}

export function parseQuery(source: string, file = "<query>"): Body {
  void source;
  throw new RegoError({ code: "rego_parse_error", message: "parser not implemented", location: { file, row: 1, col: 1 } });
}

export function parseTerm(source: string, file = "<term>"): Term {
  void source;
  throw new RegoError({ code: "rego_parse_error", message: "parser not implemented", location: { file, row: 1, col: 1 } });
}
