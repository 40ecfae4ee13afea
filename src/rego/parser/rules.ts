// Rules: heads (refs, functions, `contains`, `=` / `:=` values), `default`,
// `if` bodies (a `{ … }` block or a single expression), `else` chains and
// v0's several bodies per head.
import type { Body, Rule, RuleHead, Term } from "../ast.js";
import { isGround } from "./build.js";
import { parseBody, parseLiteral } from "./body.js";
import { validateDefault } from "./defaults.js";
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
