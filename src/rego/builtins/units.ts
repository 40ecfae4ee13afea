// units.parse (SI and binary SI, "m" = milli) and units.parse_bytes, with
// OPA's exact arithmetic: integers stay exact, fractions keep 10 places.
import { str } from "./args.js";
import { builtinError } from "./errors.js";
import { floatString, intValue, mul, parseDecimal, type Rational } from "./decimal.js";
import type { BuiltinImpl } from "./types.js";

const K = 1000n;
const KI = 1024n;
const pow = (b: bigint, e: number) => b ** BigInt(e);

const siUnits: Record<string, Rational> = {
  "": { num: 1n, den: 1n },
  m: { num: 1n, den: 1000n },
};
const byteUnits: Record<string, bigint> = { "": 1n };
["k", "m", "g", "t", "p", "e"].forEach((u, i) => {
  const dec = pow(K, i + 1);
  const bin = pow(KI, i + 1);
  // units.parse: only the first letter's case matters ("m" is milli, "M" mega)
  if (u !== "m") siUnits[u] = { num: dec, den: 1n };
  siUnits[u.toUpperCase()] = { num: dec, den: 1n };
  siUnits[u + "i"] = siUnits[u.toUpperCase() + "i"] = { num: bin, den: 1n };
  byteUnits[u] = byteUnits[u + "b"] = dec;
  byteUnits[u + "i"] = byteUnits[u + "ib"] = bin;
});

const MAX_EXPONENT_DIGITS = 6;

/** Split "10.5Ki" into number and unit the way OPA does; null if the exponent is too long. */
function splitNumberUnit(s: string): [string, string] | null {
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  let cut = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!isDigit(c) && c !== "." && c !== "e" && c !== "E" && c !== "+" && c !== "-") {
      cut = i;
      break;
    }
    if (c === "e" || c === "E") {
      const next = s[i + 1];
      if (i === s.length - 1 || (!isDigit(next) && next !== "+" && next !== "-")) {
        cut = i;
        break;
      }
      if (next === "+" || next === "-") i++;
      let end = i + 1;
      while (end < s.length && isDigit(s[end])) end++;
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) return null;
    }
  }
  if (cut === -1) return [s, ""];
  return [s.slice(0, cut), s.slice(cut)];
}

function unitsParse(raw: string): number | bigint {
  const fail = (msg: string) => builtinError(`units.parse: ${msg}`);
  const s = raw.replaceAll('"', "");
  if (s.includes(" ")) throw fail("spaces not allowed in resource strings");
  const parts = splitNumberUnit(s);
  if (!parts) throw fail("exponent too large");
  const [num, u] = parts;
  if (num === "") throw fail("no amount provided");
  const unit = u.length > 1 ? u[0] + u.slice(1).toLowerCase() : u;
  const factor = siUnits[unit];
  if (!factor) throw fail(`unit ${unit} not recognized`);
  const amount = parseDecimal(num);
  if (!amount) throw fail("could not parse amount to a number");
  const r = mul(amount, factor);
  if (r.den === 1n) return intValue(r.num);
  return Number(floatString(r, 10));
}

function unitsParseBytes(raw: string): number | bigint {
  const fail = (msg: string) => builtinError(`units.parse_bytes: ${msg}`);
  const s = raw.toLowerCase().replaceAll('"', "");
  if (s.includes(" ")) throw fail("spaces not allowed in resource strings");
  const parts = splitNumberUnit(s);
  if (!parts) throw fail("exponent too large");
  const [num, unit] = parts;
  if (num === "") throw fail("no byte amount provided");
  const factor = byteUnits[unit];
  if (factor === undefined) throw fail(`byte unit ${unit} not recognized`);
  const amount = parseDecimal(num);
  if (!amount) throw fail("could not parse byte amount to a number");
  const r = mul(amount, { num: factor, den: 1n });
  return intValue(r.num / r.den);
}

export const unitBuiltins: Record<string, BuiltinImpl> = {
  "units.parse": (s) => unitsParse(str(s, 1)),
  "units.parse_bytes": (s) => unitsParseBytes(str(s, 1)),
};
