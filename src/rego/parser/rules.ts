// Rules: heads (refs, functions, `contains`, `=` / `:=` values), `default`,
// `if` bodies (a `{ … }` block or a single expression), `else` chains, v0's
// several bodies per head, and the rules OPA reads from bare top-level
// expressions (`p := 1`, `p[x]`, `f(x) = y`).
import type { Body, Expr, Rule, RuleHead, Term } from "../ast.js";
import { builtinCatalog } from "../builtins/catalog.js";
import { isGround, opName, ROOT_DOCUMENTS, valueName } from "./build.js";
import { parseBody, parseLiteral } from "./body.js";
import { refText } from "./print.js";
import type { ParserState } from "./state.js";
import { parseTerm, parseTermInfixCall } from "./terms.js";
import { T } from "./tokens.js";


interface ParsedHead {
  head: RuleHead;
  usesContains: boolean;
  generatedValue: boolean;
}

/** Parses a rule statement. Returns null with no new error when the statement
 *  is not a rule definition but may be an expression statement. */
export function parseRules(p: ParserState): Rule[] | null {
  const loc = p.loc();
  let isDefault = false;
  if (p.isKw("default")) {
    p.next();
    isDefault = true;
  }
  if (!p.is(T.Ident) || (p.isKeywordToken(p.tok) && !p.startsRef())) return null;
  const parsed = parseHead(p, isDefault);
  if (!parsed) return null;
  const { head, usesContains } = parsed;
  let generatedValue = parsed.generatedValue;

  if (isDefault) {
    if (!validateDefault(p, head, loc)) return null;
    const rule: Rule = { head, isDefault: true, body: [], loc };
    p.ruleSyntax.set(rule, { usedIf: false, usedContains: false, generatedBody: false, generatedValue });
    return [rule];
  }

  const hasIf = p.isKw("if");
  // v0's `p[x] { … }` (no `if`, no value) is a partial set rule
  if (!hasIf && !usesContains && !head.args && head.ref.length === 2 && !head.value) {
    head.key = head.ref[1];
    head.ref = [head.ref[0]!];
    head.contains = true;
  }
  // `p[x] if …` without a value is the single-value rule p[x] = true
  if (hasIf && !usesContains && head.ref.length === 2 && !head.value) {
    head.value = { type: "boolean", value: true, loc: head.loc };
    generatedValue = true;
  }

  let body: Body;
  let generatedBody = false;
  if (hasIf) {
    p.next();
    const mark = p.save();
    const expr = parseLiteral(p);
    // `if { … }` reads as a set literal; OPA takes the block as the body
    if (expr && !(expr.kind.type === "term" && expr.kind.term.type === "set" && !expr.negated)) {
      body = [expr];
    } else {
      p.restore(mark);
      if (!p.is(T.LBrace)) {
        parseLiteral(p); // for its error
        if (p.errors.length === mark.errors) p.illegal();
        return null;
      }
      const block = parseBlock(p);
      if (!block) return null;
      body = block;
    }
  } else if (p.is(T.LBrace)) {
    const block = parseBlock(p);
    if (!block) return null;
    body = block;
  } else if (usesContains) {
    body = [];
    generatedBody = true;
  } else if (head.value && !parsed.generatedValue && (p.tok.newline || p.is(T.EOF))) {
    // `p := 1` alone on its line: the rule ruleFromBody would make of it,
    // without parsing the statement a second time
    const rule: Rule = { head, isDefault: false, body: [], loc };
    p.ruleSyntax.set(rule, { usedIf: false, usedContains: false, generatedBody: true, generatedValue: false });
    return [rule];
  } else {
    return null;
  }

  const rule: Rule = { head, isDefault: false, body, loc };
  p.ruleSyntax.set(rule, { usedIf: hasIf, usedContains: usesContains, generatedBody, generatedValue });
  if (generatedBody) return [rule];

  if (p.isKw("else")) {
    if (head.ref.length > 1 && !head.ref.slice(1).every(isGround)) {
      p.error("else keyword cannot be used on rules with variables in head");
      return null;
    }
    if (head.key) {
      p.error("else keyword cannot be used on multi-value rules");
      return null;
    }
    const alt = parseElse(p, head);
    if (!alt) return null;
    rule.else = alt;
  }

  const rules = [rule];
  // v0: `p { a } { b }` defines p twice
  while (p.is(T.LBrace)) {
    if (rule.else) {
      p.error("expected else keyword");
      return null;
    }
    const bodyLoc = p.loc();
    const block = parseBlock(p);
    if (!block) return null;
    const next: Rule = { head: copyHead(head, bodyLoc), isDefault: false, body: block, loc: bodyLoc };
    p.ruleSyntax.set(next, { usedIf: hasIf, usedContains: usesContains, generatedBody: false, generatedValue });
    rules.push(next);
  }
  return rules;
}

