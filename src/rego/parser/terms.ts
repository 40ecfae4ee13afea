// Terms: scalars, vars, refs, calls, collections, comprehensions, template
// strings, and the infix operators with OPA's precedence, loosest first:
//   `in`  <  == != < <= > >=  <  |  <  &  <  + -  <  * / %
// Every binary operator is left-associative and becomes a call to the builtin
// OPA names it after (`+` → plus).
import type { Body, Location, ObjectTerm, RefTerm, Term, TemplateTerm, With } from "../ast.js";
import { callTerm, opRef, ROOT_DOCUMENTS, stringTerm, valueName, varTerm } from "./build.js";
import { parseBody, parseLiteral } from "./body.js";
import type { ParserState } from "./state.js";
import { T, TOKEN_NAMES } from "./tokens.js";

const RELATIONS = new Set([T.Equal, T.Neq, T.Lt, T.Gt, T.Lte, T.Gte]);
const ARITH = new Set([T.Add, T.Sub]);
const FACTOR = new Set([T.Mul, T.Quo, T.Rem]);

/** A full term with infix operators. `keyVal` allows `k, v in xs` (not inside
 *  collections, where the comma separates items). */
export function parseTermInfixCall(p: ParserState, keyVal = true): Term | null {
  if (!p.enter()) return null;
  try {
    return parseIn(p, keyVal);
  } finally {
    p.leave();
  }
}

function parseIn(p: ParserState, keyVal: boolean): Term | null {
  let lhs = parseBinary(p, 1);
  if (!lhs) return null;
  if (keyVal && p.is(T.Comma)) {
    // `k, v in xs`; anything else after the comma is not ours to take
    const mark = p.save();
    p.next();
    const mhs = parseBinary(p, 1);
    if (mhs && p.isKw("in")) {
      const opLoc = p.loc();
      p.next();
      const rhs = parseBinary(p, 1);
      if (!rhs) return null;
      lhs = callTerm(opRef("internal.member_3", opLoc), [lhs, mhs, rhs], lhs.loc);
    } else {
      p.restore(mark);
    }
  }
  while (p.isKw("in")) {
    const opLoc = p.loc();
    p.next();
    const rhs = parseBinary(p, 1);
    if (!rhs) return null;
    lhs = callTerm(opRef("internal.member_2", opLoc), [lhs, rhs], lhs.loc);
  }
  return lhs;
}

/** Binding strength of the binary operators below `in`: relations 1,
 *  `|` 2, `&` 3, `+ -` 4, `* / %` 5 (0: not a binary operator). */
const PRECEDENCE: number[] = [];
for (const k of RELATIONS) PRECEDENCE[k] = 1;
PRECEDENCE[T.Or] = 2;
PRECEDENCE[T.And] = 3;
for (const k of ARITH) PRECEDENCE[k] = 4;
for (const k of FACTOR) PRECEDENCE[k] = 5;

/** Precedence climbing over left-associative operators: operands bind to
 *  operators at least as strong as `minPrec`. */
function parseBinary(p: ParserState, minPrec: number): Term | null {
  let lhs = parseTerm(p);
  if (!lhs) return null;
  for (;;) {
    const kind = p.tok.kind;
    const prec = PRECEDENCE[kind] ?? 0;
    if (prec === 0 || prec < minPrec) return lhs;
    const loc = p.loc();
    const op: RefTerm = { type: "ref", terms: [varTerm(TOKEN_NAMES[kind], loc)], loc };
    p.next();
    const rhs = parseBinary(p, prec + 1);
    if (!rhs) return null;
    lhs = callTerm(op, [lhs, rhs], lhs.loc);
  }
}

/** One operand: a primary term with its ref and call suffixes. Memoized by
 *  position, because OPA's grammar retries some terms after backtracking. */
export function parseTerm(p: ParserState): Term | null {
  const start = p.index;
  const hit = p.resumeCached();
  if (hit) return hit;
  if (!p.enter()) return null;
  try {
    const errors = p.errors.length;
    const term = parsePrimary(p);
    if (term && p.errors.length === errors) p.cache(start, term);
    return term;
  } finally {
    p.leave();
  }
}

