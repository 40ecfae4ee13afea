// Template strings: `$"a {x} b"` and raw `` $`a {x}` ``. The lexer splits the
// text at each embedded expression; the expressions are parsed here.
import type { Term, TemplateTerm, With } from "../ast.js";
import { parseLiteral } from "./body.js";
import type { ParserState } from "./state.js";
import { T } from "./tokens.js";

export function parseTemplate(p: ParserState): TemplateTerm | null {
  const loc = p.loc();
  const parts: (string | Term)[] = [];
  const withs: Record<number, With[]> = {};
  for (;;) {
    const t = p.tok;
    if (t.text) parts.push(t.text);
    if (t.kind === T.TemplateEnd) {
      p.next();
      break;
    }
    p.next(); // past the text and its `{`
    const expr = parseLiteral(p);
    if (!expr) {
      p.error("invalid template-string expression");
      return null;
    }
    const problem = expr.negated
      ? "unexpected negation ('not') in template-string expression"
      : expr.kind.type === "unify"
        ? "unexpected unification ('=') in template-string expression"
        : expr.kind.type === "assign"
          ? "unexpected assignment (':=') in template-string expression"
          : expr.kind.type === "every"
            ? "unexpected 'every' in template-string expression"
            : expr.kind.type !== "term"
              ? "unexpected 'some' in template-string expression"
              : undefined;
    if (problem || expr.kind.type !== "term") {
      p.error(problem!, expr.loc);
      return null;
    }
    if (expr.with.length > 0) withs[parts.length] = expr.with;
    parts.push(expr.kind.term);
    if (!p.is(T.RBrace)) {
      p.error("expected } to end template string expression");
      return null;
    }
    p.next();
    if (p.tok.kind !== T.TemplatePart && p.tok.kind !== T.TemplateEnd) {
      p.illegal();
      return null;
    }
  }
  const term: TemplateTerm = { type: "template", parts, loc };
  if (Object.keys(withs).length > 0) term.withs = withs;
  return term;
}
