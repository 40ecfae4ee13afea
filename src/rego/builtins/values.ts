// Rego values as host builtins see them: the SDK hands each argument over
// JSON-decoded, so a set arrives as an array and every number as a JS number.
// Builtins may answer an integer beyond 2^53 exactly as a bigint; host.ts
// serializes it digit for digit.

export type Value = null | boolean | number | bigint | string | Value[] | { [key: string]: Value };
export type ObjectValue = { [key: string]: Value };

/** OPA's ast.ValueName: the type name used in error messages and type_name. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
  }
  return Array.isArray(v) ? "array" : "object";
}

export const isObject = (v: unknown): v is ObjectValue => typeof v === "object" && v !== null && !Array.isArray(v);
export const isNumber = (v: unknown): v is number | bigint => typeof v === "number" || typeof v === "bigint";

const typeOrder: Record<string, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5 };

/** Compare strings by code point, as Go compares UTF-8 bytes. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
      if (surrogate(x) || surrogate(y)) return a.codePointAt(i)! - b.codePointAt(i)! < 0 ? -1 : 1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** OPA's ast.Compare order: null < boolean < number < string < array < object. */
export function compareValues(a: Value, b: Value): number {
  const ta = typeOrder[typeName(a)]!;
  const tb = typeOrder[typeName(b)]!;
  if (ta !== tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(a as number, b as number);
    case 3:
      return compareStrings(a as string, b as string);
    case 4: {
      const x = a as Value[];
      const y = b as Value[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
    }
    default: {
      const x = a as ObjectValue;
      const y = b as ObjectValue;
      const kx = Object.keys(x).sort(compareStrings);
      const ky = Object.keys(y).sort(compareStrings);
      for (let i = 0; i < Math.min(kx.length, ky.length); i++) {
        const c = compareStrings(kx[i]!, ky[i]!) || compareValues(x[kx[i]!]!, y[ky[i]!]!);
        if (c !== 0) return c;
      }
      return kx.length < ky.length ? -1 : kx.length > ky.length ? 1 : 0;
    }
  }
}

export const valuesEqual = (a: Value, b: Value): boolean => compareValues(a, b) === 0;

/** A set result: distinct members in OPA's order (how OPA serializes sets). */
export function toSet(items: Iterable<Value>): Value[] {
  const sorted = [...items].sort(compareValues);
  return sorted.filter((v, i) => i === 0 || compareValues(sorted[i - 1]!, v) !== 0);
}

/** Go's strconv.Quote, which OPA uses to print strings inside composite values. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if ((c >= 0x80 && c <= 0x9f) || c === 0xad || (c >= 0xd800 && c <= 0xdfff)) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** A number as OPA prints it (json.Number text). */
export function numberText(n: number | bigint): string {
  if (typeof n === "bigint") return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** A value in Rego syntax, as OPA's Term.String() prints it (sprintf %v of composites). */
export function regoString(v: Value): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return String(v);
    case "number":
    case "bigint":
      return numberText(v);
    case "string":
      return goQuote(v);
  }
  if (Array.isArray(v)) return "[" + v.map(regoString).join(", ") + "]";
  const keys = Object.keys(v).sort(compareStrings);
  return "{" + keys.map((k) => `${goQuote(k)}: ${regoString(v[k]!)}`).join(", ") + "}";
}

/** UTF-8 byte length of a string (Go's len). */
export const byteLength = (s: string): number => Buffer.byteLength(s, "utf8");
