// A module: statements in order (package, imports, rules), with recovery
// after a broken statement so that every syntax error of a file is reported.
import type { Body, Comment, Import, Module, Package, Rule } from "../ast.js";
import type { RegoProblem } from "../errors.js";
import { processAnnotations, type Statement } from "./annotations.js";
import { parseQuery } from "./body.js";
import { checkRegoV1 } from "./checks.js";
import { applyKeywordImport, parseImport, parsePackage } from "./header.js";
import { lex } from "./lexer.js";
import { ruleFromBody } from "./bare-rules.js";
import { parseRules } from "./rules.js";
import { ParserState } from "./state.js";
import { FUTURE_KEYWORDS, T } from "./tokens.js";

export interface ModuleParse {
  module?: Module;
  problems: RegoProblem[];
}

export function parseModuleSource(source: string, file: string, regoVersion: 0 | 1): ModuleParse {
  const lexed = lex(source, file);
  const p = new ParserState(lexed.tokens, file);
  if (regoVersion === 1) for (const kw of FUTURE_KEYWORDS) p.keywords.add(kw);
  let version = regoVersion;
  let pkg: Package | undefined;
  const imports: Import[] = [];
  const rules: Rule[] = [];
  const statements: Statement[] = [];
  const problems: RegoProblem[] = [];

  const addStatement = (s: Statement) => {
    if (statements.length === 0 && s.kind !== "package") {
      p.error("package expected", s.kind === "import" ? s.loc : s.node.loc);
    }
    statements.push(s);
  };

  while (!p.is(T.EOF)) {
    const start = p.index;
    const errorsBefore = p.errors.length;
    let ok: boolean;
    try {
      ok = parseStatement();
    } catch (e) {
      // a stack overflow on absurdly nested input: report, never crash
      if (!(e instanceof RangeError)) throw e;
      p.errors.length = errorsBefore;
      p.depth = 0;
      p.error("max parsing recursion depth exceeded");
      ok = false;
    }
    if (!ok) {
      if (p.errors.length === errorsBefore) p.illegal();
      p.index = resyncPoint(p, start);
    }
  }

  function parseStatement(): boolean {
    if (p.isKw("package")) {
      const loc = p.loc();
      const parsed = parsePackage(p);
      if (!parsed) return false;
      if (pkg) p.error("unexpected package", loc);
      else pkg = parsed;
      addStatement({ kind: "package", node: parsed });
      return true;
    }
    if (p.isKw("import")) {
      const imp = parseImport(p, version);
      if (!imp) return false;
      if (applyKeywordImport(p, imp, version).v1) version = 1;
      imports.push(imp);
      addStatement({ kind: "import", loc: imp.loc });
      return true;
    }
    const mark = p.save();
    const parsed = parseRules(p);
    if (parsed) {
      for (const r of parsed) {
        rules.push(r);
        addStatement({ kind: "rule", node: r });
      }
      return true;
    }
    if (p.errors.length > mark.errors) return false;
    p.restore(mark);
    const body: Body | null = parseQuery(p, true, T.EOF);
    if (!body) return false;
    const rule = ruleFromBody(p, body);
    if (typeof rule === "string") {
      p.error(rule, body[0]!.loc);
      return true;
    }
    rules.push(rule);
    addStatement({ kind: "rule", node: rule });
    return true;
  }

  problems.push(...lexed.errors.map((e): RegoProblem => ({ code: "rego_parse_error", message: e.message, location: { file, row: e.row, col: e.col } })));
  problems.push(...p.errors);
  if (statements.length === 0 && problems.length === 0) {
    problems.push({ code: "rego_parse_error", message: "empty module", location: { file, row: 1, col: 1 } });
  }
  if (version === 1) problems.push(...checkRegoV1(rules, p.ruleSyntax));
  // METADATA blocks attach to statements, so only a module that parsed has them checked
  if (problems.length > 0 || !pkg) return { problems: dedupe(problems) };
  const { annotations, problems: annotationProblems } = processAnnotations(lexed.comments, statements);
  if (annotationProblems.length > 0) return { problems: annotationProblems };
  const comments: Comment[] = lexed.comments;
  return { module: { file, regoVersion: version, package: pkg, imports, rules, annotations, comments }, problems: [] };
}

/** Where to resume after a broken statement: the next token that starts a
 *  line in column 1 and can start a statement. */
function resyncPoint(p: ParserState, start: number): number {
  const tokens = p.tokens;
  for (let i = start + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === T.EOF) return i;
    if (!t.newline || t.col !== 1) continue;
    if (t.kind === T.RBrace || t.kind === T.RBrack || t.kind === T.RParen) continue;
    if (t.kind === T.Ident && t.text === "else") continue;
    return i;
  }
  return tokens.length - 1;
}

function dedupe(problems: RegoProblem[]): RegoProblem[] {
  const seen = new Set<string>();
  return problems.filter((x) => {
    const key = `${x.location.row}:${x.location.col}:${x.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
