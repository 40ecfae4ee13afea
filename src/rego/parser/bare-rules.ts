// Rules that OPA reads from bare top-level expressions: `p := 1`, `p.q = 2`,
// `f(x) = y`, `p[x]`, `a.b.c`, `f(x)`.
import type { Body, Rule, RuleHead, Term } from "../ast.js";
import { builtinCatalog } from "../builtins/catalog.js";
import { opName, valueName } from "./build.js";
import { refText } from "./print.js";
import type { ParserState } from "./state.js";

/** OPA reads some top-level expressions as rules: `p := 1`, `p.q = 2`,
 *  `f(x) = y`, `p[x]`, `a.b.c`, `f(x)`. Returns the rule or the reason it
 *  is none. */
export function ruleFromBody(p: ParserState, body: Body): Rule | string {
  if (body.length !== 1) return "multiple expressions cannot be used for rule head";
  const expr = body[0]!;
  if (expr.with.length > 0) return "expressions using with keyword cannot be used for rule head";
  if (expr.negated) return "negated expressions cannot be used for rule head";
  const kind = expr.kind;
  if (kind.type === "some" || kind.type === "somein") return "'some' declarations cannot be used for rule head";
  if (kind.type === "every") return "expression cannot be used for rule head";
  const made = (head: RuleHead, generatedValue: boolean, loc = expr.loc): Rule => {
    const rule: Rule = { head, isDefault: false, body: [], loc };
    p.ruleSyntax.set(rule, { usedIf: false, usedContains: false, generatedBody: true, generatedValue });
    return rule;
  };
  if (kind.type === "term") {
    const t = kind.term;
    if (t.type === "ref") {
      if (t.terms[0]!.type !== "var") return `invalid rule head: ${refText(t.terms)}`;
      if (t.terms.length > 2) {
        return made({ ref: t.terms, value: { type: "boolean", value: true, loc: t.loc }, assign: false, contains: false, loc: t.loc }, true, t.loc);
      }
      if (t.terms.length === 1) return "refs cannot be used for rule head";
      return made({ ref: [t.terms[0]!], key: t.terms[1]!, assign: false, contains: true, loc: t.loc }, false, t.loc);
    }
    if (t.type === "call") {
      const name = opName(t.op);
      if (name !== undefined && isBuiltin(name)) return "rule name conflicts with built-in function";
      if (t.args.length === 0) return "rule argument list must take at least one argument";
      if (t.op.terms[0]!.type !== "var") return `invalid rule head: ${refText(t.op.terms)}`;
      const loc = t.loc;
      return made({ ref: t.op.terms, args: t.args, value: { type: "boolean", value: true, loc }, assign: false, contains: false, loc }, false, loc);
    }
    return `${valueName(t)} cannot be used for rule name`;
  }
  // `lhs = rhs` / `lhs := rhs`
  const { lhs, rhs } = kind;
  const assign = kind.type === "assign";
  const head = (ref: Term[], args?: Term[]): RuleHead => {
    const h: RuleHead = { ref, value: rhs, assign, contains: false, loc: expr.loc };
    if (args) h.args = args;
    return h;
  };
  if (lhs.type === "call") {
    if (lhs.op.terms[0]!.type !== "var") return `invalid rule head: ${refText(lhs.op.terms)}`;
    return made(head(lhs.op.terms, lhs.args), false);
  }
  if (lhs.type === "ref") {
    if (lhs.terms[0]!.type !== "var") return `invalid rule head: ${refText(lhs.terms)}`;
    return made(head(lhs.terms), false);
  }
  if (lhs.type === "var") return made(head([lhs]), false);
  return `${valueName(lhs)} cannot be used for rule name`;
}

function isBuiltin(name: string): boolean {
  return Object.hasOwn(builtinCatalog, name) || OPERATOR_BUILTINS.has(name);
}

const OPERATOR_BUILTINS = new Set([
  "equal", "neq", "lt", "lte", "gt", "gte", "plus", "minus", "mul", "div", "rem", "and", "or",
  "internal.member_2", "internal.member_3", "eq", "assign",
]);
