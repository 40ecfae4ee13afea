// The type errors OPA's checker reports, worded as OPA words them: a first
// line (`count: invalid argument(s)`, `undefined ref: data.a.p.x`,
// `match error`) and detail lines, each after a newline and a tab.
import type { Location, Term } from "../../ast.js";
import { displayName } from "../safety.js";
import { termText } from "../../parser/print.js";
import { argsString, compareKeys, typeString, type Key, type Maybe, type Type } from "./types.js";

export interface TypeProblem {
  message: string;
  loc: Location;
  /** caused by a type the checker could not infer: OPA drops such an error
   *  when a more specific one (in a ref or closure of the same expression)
   *  explains it */
  nilCaused: boolean;
}

/** How a function is shown in "want: (…)": argument types, names when OPA
 *  declares them. */
export interface WantArgs {
  args: readonly Maybe[];
  names?: readonly (string | undefined)[];
  variadic?: Type;
}

function problem(loc: Location, first: string, lines: string[], nilCaused: boolean): TypeProblem {
  return { message: [first, ...lines].join("\n\t"), loc, nilCaused };
}

export function argError(loc: Location, fn: string, what: string, have: readonly Maybe[], want: WantArgs, nilCaused: boolean): TypeProblem {
  return problem(loc, `${fn}: ${what}`, [`have: (${have.map(typeString).join(", ")})`, `want: ${argsString(want.args, want.variadic, want.names)}`], nilCaused);
}

export function matchError(loc: Location, left: Maybe, right: Maybe, nilCaused: boolean): TypeProblem {
  return problem(loc, "match error", [`left  : ${typeString(left)}`, `right : ${typeString(right)}`], nilCaused);
}

/** Prints terms with the user's variable names (and calls the checker took
 *  out of an expression as the calls they were). */
export type TermPrinter = (t: Term) => string;

export function printerFor(calls: ReadonlyMap<string, Term>): TermPrinter {
  const rename = (t: Term): Term => {
    switch (t.type) {
      case "var":
        return calls.has(t.name) ? rename(calls.get(t.name)!) : { ...t, name: displayName(t.name) };
      case "ref":
        return { ...t, terms: t.terms.map(rename) };
      case "call":
        return { ...t, args: t.args.map(rename) };
      case "array":
      case "set":
        return { ...t, items: t.items.map(rename) };
      case "object":
        return { ...t, items: t.items.map(([k, v]) => [rename(k), rename(v)] as [Term, Term]) };
      default:
        return t;
    }
  };
  return (t) => termText(rename(t));
}

function refText(terms: readonly Term[], print: TermPrinter): string {
  return print({ type: "ref", terms: [...terms], loc: terms[0]!.loc });
}

/** `undefined ref`: selector `pos` of the ref is not a key the value at
 *  `pos - 1` can have. */
export function refInvalid(
  terms: readonly Term[],
  pos: number,
  have: Maybe,
  want: Maybe,
  oneOf: readonly Key[],
  print: TermPrinter,
): TypeProblem {
  const text = refText(terms, print);
  const pad = " ".repeat(refText(terms.slice(0, pos), print).length + 1);
  const lines = [text, `${pad}^`];
  lines.push(have !== undefined ? `${pad}have (type): ${typeString(have)}` : `${pad}have: ${print(terms[pos]!)}`);
  lines.push(oneOf.length > 0 ? `${pad}want (one of): [${oneOf.map(keyText).join(" ")}]` : `${pad}want (type): ${typeString(want)}`);
  return problem(terms[0]!.loc, `undefined ref: ${text}`, lines, false);
}

/** `undefined ref`: the value at `pos` (a scalar, a function) has no
 *  members. */
export function refUnsupported(terms: readonly Term[], pos: number, have: Maybe, print: TermPrinter): TypeProblem {
  const text = refText(terms, print);
  const lines = [text, "^".repeat(refText(terms.slice(0, pos + 1), print).length), `have: ${typeString(have)}`];
  return problem(terms[0]!.loc, `undefined ref: ${text}`, lines, false);
}

/** A key as Rego prints it (strings quoted). */
function keyText(k: Key): string {
  return k.t === "string" ? JSON.stringify(k.v) : k.t === "number" ? k.raw : k.t === "null" ? "null" : String(k.v);
}

export function sortedKeys(ks: Iterable<Key>): Key[] {
  const out: Key[] = [];
  for (const k of ks) if (!out.some((x) => compareKeys(x, k) === 0)) out.push(k);
  return out.sort(compareKeys);
}
