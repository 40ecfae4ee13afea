// Go's time package, as far as OPA's time.* builtins use it: instants in
// nanoseconds (bigint) viewed in an IANA zone (offsets from Intl), Go
// layouts ("2006-01-02T15:04:05Z07:00") for Format and Parse, and
// ParseDuration.

export const NS_PER_MS = 1_000_000n;
export const NS_PER_S = 1_000_000_000n;

/** A zone: UTC, an IANA name, or a fixed offset (from a parsed "-07:00"). */
export type Zone = { kind: "utc" } | { kind: "iana"; name: string } | { kind: "fixed"; offsetSec: number; abbr: string };
export const UTC: Zone = { kind: "utc" };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(name: string): Intl.DateTimeFormat {
  let f = formatters.get(name);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
      timeZoneName: "short",
    });
    formatters.set(name, f);
  }
  return f;
}

/** Throws Go's error for an unknown zone name. */
export function loadZone(name: string): Zone {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return { kind: "iana", name: Intl.DateTimeFormat().resolvedOptions().timeZone };
  try {
    formatterFor(name);
  } catch {
    throw new Error(`unknown time zone ${name}`);
  }
  return { kind: "iana", name };
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** Offset from UTC in seconds, and the zone's abbreviation, at an instant. */
export function zoneOffset(zone: Zone, ns: bigint): { offsetSec: number; abbr: string } {
  if (zone.kind === "utc") return { offsetSec: 0, abbr: "UTC" };
  if (zone.kind === "fixed") return { offsetSec: zone.offsetSec, abbr: zone.abbr };
  const ms = Number(floorDiv(ns, NS_PER_MS));
  const parts = formatterFor(zone.name).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  let year = Number(get("year"));
  if (get("era") === "BC" || get("era") === "B") year = 1 - year;
  const wall = Date.UTC(2000, Number(get("month")) - 1, Number(get("day")), Number(get("hour")), Number(get("minute")), Number(get("second")));
  const d = new Date(wall);
  d.setUTCFullYear(year);
  const offsetSec = Math.round((d.getTime() - (ms - (((ms % 1000) + 1000) % 1000))) / 1000);
  let abbr = get("timeZoneName");
  // Intl spells zones without a common abbreviation "GMT+1"; Go prints "+01"
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(abbr);
  if (m) abbr = `${m[1]}${m[2]!.padStart(2, "0")}${m[3] ?? ""}`;
  else if (abbr === "GMT" && offsetSec === 0 && zone.name !== "GMT" && !zone.name.startsWith("Europe/")) abbr = "UTC";
  return { offsetSec, abbr };
}

/** Civil time fields of an instant in a zone. */
export interface Civil {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  weekday: number; // 0 = Sunday
  yearDay: number; // 1-366
  offsetSec: number;
  abbr: string;
}

export function civil(ns: bigint, zone: Zone): Civil {
  const { offsetSec, abbr } = zoneOffset(zone, ns);
  const local = ns + BigInt(offsetSec) * NS_PER_S;
  const secs = floorDiv(local, NS_PER_S);
  const nanosecond = Number(local - secs * NS_PER_S);
  const d = new Date(Number(secs) * 1000);
  const year = d.getUTCFullYear();
  const start = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  start.setUTCHours(0, 0, 0, 0);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanosecond,
    weekday: d.getUTCDay(),
    yearDay: Math.floor((d.getTime() - start.getTime()) / 86_400_000) + 1,
    offsetSec,
    abbr,
  };
}

/** Go's time.Date: normalizes overflowing fields, then resolves the wall time in the zone. */
export function fromCivil(year: number, month: number, day: number, hour: number, minute: number, second: number, nsec: number, zone: Zone): bigint {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const wallNs = BigInt(d.getTime()) * NS_PER_MS + BigInt(nsec);
  // the offset at the guessed instant, then once more at the corrected one
  let off = zoneOffset(zone, wallNs).offsetSec;
  let ns = wallNs - BigInt(off) * NS_PER_S;
  const off2 = zoneOffset(zone, ns).offsetSec;
  if (off2 !== off) {
    off = off2;
    ns = wallNs - BigInt(off) * NS_PER_S;
  }
  return ns;
}

