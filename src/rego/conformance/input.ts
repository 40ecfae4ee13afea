// A case's input: `input` as JSON, or `input_term` as Rego term text. A term
// that JSON can carry becomes the input; one with sets (or non-string keys)
// is passed by rewriting the query to `<expr> with input as <term>`.
import type { Term } from "../ast.js";
import { parseQuery, parseTerm } from "../parser/index.js";
import type { ConformanceCase } from "./cases.js";

const NOT_JSON = Symbol("not JSON");

/** The JSON value of a ground term without sets, else NOT_JSON. */
function termToJson(t: Term): unknown {
  switch (t.type) {
    case "null":
      return null;
    case "boolean":
      return t.value;
    case "number":
      return JSON.parse(t.raw.startsWith(".") || t.raw.startsWith("-.") ? t.raw.replace(".", "0.") : t.raw);
    case "string":
      return t.value;
    case "array": {
      const out: unknown[] = [];
      for (const x of t.items) {
        const v = termToJson(x);
        if (v === NOT_JSON) return NOT_JSON;
        out.push(v);
      }
      return out;
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, x] of t.items) {
        if (k.type !== "string") return NOT_JSON;
        const v = termToJson(x);
        if (v === NOT_JSON) return NOT_JSON;
        out[k.value] = v;
      }
      return out;
    }
    default:
      return NOT_JSON;
  }
}

/** Appends `with input as <term>` to every expression of `query`. */
export function withInput(query: string, termText: string): string {
  const body = parseQuery(query);
  const lineStarts = [0];
  for (let i = 0; i < query.length; i++) if (query[i] === "\n") lineStarts.push(i + 1);
  const offset = (row: number, col: number) => lineStarts[row - 1]! + col - 1;
  const starts = body.map((e) => offset(e.loc.row, e.loc.col));
  return body
    .map((e, i) => {
      const text = query.slice(starts[i], starts[i + 1] ?? query.length).replace(/[\s;]+$/, "");
      // a `some x` declaration takes no modifiers
      return e.kind.type === "some" ? text : `${text} with input as ${termText}`;
    })
    .join("; ");
}

export function prepareInput(c: ConformanceCase): { query: string; input: unknown } {
  if (c.input_term === undefined) return { query: c.query, input: c.input };
  const json = termToJson(parseTerm(c.input_term, "<input_term>"));
  if (json !== NOT_JSON) return { query: c.query, input: json };
  return { query: withInput(c.query, c.input_term), input: undefined };
}
