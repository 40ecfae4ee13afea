// Terms: scalars, vars, refs, calls, collections, comprehensions, template
// strings, and the infix operators with OPA's precedence, loosest first:
//   `in`  <  == != < <= > >=  <  |  <  &  <  + -  <  * / %
// Every binary operator is left-associative and becomes a call to the builtin
// OPA names it after (`+` → plus).
import type { RefTerm, Term } from "../ast.js";
import { callTerm, opRef, ROOT_DOCUMENTS, stringTerm, valueName, varTerm } from "./build.js";
import { parseArray, parseSetOrObject, parseTermList } from "./collections.js";
import { parseNumber } from "./numbers.js";
import { parseTemplate } from "./templates.js";
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