/** `{ body }`, consuming both braces. */
function parseBlock(p: ParserState): Body | null {
  p.next();
  const body = parseBody(p, T.RBrace);
  if (!body) return null;
  p.next();
  return body;
}

function copyHead(head: RuleHead, loc: RuleHead["loc"]): RuleHead {
  const copy: RuleHead = { ...head, ref: [...head.ref], loc };
  if (head.args) copy.args = [...head.args];
  return copy;
}

function parseHead(p: ParserState, isDefault: boolean): ParsedHead | null {
  const loc = p.loc();
  // the head: a name, a ref, or a call (function)
  let term: Term | null;
  const nameIndex = p.index;
  const after = p.peek();
  if (!after.spaced && isInfixOperator(after.kind)) {
    p.next();
    p.illegal();
    return null;
  }
  term = parseTerm(p);
  if (!term) return null;
  if (p.index === nameIndex) return null;
  let ref: Term[];
  let args: Term[] | undefined;
  if (term.type === "var") ref = [term];
  else if (term.type === "ref") ref = term.terms;
  else if (term.type === "call") {
    ref = term.op.terms;
    args = term.args;
  } else {
    p.index = nameIndex;
    p.illegal("expected rule head name");
    return null;
  }
  if (ref[0]!.type !== "var") {
    p.error(`rule head ref ${refText(ref)} invalid`, loc);
    return null;
  }
  const head: RuleHead = { ref, assign: false, contains: false, loc };
  if (args) head.args = args;
  const name = () => refText(ref); // for messages only

  if (p.isKw("contains")) {
    if (args) {
      p.illegal(`the contains keyword can only be used with multi-value rule definitions (e.g., ${name()} contains <VALUE> { ... })`);
      return null;
    }
    p.next();
    const key = parseTermInfixCall(p);
    if (!key) {
      p.illegal(`expected rule key term (e.g., ${name()} contains <VALUE> { ... })`);
      return null;
    }
    head.key = key;
    head.contains = true;
    return { head, usesContains: true, generatedValue: false };
  }
  if (p.is(T.Unify) || p.is(T.Assign)) {
    head.assign = p.is(T.Assign);
    p.next();
    const errors = p.errors.length;
    const value = parseTermInfixCall(p);
    if (!value) {
      if (p.errors.length > errors) return null;
      if (!head.assign) p.illegal(`expected rule value term (e.g., ${name()} = <VALUE> { ... })`);
      else if (args) p.illegal(`expected function value term (e.g., ${name()}(...) := <VALUE> { ... })`);
      else if (isDefault) p.illegal(`expected default rule value term (e.g., default ${name()} := <VALUE>)`);
      else p.illegal(`expected rule value term (e.g., ${name()} := <VALUE> { ... })`);
      return null;
    }
    head.value = value;
    return { head, usesContains: false, generatedValue: false };
  }
  if (ref.length !== 2 || args) {
    head.value = { type: "boolean", value: true, loc };
    return { head, usesContains: false, generatedValue: true };
  }
  return { head, usesContains: false, generatedValue: false };
}

