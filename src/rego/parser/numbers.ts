// Number literals, with OPA's checks: no leading zeros, no exponent too large.
import type { Term } from "../ast.js";
import type { ParserState } from "./state.js";
import { T } from "./tokens.js";

export function parseNumber(p: ParserState): Term | null {
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