export const longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
export const longMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export const namedLayouts: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
};

// ---- layouts ----

type Std =
  | "January" | "Jan" | "1" | "01" | "Monday" | "Mon" | "2" | "_2" | "02" | "__2" | "002"
  | "15" | "3" | "03" | "4" | "04" | "5" | "05" | "2006" | "06" | "PM" | "pm" | "MST"
  | "Z0700" | "Z070000" | "Z07" | "Z07:00" | "Z07:00:00" | "-0700" | "-070000" | "-07" | "-07:00" | "-07:00:00"
  | "frac0" | "frac9";

interface Chunk {
  prefix: string;
  std?: Std;
  /** digits of a fractional-second chunk and its separator */
  fracDigits?: number;
  fracSep?: string;
  text?: string;
  suffix: string;
}

const isDigit = (s: string, i: number) => i < s.length && s[i]! >= "0" && s[i]! <= "9";

/** Go's nextStdChunk. */
function nextChunk(layout: string): Chunk {
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i]!;
    const rest = layout.slice(i);
    const hit = (std: Std, len: number): Chunk => ({ prefix: layout.slice(0, i), std, text: rest.slice(0, len), suffix: layout.slice(i + len) });
    switch (c) {
      case "J":
        if (rest.startsWith("Jan")) return rest.startsWith("January") ? hit("January", 7) : hit("Jan", 3);
        break;
      case "M":
        if (rest.startsWith("Mon")) return rest.startsWith("Monday") ? hit("Monday", 6) : hit("Mon", 3);
        if (rest.startsWith("MST")) return hit("MST", 3);
        break;
      case "0":
        if (rest.length >= 2 && rest[1]! >= "1" && rest[1]! <= "6") return hit(("0" + rest[1]) as Std, 2);
        if (rest.startsWith("002")) return hit("002", 3);
        break;
      case "1":
        if (rest.startsWith("15")) return hit("15", 2);
        return hit("1", 1);
      case "2":
        if (rest.startsWith("2006")) return hit("2006", 4);
        return hit("2", 1);
      case "_":
        if (rest.startsWith("_2")) {
          if (rest.startsWith("_2006")) return { prefix: layout.slice(0, i + 1), std: "2006", text: "2006", suffix: layout.slice(i + 5) };
          return hit("_2", 2);
        }
        if (rest.startsWith("__2")) return hit("__2", 3);
        break;
      case "3":
      case "4":
      case "5":
        return hit(c as Std, 1);
      case "P":
        if (rest.startsWith("PM")) return hit("PM", 2);
        break;
      case "p":
        if (rest.startsWith("pm")) return hit("pm", 2);
        break;
      case "-":
        for (const s of ["-07:00:00", "-070000", "-07:00", "-0700", "-07"] as const) if (rest.startsWith(s)) return hit(s, s.length);
        break;
      case "Z":
        for (const s of ["Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"] as const) if (rest.startsWith(s)) return hit(s, s.length);
        break;
      case ".":
      case ",":
        if (rest.length > 1 && (rest[1] === "0" || rest[1] === "9")) {
          const ch = rest[1]!;
          let j = 1;
          while (j < rest.length && rest[j] === ch) j++;
          if (!isDigit(rest, j)) return { prefix: layout.slice(0, i), std: ch === "0" ? "frac0" : "frac9", fracDigits: j - 1, fracSep: c, text: rest.slice(0, j), suffix: layout.slice(i + j) };
        }
        break;
    }
  }
  return { prefix: layout, suffix: "" };
}

const pad = (n: number, w: number) => String(Math.abs(n)).padStart(w, "0");

function formatZone(std: Std, off: number): string {
  if (std.startsWith("Z") && off === 0) return "Z";
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  const kind = std.replace("Z", "-");
  switch (kind) {
    case "-07":
      return sign + h;
    case "-0700":
      return sign + h + m;
    case "-07:00":
      return `${sign}${h}:${m}`;
    case "-070000":
      return sign + h + m + s;
    default:
      return `${sign}${h}:${m}:${s}`;
  }
}

