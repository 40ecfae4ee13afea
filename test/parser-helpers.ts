// Helpers for the parser tests: ASTs without locations, for comparisons.
import type { Term } from "../src/rego/ast.js";
import { parseTerm } from "../src/rego/parser/index.js";

/** A deep copy of `x` without `loc` fields. */
export function strip<V>(x: V): V {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "loc" ? undefined : v)));
}

/** A term as compact text, for asserting structure and precedence:
 *  calls as `name(a, b)`, refs as `ref(h, s…)`, vars bare, strings quoted. */
export function show(t: Term): string {
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
      return `ref(${t.terms.map(show).join(", ")})`;
    case "call":
      return `${t.op.terms.map((x) => (x.type === "string" ? x.value : show(x))).join(".")}(${t.args.map(show).join(", ")})`;
    case "array":
      return `[${t.items.map(show).join(", ")}]`;
    case "set":
      return `set(${t.items.map(show).join(", ")})`;
    case "object":
      return `{${t.items.map(([k, v]) => `${show(k)}: ${show(v)}`).join(", ")}}`;
    case "arraycomp":
      return `arraycomp(${show(t.term)} | ${t.body.length})`;
    case "setcomp":
      return `setcomp(${show(t.term)} | ${t.body.length})`;
    case "objectcomp":
      return `objectcomp(${show(t.key)}: ${show(t.value)} | ${t.body.length})`;
    case "template":
      return `template(${t.parts.map((p) => (typeof p === "string" ? JSON.stringify(p) : show(p))).join(", ")})`;
  }
}

export const term = (src: string) => show(parseTerm(src));