function parsePrimary(p: ParserState): Term | null {
  const t = p.tok;
  const loc = p.loc();
  switch (t.kind) {
    case T.Number:
      return finish(p, parseNumber(p));
    case T.Dot:
      return finish(p, parseNumber(p));
    case T.Sub: {
      const after = p.peek();
      if (after.kind === T.Number || (after.kind === T.Dot && p.peek(2).kind === T.Number)) return finish(p, parseNumber(p));
      // unary minus on anything else: 0 - x, as the AST documents
      p.next();
      const operand = parseTerm(p);
      if (!operand) return null;
      return callTerm(opRef("minus", loc), [{ type: "number", raw: "0", loc }, operand], loc);
    }
    case T.String:
      p.next();
      return finish(p, stringTerm(t.text, loc));
    case T.TemplatePart:
    case T.TemplateEnd:
      return finish(p, parseTemplate(p));
    case T.LBrack:
      return finish(p, parseArray(p));
    case T.LBrace:
      return finish(p, parseSetOrObject(p));
    case T.LParen: {
      p.next();
      const inner = parseTermInfixCall(p);
      if (!inner) return null;
      if (!p.is(T.RParen)) {
        p.error("non-terminated expression");
        return null;
      }
      p.next();
      return finish(p, inner);
    }
    case T.Ident: {
      const word = t.text;
      if (p.isKeywordToken(t) && word !== "contains" && !p.startsRef()) {
        p.next();
        if (word === "null") return finish(p, { type: "null", loc });
        if (word === "true" || word === "false") return finish(p, { type: "boolean", value: word === "true", loc });
        p.index--;
        p.illegal();
        return null;
      }
      p.next();
      return finish(p, varTerm(word, loc));
    }
    default:
      p.illegal();
      return null;
  }
}

/** Continues a term with refs and calls written directly after it
 *  (`x.y`, `x[y]`, `f(x)`); a space ends the term. */
function finish(p: ParserState, head: Term | null): Term | null {
  if (!head) return null;
  const t = p.tok;
  if (!t.spaced && (t.kind === T.Dot || t.kind === T.LBrack || t.kind === T.LParen)) return parseRef(p, head);
  if (head.type === "var" && ROOT_DOCUMENTS.has(head.name)) return { type: "ref", terms: [head], loc: head.loc };
  return head;
}

const REF_HEADS = new Set(["var", "array", "object", "set", "arraycomp", "setcomp", "objectcomp", "call"]);

function parseRef(p: ParserState, head: Term): Term | null {
  if (!REF_HEADS.has(head.type)) {
    p.error(`illegal ref (head cannot be ${valueName(head)})`, head.loc);
    return null;
  }
  const terms: Term[] = [head];
  for (;;) {
    const t = p.tok;
    if (t.spaced) break;
    if (t.kind === T.Dot) {
      p.next();
      const name = p.tok;
      if (name.spaced) {
        p.error("unexpected whitespace token: expected identifier");
        return null;
      }
      if (name.kind !== T.Ident) {
        p.illegal("expected identifier");
        return null;
      }
      terms.push(stringTerm(name.text, p.loc()));
      p.next();
    } else if (t.kind === T.LBrack) {
      p.next();
      const key = parseTermInfixCall(p);
      if (!key) return null;
      if (!p.is(T.RBrack)) {
        p.illegal("expected ]");
        return null;
      }
      p.next();
      terms.push(key);
    } else if (t.kind === T.LParen) {
      const op: RefTerm = { type: "ref", terms, loc: head.loc };
      const call = parseCall(p, op);
      if (!call) return null;
      const after = p.tok;
      if (!after.spaced && (after.kind === T.Dot || after.kind === T.LBrack)) return parseRef(p, call);
      return call;
    } else break;
  }
  if (terms.length === 1) return head;
  return { type: "ref", terms, loc: head.loc };
}