/** Go's Time.Format. */
export function formatTime(ns: bigint, zone: Zone, layout: string): string {
  const t = civil(ns, zone);
  let out = "";
  let rest = layout;
  while (rest) {
    const c = nextChunk(rest);
    out += c.prefix;
    if (!c.std) break;
    rest = c.suffix;
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (c.std) {
      case "2006": {
        const y = t.year;
        out += y < 0 ? "-" + pad(-y, 4) : pad(y, 4);
        break;
      }
      case "06":
        out += pad(((t.year % 100) + 100) % 100, 2);
        break;
      case "January":
        out += longMonths[t.month - 1];
        break;
      case "Jan":
        out += longMonths[t.month - 1]!.slice(0, 3);
        break;
      case "1":
        out += t.month;
        break;
      case "01":
        out += pad(t.month, 2);
        break;
      case "Monday":
        out += longDays[t.weekday];
        break;
      case "Mon":
        out += longDays[t.weekday]!.slice(0, 3);
        break;
      case "2":
        out += t.day;
        break;
      case "_2":
        out += String(t.day).padStart(2, " ");
        break;
      case "02":
        out += pad(t.day, 2);
        break;
      case "__2":
        out += String(t.yearDay).padStart(3, " ");
        break;
      case "002":
        out += pad(t.yearDay, 3);
        break;
      case "15":
        out += pad(t.hour, 2);
        break;
      case "3":
        out += h12;
        break;
      case "03":
        out += pad(h12, 2);
        break;
      case "4":
        out += t.minute;
        break;
      case "04":
        out += pad(t.minute, 2);
        break;
      case "5":
        out += t.second;
        break;
      case "05":
        out += pad(t.second, 2);
        break;
      case "PM":
        out += t.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += t.hour >= 12 ? "pm" : "am";
        break;
      case "MST":
        out += t.abbr || formatZone("-0700", t.offsetSec);
        break;
      case "frac0":
      case "frac9": {
        let digits = pad(t.nanosecond, 9).slice(0, c.fracDigits);
        if (c.std === "frac9") {
          digits = digits.replace(/0+$/, "");
          if (digits) out += c.fracSep + digits;
        } else out += c.fracSep + digits;
        break;
      }
      default:
        out += formatZone(c.std, t.offsetSec);
    }
  }
  return out;
}

// ---- parsing ----

class ParseError extends Error {}

