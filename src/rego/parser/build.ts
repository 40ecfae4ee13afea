// Small constructors for AST nodes, so the grammar code reads as grammar.
import type { CallTerm, Location, RefTerm, StringTerm, Term, VarTerm } from "../ast.js";

export const varTerm = (name: string, loc: Location): VarTerm => ({ type: "var", name, loc });
export const stringTerm = (value: string, loc: Location): StringTerm => ({ type: "string", value, loc });

/** The ref naming a builtin or function, e.g. `plus` or `internal.member_2`. */
export function opRef(name: string, loc: Location): RefTerm {
  const [head, ...rest] = name.split(".");
  return { type: "ref", terms: [varTerm(head!, loc), ...rest.map((s) => stringTerm(s, loc))], loc };
}

export const callTerm = (op: RefTerm, args: Term[], loc: Location): CallTerm => ({ type: "call", op, args, loc });

export const ROOT_DOCUMENTS: ReadonlySet<string> = new Set(["data", "input"]);

/** The name of a call's function as OPA prints it (`count`, `internal.member_2`). */
export function opName(op: RefTerm): string | undefined {
  let out = "";
  for (const [i, t] of op.terms.entries()) {
    if (i === 0 && t.type === "var") out = t.name;
    else if (i > 0 && t.type === "string") out += `.${t.value}`;
    else return undefined;
  }
  return out;
}

/** A term without variables (ground), as OPA's IsGround. */
export function isGround(t: Term): boolean {
  switch (t.type) {
    case "var":
      return false;
    case "ref":
      // as OPA's Ref.IsGround: the head (a var naming a document) does not count
      return t.terms.slice(1).every(isGround);
    case "array":
    case "set":
      return t.items.every(isGround);
    case "object":
      return t.items.every(([k, v]) => isGround(k) && isGround(v));
    case "call":
      return t.args.every(isGround) && isGround(t.op);
    case "template":
      return t.parts.every((p) => typeof p === "string" || isGround(p));
    case "arraycomp":
    case "setcomp":
    case "objectcomp":
      return false;
    default:
      return true;
  }
}

/** OPA's name for the kind of a value, used in error messages. */
export function valueName(t: Term): string {
  switch (t.type) {
    case "arraycomp":
      return "arraycomprehension";
    case "setcomp":
      return "setcomprehension";
    case "objectcomp":
      return "objectcomprehension";
    case "template":
      return "templatestring";
    default:
      return t.type;
  }
}
