// Arrays, sets, objects and their comprehensions. A lone term is tried
// first, so that `[x | body]` and `{x | body}` are comprehensions rather than
// collections holding an `or` call, as in OPA.
import type { Location, ObjectTerm, Term } from "../ast.js";
import { parseBody } from "./body.js";
import type { Mark, ParserState } from "./state.js";
import { parseTerm, parseTermInfixCall } from "./terms.js";
import { T, TOKEN_NAMES } from "./tokens.js";

export function parseArray(p: ParserState): Term | null {
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

export function parseSetOrObject(p: ParserState): Term | null {
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
  mark: Mark,
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
