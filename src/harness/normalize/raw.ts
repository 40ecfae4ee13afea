// The harness's raw tool input goes to the policy as `action.raw`, bounded:
// a Write of a megabyte must not make the request too large for the
// service (which would turn into a deny for a reason nobody meant).

const MAX_STRING = 16 * 1024;
const MAX_TOTAL = 64 * 1024;
const MAX_DEPTH = 16;

export function boundedRaw(v: unknown): unknown {
  const out = bound(v, 0);
  if (JSON.stringify(out ?? null).length <= MAX_TOTAL) return out;
  return { truncated: true, note: "tool input too large to pass on" };
}

function bound(v: unknown, depth: number): unknown {
  if (typeof v === "string") return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…[${v.length - MAX_STRING} more characters]` : v;
  if (depth >= MAX_DEPTH || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.slice(0, 1024).map((x) => bound(x, depth + 1));
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = bound(x, depth + 1);
  return o;
}
