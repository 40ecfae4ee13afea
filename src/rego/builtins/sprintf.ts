// sprintf: Go's fmt.Sprintf applied to Rego values the way OPA hands them to
// it. OPA passes integers as Go ints (*big.Int beyond int64), other numbers
// as float64, strings as strings, and every other value (booleans, null,
// arrays, objects, sets) as its Rego text — so `%t` never sees a bool and
// `%s` of an int prints "%!s(int=1)", exactly as in OPA.
import { arr, str } from "./args.js";
import { formatFloat } from "./floatfmt.js";
import { goQuote, regoString, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

type GoArg =
  | { kind: "int"; v: bigint; big: boolean }
  | { kind: "float"; v: number }
  | { kind: "string"; v: string };

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function toGoArg(v: Value): GoArg {
  if (typeof v === "bigint") return { kind: "int", v, big: v > INT64_MAX || v < INT64_MIN };
  if (typeof v === "number") {
    // JSON writes integers from 1e21 on with an exponent, which Go's
    // big.Int.SetString refuses: OPA sees those as float64
    if (Number.isInteger(v) && Math.abs(v) < 1e21) {
      const b = BigInt(v);
      return { kind: "int", v: b, big: b > INT64_MAX || b < INT64_MIN };
    }
    return { kind: "float", v };
  }
  if (typeof v === "string") return { kind: "string", v };
  return { kind: "string", v: regoString(v) };
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function pad(s: string, spec: Spec, numeric = false): string {
  if (spec.width === undefined) return s;
  const n = runeCount(s);
  if (n >= spec.width) return s;
  const fill = spec.width - n;
  if (spec.minus) return s + " ".repeat(fill);
  if (spec.zero) {
    // zeros go after the sign of a number
    if (numeric && (s[0] === "-" || s[0] === "+" || s[0] === " ")) return s[0] + "0".repeat(fill) + s.slice(1);
    return "0".repeat(fill) + s;
  }
  return " ".repeat(fill) + s;
}

function goTypeName(a: GoArg): string {
  if (a.kind === "int") return a.big ? "*big.Int" : "int";
  return a.kind === "float" ? "float64" : "string";
}

/** The %v text of an argument (used inside %!verb(type=value) notes). */
function plainText(a: GoArg): string {
  if (a.kind === "int") return a.v.toString();
  if (a.kind === "float") return formatFloat(a.v, "g", -1);
  return a.v;
}

/** Go's badVerb: the value printed with %v under the verb's flags. */
function badVerb(verb: string, a: GoArg, spec: Spec): string {
  if (a.kind === "int" && a.big) return `%!${verb}(big.Int=${a.v.toString()})`;
  // printArg(arg, 'v') under the same flags: # is not %#v's Go syntax here
  return `%!${verb}(${goTypeName(a)}=${formatArg(a, "v", { ...spec, sharp: false })})`;
}

function formatInt(a: { v: bigint; big: boolean }, verb: string, spec: Spec): string | undefined {
  const neg = a.v < 0n;
  const abs = neg ? -a.v : a.v;
  let digits: string;
  let prefix = "";
  switch (verb) {
    case "v":
    case "d":
      digits = abs.toString(10);
      break;
    case "s":
      if (!a.big) return undefined;
      digits = abs.toString(10);
      break;
    case "b":
      digits = abs.toString(2);
      if (spec.sharp) prefix = "0b";
      break;
    case "o":
      digits = abs.toString(8);
      if (spec.sharp) prefix = "0";
      break;
    case "O":
      digits = abs.toString(8);
      prefix = "0o";
      break;
    case "x":
      digits = abs.toString(16);
      if (spec.sharp) prefix = "0x";
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = "0X";
      break;
    case "c":
      if (a.big) return undefined;
      return pad(String.fromCodePoint(runeOf(a.v)), spec);
    case "q":
      if (a.big || a.v < 0n || a.v > 0x10ffffn) return undefined;
      return pad(goQuoteRune(runeOf(a.v), spec.plus), spec);
    case "U": {
      if (a.big) return undefined;
      // Go prints uint64(v): a negative int in two's complement
      const u64 = a.v < 0n ? 2n ** 64n + a.v : a.v;
      let u = "U+" + u64.toString(16).toUpperCase().padStart(Math.max(4, spec.prec ?? 0), "0");
      if (spec.sharp && u64 <= 0x10ffffn && isPrintRune(Number(u64))) u += ` '${String.fromCodePoint(Number(u64))}'`;
      return pad(u, { ...spec, zero: false });
    }
    default:
      return undefined;
  }
  if (spec.prec !== undefined) {
    // Go prints only the padding for a zero under precision 0
    if (spec.prec === 0 && abs === 0n) return a.big ? "" : " ".repeat(spec.width ?? 0);
    else digits = digits.padStart(spec.prec, "0");
  }
  if (verb === "o" && prefix === "0" && digits.startsWith("0")) prefix = "";
  const sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  // Go ignores the 0 flag when a precision is given for integers; zero
  // padding counts digits only, so a prefix comes on top (%#06x of 255 is
  // 0x0000ff, as Go's fmtInteger prints it)
  if (spec.zero && !spec.minus && spec.width !== undefined && spec.prec === undefined && !a.big) {
    digits = digits.padStart(spec.width - sign.length, "0");
    if (verb === "o" && prefix === "0") prefix = "";
  }
  if (a.big && spec.zero && !spec.minus && spec.width !== undefined && spec.prec === undefined) {
    // big.Int's Format: the zeros go between the prefix and the digits
    digits = digits.padStart(spec.width - sign.length - prefix.length, "0");
  }
  return pad(sign + prefix + digits, { ...spec, zero: false });
}

/** The rune Go's %c and %q make of an int: out of range is U+FFFD. */
const runeOf = (v: bigint): number => (v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn) ? 0xfffd : Number(v));

const isPrintRune = (r: number): boolean => r >= 0x20 && !(r >= 0x7f && r <= 0x9f) && r !== 0xad && !(r >= 0xd800 && r <= 0xdfff);

function goQuoteRune(c: number, ascii: boolean): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const ch = String.fromCodePoint(c);
  const q = ascii ? asciiQuote(ch) : goQuote(ch);
  return "'" + q.slice(1, -1) + "'";
}

