// Result sets compared as OPA's test harness does: as sets of binding
// objects, optionally with array values sorted and generated vars dropped.

export interface CompareOptions {
  sortBindings?: boolean;
  ignoreGeneratedVars?: boolean;
}

/** JSON with object keys sorted, so equal values print equally. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

function normalizeBinding(b: unknown, options: CompareOptions): unknown {
  if (b === null || typeof b !== "object" || Array.isArray(b)) return b;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) {
    if (options.ignoreGeneratedVars && k.startsWith("__localq")) continue;
    out[k] = options.sortBindings && Array.isArray(v) ? [...v].sort((x, y) => compareText(canonical(x), canonical(y))) : v;
  }
  return out;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The distinct canonical bindings of a result set, sorted. */
export function normalizeResultSet(rs: unknown[], options: CompareOptions): string[] {
  return [...new Set(rs.map((b) => canonical(normalizeBinding(b, options))))].sort(compareText);
}

/** Why `got` differs from `want`, or undefined when they are equal as sets. */
export function diffResultSets(want: unknown[], got: unknown, options: CompareOptions): string | undefined {
  if (!Array.isArray(got)) return `expected a result set, got ${canonical(got)}`;
  const w = normalizeResultSet(want, options);
  const g = normalizeResultSet(got, options);
  if (w.length === g.length && w.every((x, i) => x === g[i])) return undefined;
  return `expected [${w.join(", ")}], got [${g.join(", ")}]`;
}