function isInfixOperator(kind: T): boolean {
  return (
    kind === T.Add || kind === T.Sub || kind === T.Mul || kind === T.Quo || kind === T.Rem || kind === T.And ||
    kind === T.Or || kind === T.Equal || kind === T.Neq || kind === T.Gt || kind === T.Gte || kind === T.Lt ||
    kind === T.Lte
  );
}

function parseElse(p: ParserState, head: RuleHead): Rule | null {
  const loc = p.loc();
  p.next(); // else
  const elseHead: RuleHead = copyHead(head, loc);
  let generatedValue = false;
  if (p.is(T.LBrace) || p.isKw("if")) {
    elseHead.value = { type: "boolean", value: true, loc };
    elseHead.assign = false;
    generatedValue = true;
  } else if (p.is(T.Assign) || p.is(T.Unify)) {
    elseHead.assign = p.is(T.Assign);
    p.next();
    const value = parseTermInfixCall(p);
    if (!value) return null;
    elseHead.value = value;
  } else {
    p.illegal("expected else value term or rule body");
    return null;
  }
  const hasIf = p.isKw("if");
  const rule: Rule = { head: elseHead, isDefault: false, body: [], loc };
  if (!hasIf && !p.is(T.LBrace)) {
    p.ruleSyntax.set(rule, { usedIf: false, usedContains: false, generatedBody: true, generatedValue });
    return rule;
  }
  if (hasIf) p.next();
  if (p.is(T.LBrace)) {
    const block = parseBlock(p);
    if (!block) return null;
    rule.body = block;
  } else if (!p.is(T.EOF)) {
    const expr = parseLiteral(p);
    if (!expr) return null;
    rule.body = [expr];
  } else {
    p.illegal("rule body expected");
    return null;
  }
  p.ruleSyntax.set(rule, { usedIf: hasIf, usedContains: false, generatedBody: false, generatedValue });
  if (p.isKw("else")) {
    const alt = parseElse(p, head);
    if (!alt) return null;
    rule.else = alt;
  }
  return rule;
}

/** OPA's checks of `default` rules: a value without refs, vars or calls
 *  (comprehensions aside), and arguments that are distinct vars. */
function validateDefault(p: ParserState, head: RuleHead, loc: Rule["loc"]): boolean {
  if (!head.value) {
    p.error("illegal default rule (must have a value)", loc);
    return false;
  }
  const bad = forbiddenInDefault(head.value);
  if (bad) {
    p.error(`illegal default rule (value cannot contain ${bad})`, loc);
    return false;
  }
  const seen = new Set<string>();
  for (const arg of head.args ?? []) {
    if (arg.type !== "var") {
      p.error(`illegal default rule (arguments cannot contain ${valueName(arg)})`, loc);
      return false;
    }
    if (arg.name !== "_" && seen.has(arg.name)) {
      p.error(`illegal default rule (arguments cannot be repeated ${arg.name})`, loc);
      return false;
    }
    seen.add(arg.name);
  }
  return true;
}

function forbiddenInDefault(t: Term): string | undefined {
  switch (t.type) {
    case "ref":
    case "var":
    case "call":
      return t.type;
    case "array":
    case "set":
      for (const x of t.items) {
        const bad = forbiddenInDefault(x);
        if (bad) return bad;
      }
      return undefined;
    case "object":
      for (const [k, v] of t.items) {
        const bad = forbiddenInDefault(k) ?? forbiddenInDefault(v);
        if (bad) return bad;
      }
      return undefined;
    case "template":
      for (const x of t.parts) {
        const bad = typeof x === "string" ? undefined : forbiddenInDefault(x);
        if (bad) return bad;
      }
      return undefined;
    default:
      return undefined;
  }
}

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

export { ROOT_DOCUMENTS };
export type { Expr };
