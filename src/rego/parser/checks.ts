// The checks OPA 1.0 makes of every rule of a v1 module (or a v0 module that
// imports rego.v1): `if` before bodies, `contains` for multi-value rules, no
// keyword as a rule name, and a value or a body for every rule.
import type { Rule } from "../ast.js";
import type { RegoProblem } from "../errors.js";
import type { RuleSyntax } from "./state.js";
import { BASE_KEYWORDS, FUTURE_KEYWORDS } from "./tokens.js";

export function checkRegoV1(rules: Rule[], ruleSyntax: Map<Rule, RuleSyntax>): RegoProblem[] {
  const problems: RegoProblem[] = [];
  for (const first of rules) {
    for (let r: Rule | undefined = first; r; r = r.else) {
      const syntax = ruleSyntax.get(r);
      if (!syntax) continue;
      const add = (message: string) => problems.push({ code: "rego_parse_error", message, location: r!.loc });
      const what = r.head.args ? "function" : "rule";
      const name = r.head.ref[0]!;
      if (r.head.ref.length < 2 && name.type === "var" && (BASE_KEYWORDS.has(name.name) || FUTURE_KEYWORDS.includes(name.name))) {
        add(`${name.name} keyword cannot be used for rule name`);
      }
      if (syntax.generatedBody && syntax.generatedValue) add(`${what} must have value assignment and/or body declaration`);
      if (!syntax.generatedBody && !syntax.usedIf && !r.isDefault) add(`\`if\` keyword is required before ${what} body`);
      if (r.head.contains && !syntax.usedContains) add("`contains` keyword is required for partial set rules");
    }
  }
  return problems;
}
