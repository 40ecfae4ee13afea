// Bodies and expressions: `=`, `:=`, bare terms, `not`, `some`, `every` and
// `with` modifiers. Expressions are separated by `;` or a newline.
import type { Body, Expr, ExprKind, Term, VarTerm, With } from "../ast.js";
import { opName } from "./build.js";
import type { ParserState } from "./state.js";
import { parseTerm, parseTermInfixCall } from "./terms.js";
import { T, TOKEN_NAMES } from "./tokens.js";

/** A `{ … }` body (or a comprehension's); the cursor is left on `end`. */
export function parseBody(p: ParserState, end: T): Body | null {
  if (!p.enter()) return null;
  try {
    return parseQuery(p, false, end);
  } finally {
    p.leave();
  }
}

/** Expressions up to `end`. With `requireSemi` (top-level statements), only
 *  `;` continues the query. */
export function parseQuery(p: ParserState, requireSemi: boolean, end: T): Body | null {
  if (p.is(end)) {
    p.error("found empty body");
    return null;
  }
  const body: Body = [];
  for (;;) {
    const expr = parseLiteral(p);
    if (!expr) return null;
    body.push(expr);
    if (p.is(T.Semicolon)) {
      p.next();
      continue;
    }
    if (p.is(end) || requireSemi) return body;
    if (!p.tok.newline) {
      p.illegal(`expected \\n or ; or ${TOKEN_NAMES[end]}`);
      return null;
    }
  }
}

/** One expression, possibly negated, with its `with` modifiers. */
export function parseLiteral(p: ParserState): Expr | null {
  const loc = p.loc();
  let negated = false;
  if (p.isKw("not")) {
    p.next();
    negated = true;
  }
  let expr: Expr | null;
  if (p.isKw("some")) {
    if (negated) {
      p.illegal("illegal negation of 'some'");
      return null;
    }
    expr = parseSome(p);
  } else if (p.isKw("every")) {
    if (negated) {
      p.illegal("illegal negation of 'every'");
      return null;
    }
    expr = parseEvery(p);
  } else {
    const kind = parseExpr(p);
    expr = kind && { kind, negated, with: [], loc };
  }
  if (!expr) return null;
  expr.loc = loc;
  if (p.isKw("with")) {
    const withs = parseWith(p);
    if (!withs) return null;
    expr.with = withs;
  }
  return expr;
}

function parseExpr(p: ParserState): ExprKind | null {
  const lhs = parseTermInfixCall(p);
  if (!lhs) return null;
  if (p.is(T.Assign) || p.is(T.Unify)) {
    const assign = p.is(T.Assign);
    p.next();
    const rhs = parseTermInfixCall(p);
    if (!rhs) return null;
    return assign ? { type: "assign", lhs, rhs } : { type: "unify", lhs, rhs };
  }
  return { type: "term", term: lhs };
}

function parseWith(p: ParserState): With[] | null {
  const withs: With[] = [];
  while (p.isKw("with")) {
    const loc = p.loc();
    p.next();
    if (!p.is(T.Ident)) {
      p.illegal("expected ident");
      return null;
    }
    const target = parseTerm(p);
    if (!target) return null;
    if (target.type !== "ref" && target.type !== "var") {
      p.illegal("expected with target path");
      return null;
    }
    if (!p.isKw("as")) {
      p.illegal("expected as keyword");
      return null;
    }
    p.next();
    const value = parseTermInfixCall(p);
    if (!value) return null;
    const ref = target.type === "ref" ? target : { type: "ref" as const, terms: [target], loc: target.loc };
    withs.push({ target: ref, value, loc });
  }
  return withs;
}

/** The member call of `x in xs` / `k, v in xs`, if `t` is one. */
function membership(t: Term): { key?: Term; value: Term; collection: Term } | undefined {
  if (t.type !== "call") return undefined;
  const name = opName(t.op);
  if (name === "internal.member_2") return { value: t.args[0]!, collection: t.args[1]! };
  if (name === "internal.member_3") return { key: t.args[0]!, value: t.args[1]!, collection: t.args[2]! };
  return undefined;
}

function parseSome(p: ParserState): Expr | null {
  const loc = p.loc();
  const mark = p.save();
  p.next();
  // `some x in xs` / `some k, v in xs`
  const term = parseTermInfixCall(p);
  if (term && term.type === "call") {
    const m = membership(term);
    if (!m) {
      p.illegal("expected `x in xs` or `x, y in xs` expression");
      return null;
    }
    const kind: ExprKind = { type: "somein", value: m.value, collection: m.collection };
    if (m.key) kind.key = m.key;
    return { kind, negated: false, with: [], loc };
  }
  p.restore(mark);
  // `some x, y`
  const vars: VarTerm[] = [];
  for (;;) {
    p.next();
    if (!p.is(T.Ident) || p.isKeywordToken(p.tok)) {
      p.illegal("expected var");
      return null;
    }
    vars.push({ type: "var", name: p.tok.text, loc: p.loc() });
    p.next();
    if (!p.is(T.Comma)) break;
  }
  return { kind: { type: "some", vars }, negated: false, with: [], loc };
}

function parseEvery(p: ParserState): Expr | null {
  const loc = p.loc();
  p.next();
  const term = parseTermInfixCall(p);
  if (!term) return null;
  const m = membership(term);
  if (!m) {
    p.illegal("expected `x[, y] in xs { ... }` expression");
    return null;
  }
  if (m.key && m.key.type !== "var") {
    p.illegal("expected key to be a variable");
    return null;
  }
  if (m.value.type !== "var") {
    p.illegal("expected value to be a variable");
    return null;
  }
  if (!p.is(T.LBrace)) {
    p.illegal("missing body");
    return null;
  }
  p.next();
  const body = parseBody(p, T.RBrace);
  if (!body) return null;
  p.next();
  const kind: ExprKind = { type: "every", value: m.value, domain: m.collection, body };
  if (m.key) kind.key = m.key;
  return { kind, negated: false, with: [], loc };
}