function parseCall(p: ParserState, op: RefTerm): Term | null {
  p.next(); // (
  if (p.is(T.RParen)) {
    p.next();
    const only = op.terms[0]!;
    if (op.terms.length === 1 && only.type === "var" && only.name === "set") return { type: "set", items: [], loc: op.loc };
    return callTerm(op, [], op.loc);
  }
  const args = parseTermList(p, T.RParen, []);
  if (!args) return null;
  p.next(); // )
  return callTerm(op, args, op.loc);
}

function parseNumber(p: ParserState): Term | null {
  const loc = p.loc();
  let prefix = "";
  if (p.is(T.Sub)) {
    prefix = "-";
    p.next();
  }
  if (p.is(T.Dot)) {
    prefix += ".";
    p.next();
    if (!p.is(T.Number)) {
      p.illegal("expected number");
      return null;
    }
  }
  const lit = p.tok.text;
  if (!prefix.endsWith(".") && lit.length > 1 && lit[0] === "0") {
    const decimal = lit[1] === ".";
    const scientific = lit.length > 2 && (lit[1] === "e" || lit[1] === "E");
    if (!decimal && !scientific) {
      p.illegal("expected number without leading zero");
      return null;
    }
  }
  if (exponentTooLarge(lit)) {
    p.error("number too big");
    return null;
  }
  p.next();
  return { type: "number", raw: prefix + lit, loc };
}

/** OPA refuses numbers whose binary exponent exceeds 1e5 (about 30103
 *  decimal digits), so that printing them stays cheap. */
function exponentTooLarge(lit: string): boolean {
  const e = lit.search(/[eE]/);
  if (e < 0) return lit.length > 30000;
  const exp = Number(lit.slice(e + 1));
  const digits = lit.slice(0, e).replace(".", "").length;
  return Math.abs(exp) + digits > 30103;
}

