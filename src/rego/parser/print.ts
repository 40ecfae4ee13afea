// Terms as Rego text, for error messages (OPA quotes rule heads and refs).
import type { Term } from "../ast.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function termText(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.raw;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref":
      return refText(t.terms);
    case "array":
      return `[${t.items.map(termText).join(", ")}]`;
    case "set":
      return t.items.length === 0 ? "set()" : `{${t.items.map(termText).join(", ")}}`;
    case "object":
      return `{${t.items.map(([k, v]) => `${termText(k)}: ${termText(v)}`).join(", ")}}`;
    case "call":
      return `${termText(t.op)}(${t.args.map(termText).join(", ")})`;
    case "arraycomp":
      return `[${termText(t.term)} | …]`;
    case "setcomp":
      return `{${termText(t.term)} | …}`;
    case "objectcomp":
      return `{${termText(t.key)}: ${termText(t.value)} | …}`;
    case "template":
      return `$"${t.parts.map((x) => (typeof x === "string" ? x : `{${termText(x)}}`)).join("")}"`;
  }
}

/** `a.b[x]["c-d"]`, as OPA prints refs. */
export function refText(terms: Term[]): string {
  let out = terms.length > 0 ? termText(terms[0]!) : "";
  for (const t of terms.slice(1)) {
    out += t.type === "string" && IDENT.test(t.value) ? `.${t.value}` : `[${termText(t)}]`;
  }
  return out;
}
