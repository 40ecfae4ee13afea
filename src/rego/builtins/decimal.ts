// Exact decimal arithmetic on BigInt rationals, for builtins where OPA uses
// Go's big.Rat/big.Float (units.*) and a double would round visibly.

export interface Rational {
  num: bigint;
  den: bigint;
}

/** Parse a decimal like "-1.25e3" exactly; undefined if it is not one. */
export function parseDecimal(s: string): Rational | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const digits = (m[2] ?? "") + (m[3] ?? "");
  let num = BigInt(digits || "0");
  if (m[1] === "-") num = -num;
  const exp = Number(m[4] ?? "0") - (m[3] ?? "").length;
  if (exp >= 0) return { num: num * 10n ** BigInt(exp), den: 1n };
  return reduce({ num, den: 10n ** BigInt(-exp) });
}

const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
};

export function reduce(r: Rational): Rational {
  const g = gcd(r.num, r.den) || 1n;
  return { num: r.num / g, den: r.den / g };
}

export const mul = (a: Rational, b: Rational): Rational => reduce({ num: a.num * b.num, den: a.den * b.den });

/** big.Rat.FloatString(digits): rounded half away from zero to `digits` places. */
export function floatString(r: Rational, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const neg = r.num < 0n;
  const n = neg ? -r.num : r.num;
  let q = (n * scale) / r.den;
  const rem = (n * scale) % r.den;
  if (rem * 2n >= r.den) q += 1n;
  const s = q.toString().padStart(digits + 1, "0");
  const text = digits > 0 ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return (neg ? "-" : "") + text;
}

/** An integer result as a JS number when exact, else as a bigint. */
export function intValue(i: bigint): number | bigint {
  return i >= BigInt(Number.MIN_SAFE_INTEGER) && i <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(i) : i;
}