function formatFloatVerb(x: number, verb: string, spec: Spec): string | undefined {
  let s: string;
  switch (verb) {
    case "v":
    case "g":
    case "G":
      s = formatFloat(x, verb === "G" ? "G" : "g", spec.prec ?? -1);
      break;
    case "e":
    case "E":
      s = formatFloat(x, verb, spec.prec ?? 6);
      break;
    case "f":
    case "F":
      s = formatFloat(x, "f", spec.prec ?? 6);
      break;
    default:
      return undefined;
  }
  if (spec.plus && !s.startsWith("-") && !s.startsWith("+")) s = "+" + s;
  else if (spec.space && !s.startsWith("-") && !s.startsWith("+")) s = " " + s;
  if (s.endsWith("Inf") || s === "NaN") return pad(s, { ...spec, zero: false });
  return pad(s, spec, true);
}

function hexString(bytes: Uint8Array, upper: boolean, spec: Spec): string {
  const parts: string[] = [];
  for (const b of bytes) {
    let h = b.toString(16).padStart(2, "0");
    if (upper) h = h.toUpperCase();
    parts.push(h);
  }
  const prefix = spec.sharp ? (upper ? "0X" : "0x") : "";
  if (spec.space) return parts.map((p) => prefix + p).join(" ");
  return prefix + parts.join("");
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case "v":
      // %#v: Go syntax, a quoted string (never backquoted)
      if (spec.sharp) return pad(goQuote(truncate(s, spec.prec)), spec);
      return pad(truncate(s, spec.prec), spec);
    case "s":
      return pad(truncate(s, spec.prec), spec);
    case "q":
      if (spec.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff\ufffd]/.test(truncate(s, spec.prec))) return pad("`" + truncate(s, spec.prec) + "`", spec);
      return pad(spec.plus ? asciiQuote(truncate(s, spec.prec)) : goQuote(truncate(s, spec.prec)), spec);
    case "x":
    case "X": {
      // the precision counts bytes
      const bytes = Buffer.from(s, "utf8").subarray(0, spec.prec ?? Infinity);
      // nothing to encode: only the padding (Go's fmtSbx)
      if (bytes.length === 0) return pad("", spec);
      return pad(hexString(bytes, verb === "X", spec), spec);
    }
    default:
      return undefined;
  }
}

