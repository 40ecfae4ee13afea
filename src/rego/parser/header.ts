// `package` and `import` statements, and the keywords an import switches on.
import type { Import, Package, RefTerm, StringTerm, Term } from "../ast.js";
import { valueName } from "./build.js";
import type { ParserState } from "./state.js";
import { parseTerm } from "./terms.js";
import { FUTURE_KEYWORDS, T } from "./tokens.js";

export function parsePackage(p: ParserState): Package | null {
  const loc = p.loc();
  p.next(); // package
  if (!p.is(T.Ident)) {
    p.illegal();
    return null;
  }
  const term = parseTerm(p);
  if (!term) return null;
  if (term.type === "var") return { path: [{ type: "string", value: term.name, loc: term.loc }], loc };
  if (term.type !== "ref") {
    p.illegal();
    return null;
  }
  const [head, ...rest] = term.terms;
  if (head!.type !== "var") {
    p.error(`unexpected ${valueName(head!)} token: expecting var`, head!.loc);
    return null;
  }
  const path: StringTerm[] = [{ type: "string", value: head!.name, loc: head!.loc }];
  for (const t of rest) {
    if (t.type !== "string") {
      p.error(`unexpected ${valueName(t)} token: expecting string`, t.loc);
      return null;
    }
    path.push(t);
  }
  return { path, loc };
}

const IMPORT_ROOTS = new Set(["data", "input", "future", "rego"]);

/** Parses an import; `regoVersion` is the module's syntax at this point. */
export function parseImport(p: ParserState, regoVersion: 0 | 1): Import | null {
  const loc = p.loc();
  p.next(); // import
  if (!p.is(T.Ident)) {
    p.illegal();
    return null;
  }
  const term = parseTerm(p);
  if (!term) return null;
  let path: RefTerm;
  if (term.type === "var") path = { type: "ref", terms: [term], loc: term.loc };
  else if (term.type === "ref" && term.terms[0]!.type === "var") path = term;
  else {
    p.error("expected path", term.loc);
    return null;
  }
  for (const t of path.terms.slice(1)) {
    if (t.type !== "string") {
      p.error(`unexpected ${valueName(t)} token: expecting string`, t.loc);
      return null;
    }
  }
  const root = (path.terms[0] as { name: string }).name;
  if (!IMPORT_ROOTS.has(root)) {
    p.error(`unexpected import path, must begin with one of: {data, future, input, rego}, got: ${root}`, path.loc);
    return null;
  }
  const imp: Import = { path, loc };
  if (p.isKw("as")) {
    p.next();
    if (!p.is(T.Ident) || p.isKeywordToken(p.tok)) {
      p.illegal("expected var");
      return null;
    }
    imp.alias = p.tok.text;
    p.next();
    return imp;
  }
  const last = path.terms[path.terms.length - 1]!;
  const lastName = last.type === "var" ? last.name : last.type === "string" ? last.value : "";
  if (root !== "future" && isKeywordIn(lastName, regoVersion)) {
    p.error(`unexpected import path, must not end with a keyword, got: ${lastName} (hint: import a different path or use an alias)`, last.loc);
    return null;
  }
  return imp;
}

function isKeywordIn(word: string, version: 0 | 1): boolean {
  const base = ["package", "import", "as", "default", "else", "not", "some", "with", "null", "true", "false"];
  return base.includes(word) || (version === 1 && FUTURE_KEYWORDS.includes(word));
}

/** Applies `import future.keywords[.kw]` / `import rego.v1`: reports a bad
 *  one, switches keywords on, and says whether the module is now v1. */
export function applyKeywordImport(p: ParserState, imp: Import, regoVersion: 0 | 1): { v1: boolean } {
  const terms = imp.path.terms as Term[];
  const root = (terms[0] as { name: string }).name;
  const sel = terms.slice(1).map((t) => (t as StringTerm).value);
  if (root === "future") {
    if (sel[0] !== "keywords") {
      p.error("invalid import, must be `future.keywords`", imp.path.loc);
      return { v1: false };
    }
    if (imp.alias !== undefined) {
      p.error("`future` imports cannot be aliased", imp.path.loc);
      return { v1: false };
    }
    if (sel.length === 1) {
      for (const kw of FUTURE_KEYWORDS) p.keywords.add(kw);
    } else if (sel.length === 2 && FUTURE_KEYWORDS.includes(sel[1]!)) {
      p.keywords.add(sel[1]!);
      if (sel[1] === "every") p.keywords.add("in");
    } else if (sel.length === 2) {
      p.error(`unexpected keyword, must be one of [${FUTURE_KEYWORDS.join(" ")}]`, imp.path.loc);
    } else {
      p.error("invalid import, must be `future.keywords.x`, e.g. `import future.keywords.in`", imp.path.loc);
    }
    return { v1: false };
  }
  if (root === "rego") {
    if (sel.length !== 1 || sel[0] !== "v1") {
      p.error(`invalid import \`rego.${sel.join(".")}\`, must be \`rego.v1\``, imp.path.loc);
      return { v1: false };
    }
    if (regoVersion === 1) return { v1: true };
    if (imp.alias !== undefined) {
      p.error("`rego` imports cannot be aliased", imp.path.loc);
      return { v1: false };
    }
    for (const kw of FUTURE_KEYWORDS) p.keywords.add(kw);
    return { v1: true };
  }
  return { v1: false };
}
