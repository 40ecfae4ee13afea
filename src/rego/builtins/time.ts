// time.* builtins over gotime.ts. Timestamps are int64 nanoseconds; results
// beyond 2^53 are returned as bigints so they stay exact.
import { int, str, typeError } from "./args.js";
import { builtinError } from "./errors.js";
import { intValue } from "./decimal.js";
import { civil, formatTime, fromCivil, loadZone, longDays, namedLayouts, parseDuration, parseTime, ParseError, UTC, type Zone } from "./gotime.js";
import type { Value } from "./values.js";
import type { BuiltinContext, BuiltinImpl } from "./types.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** OPA's tzTime: ns, [ns, tz] or [ns, tz, layout]. */
function tzTime(a: Value | undefined): { ns: bigint; zone: Zone; layout: string } {
  let n: Value | undefined;
  let zone: Zone = UTC;
  let layout = "";
  const expect = "either number (ns) or [number (ns), string (tz)]";
  if (Array.isArray(a)) {
    if (a.length === 0) throw typeError(1, a, expect);
    n = a[0];
    if (typeof n !== "number" && typeof n !== "bigint") throw typeError(1, n, "number");
    if (a.length > 1) {
      const tz = a[1];
      if (typeof tz !== "string") throw typeError(1, tz, "string");
      try {
        zone = loadZone(tz);
      } catch (e) {
        throw builtinError((e as Error).message);
      }
    }
    if (a.length > 2) {
      const l = a[2];
      if (typeof l !== "string") throw typeError(1, l, "string");
      layout = l;
    }
  } else if (typeof a === "number" || typeof a === "bigint") n = a;
  else throw typeError(1, a, expect);
  let ns: bigint;
  if (typeof n === "bigint") ns = n;
  else {
    if (!Number.isInteger(n)) throw builtinError("timestamp too big");
    ns = BigInt(n);
  }
  if (ns < INT64_MIN || ns > INT64_MAX) throw builtinError("timestamp too big");
  return { ns, zone, layout };
}

function safeNs(ns: bigint): number | bigint {
  if (ns < INT64_MIN || ns > INT64_MAX) throw builtinError("time outside of valid range");
  return intValue(ns);
}

function goParse(f: () => bigint): number | bigint {
  try {
    return safeNs(f());
  } catch (e) {
    if (e instanceof ParseError) throw builtinError(e.message);
    throw e;
  }
}

function diff(a: ReturnType<typeof tzTime>, b: ReturnType<typeof tzTime>): number[] {
  // both seen in the first argument's zone, earlier one first
  let [t1, t2] = a.ns <= b.ns ? [a.ns, b.ns] : [b.ns, a.ns];
  const c1 = civil(t1, a.zone);
  const c2 = civil(t2, a.zone);
  void t1;
  void t2;
  let year = c2.year - c1.year;
  let month = c2.month - c1.month;
  let day = c2.day - c1.day;
  let hour = c2.hour - c1.hour;
  let min = c2.minute - c1.minute;
  let sec = c2.second - c1.second;
  if (sec < 0) {
    sec += 60;
    min--;
  }
  if (min < 0) {
    min += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    // days in c1's month: Date(y1, M1, 32) normalizes into the next month
    const d = new Date(0);
    d.setUTCFullYear(c1.year, c1.month - 1, 32);
    day += 32 - d.getUTCDate();
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, min, sec];
}

const NUMBER_TEXT = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([-+]?[0-9]+))?$/;

/** OPA's tzTime takes a number as a big.Float of 64 bits (rounded to nearest
 *  even) that must be an integer: the integer a number's literal text gives
 *  so, or 0.5 if none (tzTime: "timestamp too big", after the zone's checks). */