function truncate(s: string, prec: number | undefined): string {
  if (prec === undefined) return s;
  return Array.from(s).slice(0, prec).join("");
}

function asciiQuote(s: string): string {
  const q = goQuote(s);
  return q.replace(/[^\x00-\x7f]/gu, (ch) => {
    const c = ch.codePointAt(0)!;
    return c > 0xffff ? "\\U" + c.toString(16).padStart(8, "0") : "\\u" + c.toString(16).padStart(4, "0");
  });
}

function formatArg(a: GoArg, verb: string, spec: Spec): string {
  if (verb === "T") return pad(truncate(goTypeName(a), spec.prec), spec);
  let out: string | undefined;
  if (a.kind === "int") out = formatInt(a, verb, spec);
  else if (a.kind === "float") out = formatFloatVerb(a.v, verb, spec);
  else out = formatString(a.v, verb, spec);
  return out ?? badVerb(verb, a, spec);
}

/** Go's fmt.Sprintf over already-converted arguments. */
export function goSprintf(format: string, args: GoArg[]): string {
  let out = "";
  let argNum = 0;
  let reordered = false;
  const n = format.length;
  let i = 0;
  while (i < n) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    flags: for (; i < n; i++) {
      switch (format[i]) {
        case "-":
          spec.minus = true;
          spec.zero = false;
          break;
        case "+":
          spec.plus = true;
          break;
        case "#":
          spec.sharp = true;
          break;
        case " ":
          spec.space = true;
          break;
        case "0":
          spec.zero = !spec.minus;
          break;
        default:
          break flags;
      }
    }
    // explicit argument index: %[2]d
    const argIndex = (): boolean => {
      if (format[i] !== "[") return true;
      const close = format.indexOf("]", i);
      const idx = close > 0 ? Number(format.slice(i + 1, close)) : NaN;
      if (!Number.isInteger(idx) || idx < 1) return false;
      argNum = idx - 1;
      reordered = true;
      i = close + 1;
      return true;
    };
    let goodIndex = argIndex();
    const readNum = (): number | undefined => {
      const start = i;
      while (i < n && format[i]! >= "0" && format[i]! <= "9") i++;
      return i > start ? Number(format.slice(start, i)) : undefined;
    };
    if (format[i] === "*") {
      i++;
      const a = args[argNum++];
      if (a && a.kind === "int") {
        spec.width = Number(a.v);
        if (spec.width < 0) {
          spec.minus = true;
          spec.zero = false;
          spec.width = -spec.width;
        }
      } else out += "%!(BADWIDTH)";
      goodIndex = argIndex() && goodIndex;
    } else spec.width = readNum();
    if (format[i] === ".") {
      i++;
      goodIndex = argIndex() && goodIndex;
      if (format[i] === "*") {
        i++;
        const a = args[argNum++];
        if (a && a.kind === "int" && a.v >= 0n) spec.prec = Number(a.v);
        else out += "%!(BADPREC)";
        goodIndex = argIndex() && goodIndex;
      } else spec.prec = readNum() ?? 0;
    }
    if (!goodIndex) goodIndex = argIndex();
    if (i >= n) {
      out += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    const a = args[argNum];
    if (a === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    argNum++;
    // %+v and %#v are not the + and # flags (Go: plusV, sharpV)
    out += formatArg(a, verb, verb === "v" && !(a.kind === "int" && a.big) ? { ...spec, plus: false } : spec);
  }
  if (!reordered && argNum < args.length) {
    out += "%!(EXTRA " + args.slice(argNum).map((a) => `${goTypeName(a)}=${plainText(a)}`).join(", ") + ")";
  }
  return out;
}

export const sprintfBuiltins: Record<string, BuiltinImpl> = {
  sprintf(format, values) {
    const f = str(format, 1);
    const list = arr(values, 2);
    return goSprintf(f, list.map(toGoArg));
  },
};
