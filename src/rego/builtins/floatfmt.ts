// Go's strconv float formatting ('e', 'f', 'g' with a precision, or the
// shortest representation with precision -1), which fmt uses for %e %f %g %v.
// JS's toFixed rounds exact ties away from zero; Go rounds them to even, so
// digits are produced here from a long exact expansion and rounded by hand.

/** Decimal digits and exponent of |x|: x = 0.d1d2d3… × 10^point. */
interface Decimal {
  digits: string;
  point: number;
}

function shortest(x: number): Decimal {
  if (x === 0) return { digits: "0", point: 1 };
  const [mant, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  return { digits: mant.replace(".", ""), point: Number(exp) + 1 };
}

/** The exact decimal expansion of |x| (x ≠ 0): every double is m × 2^e,
 *  which is (m × 5^-e) × 10^e for e < 0. toExponential stops at 100 digits. */
function exactDigits(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const be = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (be === 0) e = -1074;
  else {
    m |= 0x10000000000000n;
    e = be - 1075;
  }
  const n = e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e);
  const text = n.toString();
  return { digits: text, point: text.length + Math.min(e, 0) };
}

/** |x| rounded half-to-even to `n` significant digits (n ≥ 1). */
function roundSig(x: number, n: number): Decimal {
  if (x === 0) return { digits: "0".repeat(Math.max(n, 1)), point: 1 };
  let { digits, point } = exactDigits(x);
  if (n < digits.length) {
    const rest = digits.slice(n);
    let keep = digits.slice(0, n);
    const first = rest.charCodeAt(0) - 48;
    const tail = /[1-9]/.test(rest.slice(1));
    const lastKept = n > 0 ? keep.charCodeAt(n - 1) - 48 : 0;
    const up = first > 5 || (first === 5 && (tail || lastKept % 2 === 1));
    if (up) {
      const bumped = (BigInt("1" + keep) + 1n).toString().slice(1);
      if (bumped.length > keep.length || /^0+$/.test(bumped)) {
        // carried into a new leading digit (999 → 1000)
        keep = "1" + "0".repeat(Math.max(n - 1, 0));
        point += 1;
      } else keep = bumped;
    }
    digits = keep;
  } else digits = digits.padEnd(n, "0");
  return { digits, point };
}

/** |x| rounded to `frac` digits after the decimal point. */
function roundFixed(x: number, frac: number): Decimal {
  if (x === 0) return { digits: "0", point: 1 };
  const [, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  const point = Number(exp) + 1;
  const sig = point + frac;
  if (sig <= 0) {
    // the value is below the last kept place: it rounds to 0 or to one unit there
    const half = 0.5 * Math.pow(10, -frac);
    const ax = Math.abs(x);
    if (sig === 0 && ax > half) return { digits: "1", point: 1 - frac };
    return { digits: "0", point: 1 };
  }
  return roundSig(x, sig);
}

function fixedText(d: Decimal, frac: number): string {
  let intPart: string;
  let fracPart: string;
  if (d.digits === "0") {
    intPart = "0";
    fracPart = "";
  } else if (d.point <= 0) {
    intPart = "0";
    fracPart = "0".repeat(-d.point) + d.digits;
  } else {
    intPart = d.digits.slice(0, d.point).padEnd(d.point, "0");
    fracPart = d.digits.slice(d.point);
  }
  fracPart = fracPart.padEnd(frac, "0").slice(0, frac);
  return frac > 0 ? `${intPart}.${fracPart}` : intPart;
}

function expText(d: Decimal, frac: number, upper = false): string {
  const exp = d.digits === "0" || /^0+$/.test(d.digits) ? 0 : d.point - 1;
  const mant = d.digits.slice(0, 1) + (frac > 0 ? "." + d.digits.slice(1).padEnd(frac, "0").slice(0, frac) : "");
  const e = Math.abs(exp);
  return `${mant}${upper ? "E" : "e"}${exp < 0 ? "-" : "+"}${e < 10 ? "0" + e : e}`;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e, E, f, g, G (finite x). */
export function formatFloat(x: number, fmt: "e" | "E" | "f" | "g" | "G", prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const upper = fmt === "E" || fmt === "G";
  if (fmt === "e" || fmt === "E") {
    if (prec < 0) {
      const d = shortest(x);
      return sign + expText(d, d.digits.length - 1, upper);
    }
    return sign + expText(roundSig(x, prec + 1), prec, upper);
  }
  if (fmt === "f") {
    if (prec < 0) {
      const d = shortest(x);
      return sign + fixedText(d, Math.max(d.digits.length - d.point, 0));
    }
    return sign + fixedText(roundFixed(x, prec), prec);
  }
  // 'g': %e if the exponent is < -4 or ≥ the precision (6 when shortest)
  let d: Decimal;
  let eprec: number;
  if (prec < 0) {
    d = shortest(x);
    eprec = 6;
  } else {
    if (prec === 0) prec = 1;
    d = roundSig(x, prec);
    d = { digits: d.digits.replace(/0+$/, "") || "0", point: d.point };
    eprec = prec;
    if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
  }
  const exp = d.digits === "0" ? 0 : d.point - 1;
  if (exp < -4 || exp >= eprec) {
    return sign + expText(d, d.digits.length - 1, upper);
  }
  return sign + fixedText(d, Math.max(d.digits.length - d.point, 0));
}