function nsOfText(m: RegExpExecArray): bigint | number {
  const sig = (m[2]! + (m[3] ?? "")).replace(/^0+/, "");
  if (sig === "") return 0;
  const exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  const mag = sig.length + exp; // digits before the point
  // below 1 and not 0; or beyond int64 (tzTime's range check says the same)
  if (mag <= 0 || mag > 20) return 0.5;
  const digits = BigInt(sig);
  let ns: bigint;
  if (exp >= 0) ns = digits * 10n ** BigInt(exp);
  else {
    const den = 10n ** BigInt(-exp);
    const frac = 64 - (digits / den).toString(2).length;
    if (frac < 0) return 0.5;
    const num = digits << BigInt(frac);
    let r = num / den;
    const rem2 = (num % den) * 2n;
    if (rem2 > den || (rem2 === den && (r & 1n) === 1n)) r++;
    const unit = 1n << BigInt(frac);
    if (r % unit !== 0n) return 0.5;
    ns = r / unit;
  }
  return m[1] === "-" ? -ns : ns;
}

/** A nanosecond operand as the time natives send it: a string of number
 *  text is a number (a policy's own strings arrive as ""). */
function exactNs(a: unknown): unknown {
  if (typeof a === "string") {
    const m = NUMBER_TEXT.exec(a);
    return m ? nsOfText(m) : a;
  }
  if (Array.isArray(a) && typeof a[0] === "string") {
    const m = NUMBER_TEXT.exec(a[0]);
    if (m) return [nsOfText(m), ...a.slice(1)];
  }
  return a;
}

/** The implementation behind `writ.exact_ns.<name>`, the host builtin the
 *  native time builtins call (src/rego/wasm/runtime/builtins/time.ts):
 *  `impl` with its nanosecond operands (the first, and for time.diff the
 *  second) taken exactly. */
export function exactNsImpl(name: string, impl: BuiltinImpl): BuiltinImpl {
  const nsOperands = name === "time.diff" ? 2 : 1;
  return (...args) => impl(...(args.map((a, i) => (i < nsOperands ? exactNs(a) : a)) as Value[]));
}

export function timeBuiltins(ctx: BuiltinContext): Record<string, BuiltinImpl> {
  return {
    "time.now_ns": () => intValue(ctx.now()),
    "time.parse_ns"(layout, value) {
      const l = str(layout, 1);
      const v = str(value, 2);
      return goParse(() => parseTime(namedLayouts[l] ?? l, v));
    },
    "time.parse_rfc3339_ns": (value) => {
      const v = str(value, 1);
      return goParse(() => parseTime(namedLayouts["RFC3339"]!, v));
    },
    "time.parse_duration_ns"(d) {
      const s = str(d, 1);
      try {
        return intValue(parseDuration(s));
      } catch (e) {
        if (e instanceof ParseError) throw builtinError(e.message);
        throw e;
      }
    },
    "time.format"(a) {
      const t = tzTime(a);
      const layout = t.layout === "" ? namedLayouts["RFC3339Nano"]! : (namedLayouts[t.layout] ?? t.layout);
      return formatTime(t.ns, t.zone, layout);
    },
    "time.date"(a) {
      const t = tzTime(a);
      const c = civil(t.ns, t.zone);
      return [c.year, c.month, c.day];
    },
    "time.clock"(a) {
      const t = tzTime(a);
      const c = civil(t.ns, t.zone);
      return [c.hour, c.minute, c.second];
    },
    "time.weekday"(a) {
      const t = tzTime(a);
      return longDays[civil(t.ns, t.zone).weekday]!;
    },
    "time.add_date"(a, y, m, d) {
      const t = tzTime(a);
      const years = int(y, 2);
      const months = int(m, 3);
      const days = int(d, 4);
      const c = civil(t.ns, t.zone);
      return safeNs(fromCivil(c.year + years, c.month + months, c.day + days, c.hour, c.minute, c.second, c.nanosecond, t.zone));
    },
    "time.diff": (a, b) => diff(tzTime(a), tzTime(b)),
  };
}