/** Go's time.Parse: returns ns since the epoch, throws Go's error text. */
export function parseTime(layout: string, value: string): bigint {
  const original = value;
  const quote = (s: string) => JSON.stringify(s);
  const fail = (valueElem: string, layoutElem: string, extra = "") =>
    new ParseError(`parsing time ${quote(original)} as ${quote(layout)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}${extra}`);
  const rangeErr = (what: string) => new ParseError(`parsing time ${quote(original)}: ${what} out of range`);
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let zoneOffsetSec: number | undefined;
  let zoneName = "";
  let rest = layout;
  const getNum = (fixed: boolean, maxDigits = 2): number | undefined => {
    if (!isDigit(value, 0)) return undefined;
    if (!isDigit(value, 1)) {
      if (fixed) return undefined;
      const n = Number(value[0]);
      value = value.slice(1);
      return n;
    }
    let len = 2;
    if (maxDigits === 3 && isDigit(value, 2)) len = 3;
    const n = Number(value.slice(0, len));
    value = value.slice(len);
    return n;
  };
  const lookup = (names: string[]): number | undefined => {
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      if (value.length >= n.length && value.slice(0, n.length).toLowerCase() === n.toLowerCase()) {
        value = value.slice(n.length);
        return i;
      }
    }
    return undefined;
  };
  for (;;) {
    const c = nextChunk(rest);
    const stdstr = c.text ?? "";
    // the literal prefix must match exactly (runs of spaces are flexible in Go; kept strict here)
    if (!value.startsWith(c.prefix)) throw fail(value, c.prefix);
    value = value.slice(c.prefix.length);
    if (!c.std) {
      if (value.length !== 0) throw new ParseError(`parsing time ${quote(original)}: extra text: ${quote(value)}`);
      break;
    }
    rest = c.suffix;
    const hold = value;
    let ok = true;
    switch (c.std) {
      case "2006": {
        if (value.length < 4 || !/^\d{4}/.test(value)) ok = false;
        else {
          year = Number(value.slice(0, 4));
          value = value.slice(4);
        }
        break;
      }
      case "06": {
        const n = /^\d{2}/.test(value) ? Number(value.slice(0, 2)) : undefined;
        if (n === undefined) ok = false;
        else {
          year = n >= 69 ? 1900 + n : 2000 + n;
          value = value.slice(2);
        }
        break;
      }
      case "January": {
        const m = lookup(longMonths);
        if (m === undefined) ok = false;
        else month = m + 1;
        break;
      }
      case "Jan": {
        const m = lookup(longMonths.map((x) => x.slice(0, 3)));
        if (m === undefined) ok = false;
        else month = m + 1;
        break;
      }
      case "1":
      case "01": {
        const m = getNum(c.std === "01");
        if (m === undefined) ok = false;
        else if (m <= 0 || m > 12) throw rangeErr("month");
        else month = m;
        break;
      }
      case "Monday":
        if (lookup(longDays) === undefined) ok = false;
        break;
      case "Mon":
        if (lookup(longDays.map((x) => x.slice(0, 3))) === undefined) ok = false;
        break;
      case "2":
      case "_2":
      case "02": {
        if (c.std === "_2" && value[0] === " ") value = value.slice(1);
        const d = getNum(c.std === "02");
        if (d === undefined) ok = false;
        else day = d;
        break;
      }
      case "__2":
      case "002": {
        if (c.std === "__2") value = value.replace(/^ {1,2}/, "");
        const d = getNum(c.std === "002", 3);
        if (d === undefined) ok = false;
        else if (d < 1 || d > 366) throw rangeErr("day-of-year");
        else yday = d;
        break;
      }
      case "15": {
        const h = getNum(false);
        if (h === undefined) ok = false;
        else if (h > 23) throw rangeErr("hour");
        else hour = h;
        break;
      }
      case "3":
      case "03": {
        const h = getNum(c.std === "03");
        if (h === undefined) ok = false;
        else if (h > 12) throw rangeErr("hour");
        else hour = h;
        break;
      }
      case "4":
      case "04": {
        const m = getNum(c.std === "04");
        if (m === undefined) ok = false;
        else if (m > 59) throw rangeErr("minute");
        else min = m;
        break;
      }
      case "5":
      case "05": {
        const s = getNum(c.std === "05");
        if (s === undefined) {
          ok = false;
          break;
        }
        if (s > 59) throw rangeErr("second");
        sec = s;
        // fractional seconds after the seconds field, even if the layout has none
        if (value.length >= 2 && (value[0] === "." || value[0] === ",") && isDigit(value, 1)) {
          const next = nextChunk(rest);
          if (next.std === "frac0" || next.std === "frac9") break;
          let n = 2;
          while (isDigit(value, n)) n++;
          nsec = Number(value.slice(1, n).padEnd(9, "0").slice(0, 9));
          value = value.slice(n);
        }
        break;
      }
      case "PM":
      case "pm": {
        const p = value.slice(0, 2);
        const up = c.std === "PM" ? p : p.toUpperCase();
        if (up === "PM") pmSet = true;
        else if (up === "AM") amSet = true;
        else ok = false;
        if (ok) value = value.slice(2);
        break;
      }
      case "MST": {
        const m = /^(UTC|GMT[+-]\d{1,2}|GMT|[A-Z]{3,5}|[+-]\d{2,4})/.exec(value);
        if (!m) ok = false;
        else {
          zoneName = m[1]!;
          value = value.slice(zoneName.length);
          const g = /^GMT([+-])(\d{1,2})$/.exec(zoneName);
          if (g) zoneOffsetSec = (g[1] === "-" ? -1 : 1) * Number(g[2]) * 3600;
          else if (zoneName === "UTC" || zoneName === "GMT") zoneOffsetSec = 0;
        }
        break;
      }
      case "frac0":
      case "frac9": {
        const ndigit = c.fracDigits!;
        if (c.std === "frac0") {
          if (value.length < ndigit + 1 || (value[0] !== "." && value[0] !== ",") || !/^\d+$/.test(value.slice(1, ndigit + 1))) {
            ok = false;
            break;
          }
          nsec = Number(value.slice(1, ndigit + 1).padEnd(9, "0"));
          value = value.slice(ndigit + 1);
        } else {
          if (value.length < 2 || (value[0] !== "." && value[0] !== ",") || !isDigit(value, 1)) break;
          let n = 1;
          while (n < 10 && isDigit(value, n)) n++;
          nsec = Number(value.slice(1, n).padEnd(9, "0"));
          value = value.slice(n);
        }
        break;
      }
      default: {
        // numeric zones; "Z…" accepts a literal Z for UTC
        if (c.std.startsWith("Z") && value[0] === "Z") {
          value = value.slice(1);
          zoneOffsetSec = 0;
          zoneName = "UTC";
          break;
        }
        const shape = c.std.replace("Z", "-");
        const patterns: Record<string, RegExp> = {
          "-07": /^([+-])(\d{2})/,
          "-0700": /^([+-])(\d{2})(\d{2})/,
          "-07:00": /^([+-])(\d{2}):(\d{2})/,
          "-070000": /^([+-])(\d{2})(\d{2})(\d{2})/,
          "-07:00:00": /^([+-])(\d{2}):(\d{2}):(\d{2})/,
        };
        const m = patterns[shape]!.exec(value);
        if (!m) {
          ok = false;
          break;
        }
        const off = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
        zoneOffsetSec = m[1] === "-" ? -off : off;
        value = value.slice(m[0].length);
      }
    }
    if (!ok) throw fail(hold, stdstr);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const d = new Date(0);
    d.setUTCFullYear(year, 0, yday);
    if (yday > (leap ? 366 : 365)) throw rangeErr("day-of-year");
    if (month >= 0 && d.getUTCMonth() + 1 !== month) throw new ParseError(`parsing time ${quote(original)}: day-of-year does not match month`);
    if (day >= 0 && d.getUTCDate() !== day) throw new ParseError(`parsing time ${quote(original)}: day-of-year does not match day`);
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  const dim = new Date(Date.UTC(2000, month, 0));
  const probe = new Date(0);
  probe.setUTCFullYear(year, month, 0);
  if (day < 1 || day > probe.getUTCDate()) throw rangeErr("day");
  void dim;
  const zone: Zone = zoneOffsetSec !== undefined ? { kind: "fixed", offsetSec: zoneOffsetSec, abbr: zoneName } : UTC;
  return fromCivil(year, month, day, hour, min, sec, nsec, zone);
}

export { ParseError };

const unitNs: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  "\u00b5s": 1000n,
  "\u03bcs": 1000n,
  ms: 1_000_000n,
  s: NS_PER_S,
  m: 60n * NS_PER_S,
  h: 3600n * NS_PER_S,
};

/** Go's time.ParseDuration. */
export function parseDuration(s: string): bigint {
  const orig = s;
  const bad = () => new ParseError(`time: invalid duration ${JSON.stringify(orig)}`);
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw bad();
  let total = 0n;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (m[0] === "" || m[0] === "." || (m[1] === "" && (m[2] ?? "") === "")) throw bad();
    s = s.slice(m[0].length);
    const u = /^[^0-9.]+/.exec(s);
    if (!u) throw new ParseError(`time: missing unit in duration ${JSON.stringify(orig)}`);
    const unit = unitNs[u[0]];
    if (unit === undefined) throw new ParseError(`time: unknown unit ${JSON.stringify(u[0])} in duration ${JSON.stringify(orig)}`);
    s = s.slice(u[0].length);
    let v = BigInt(m[1] || "0") * unit;
    const frac = m[2] ?? "";
    if (frac) v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > 2n ** 63n - 1n) throw bad();
  }
  return neg ? -total : total;
}