function parseTemplate(p: ParserState): TemplateTerm | null {
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

function parseArray(p: ParserState): Term | null {
  const loc = p.loc();
  p.next(); // [
  if (p.is(T.RBrack)) {
    p.next();
    return { type: "array", items: [], loc };
  }
  let comprehension = true;
  if (p.is(T.Comma)) {
    // `[, x]` is accepted for backwards compatibility, never a comprehension
    comprehension = false;
    p.next();
  }
  const mark = p.save();
  // A lone term first: `[x | body]` is a comprehension, not `x | body`.
  const head = parseTerm(p);
  if (!head) return null;
  if (p.is(T.RBrack)) {
    p.next();
    return { type: "array", items: [head], loc };
  }
  if (p.is(T.Comma)) {
    p.next();
    const items = parseTermList(p, T.RBrack, [head]);
    if (!items) return null;
    p.next();
    return { type: "array", items, loc };
  }
  if (p.is(T.Or) && comprehension) {
    p.next();
    const body = parseBody(p, T.RBrack);
    if (body) {
      p.next();
      return { type: "arraycomp", term: head, body, loc };
    }
    if (!p.is(T.Comma)) return null;
  }
  p.restore(mark);
  const items = parseTermList(p, T.RBrack, []);
  if (!items) return null;
  p.next();
  return { type: "array", items, loc };
}

function parseSetOrObject(p: ParserState): Term | null {
  const loc = p.loc();
  p.next(); // {
  if (p.is(T.RBrace)) {
    p.next();
    return { type: "object", items: [], loc };
  }
  let comprehension = true;
  if (p.is(T.Comma)) {
    comprehension = false;
    p.next();
  }
  const mark = p.save();
  // A lone term first, so that `{a | b}` is a comprehension; we do not know
  // yet whether this is a set or an object.
  let head = parseTerm(p);
  if (!head) return null;
  const k = p.tok.kind;
  if ((k === T.Or && comprehension) || k === T.RBrace || k === T.Comma) return parseSet(p, loc, mark, head, comprehension);
  if (k === T.Colon) return parseObject(p, loc, head, comprehension);
  p.restore(mark);
  head = parseTermInfixCall(p, false);
  if (!head) return null;
  if (p.is(T.RBrace) || p.is(T.Comma)) return parseSet(p, loc, mark, head, false);
  if (p.is(T.Colon)) return parseObject(p, loc, head, comprehension);
  p.illegal("non-terminated set");
  return null;
}

function parseSet(
  p: ParserState,
  loc: Location,
  mark: ReturnType<ParserState["save"]>,
  head: Term,
  comprehension: boolean,
): Term | null {
  if (p.is(T.RBrace)) {
    p.next();
    return { type: "set", items: [head], loc };
  }
  if (p.is(T.Comma)) {
    p.next();
    const items = parseTermList(p, T.RBrace, [head]);
    if (!items) return null;
    p.next();
    return { type: "set", items, loc };
  }
  // T.Or
  if (comprehension) {
    p.next();
    const body = parseBody(p, T.RBrace);
    if (body) {
      p.next();
      return { type: "setcomp", term: head, body, loc };
    }
    if (!p.is(T.Comma)) return null;
  }
  p.restore(mark);
  const items = parseTermList(p, T.RBrace, []);
  if (!items) return null;
  p.next();
  return { type: "set", items, loc };
}

function parseObject(p: ParserState, loc: Location, key: Term, comprehension: boolean): Term | null {
  p.next(); // :
  const mark = p.save();
  // the value as a lone term first: `{k: v | body}` is a comprehension
  let value = parseTerm(p);
  if (!value) return null;
  let relation = true;
  if (comprehension) {
    const k = p.tok.kind;
    if (k === T.RBrace || k === T.Comma || k === T.Or) {
      if (k !== T.Or) relation = false;
      const done = finishObject(p, loc, key, value, true);
      if (done) return done;
    }
  }
  p.restore(mark);
  if (relation) {
    value = parseTermInfixCall(p, false);
    if (!value) return null;
    if (p.is(T.RBrace) || p.is(T.Comma)) return finishObject(p, loc, key, value, false);
  }
  p.illegal("non-terminated object");
  return null;
}

function finishObject(p: ParserState, loc: Location, key: Term, value: Term, comprehension: boolean): Term | null {
  if (p.is(T.RBrace)) {
    p.next();
    return { type: "object", items: [[key, value]], loc };
  }
  if (p.is(T.Or)) {
    if (!comprehension) {
      p.illegal("non-terminated object");
      return null;
    }
    p.next();
    const body = parseBody(p, T.RBrace);
    if (!body) return null;
    p.next();
    return { type: "objectcomp", key, value, body, loc };
  }
  if (p.is(T.Comma)) {
    p.next();
    const items = parsePairList(p, [[key, value]]);
    if (!items) return null;
    p.next();
    const object: ObjectTerm = { type: "object", items, loc };
    return object;
  }
  return null;
}

/** Comma-separated terms up to `end` (a trailing comma is allowed); leaves
 *  the cursor on `end`. */
export function parseTermList(p: ParserState, end: T, items: Term[]): Term[] | null {
  if (p.is(end)) return items;
  for (;;) {
    const term = parseTermInfixCall(p, false);
    if (!term) return null;
    items.push(term);
    if (p.is(end)) return items;
    if (!p.is(T.Comma)) {
      p.illegal(`expected "," or "${TOKEN_NAMES[end]}"`);
      return null;
    }
    p.next();
    if (p.is(end)) return items;
  }
}

function parsePairList(p: ParserState, items: [Term, Term][]): [Term, Term][] | null {
  if (p.is(T.RBrace)) return items;
  for (;;) {
    const key = parseTermInfixCall(p, false);
    if (!key) return null;
    if (!p.is(T.Colon)) {
      p.illegal('expected ":"');
      return null;
    }
    p.next();
    const value = parseTermInfixCall(p, false);
    if (!value) return null;
    items.push([key, value]);
    if (p.is(T.RBrace)) return items;
    if (!p.is(T.Comma)) {
      p.illegal('expected "," or "}"');
      return null;
    }
    p.next();
    if (p.is(T.RBrace)) return items;
  }
}

export type { Body };
