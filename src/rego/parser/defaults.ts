// OPA's checks of `default` rules: a value without refs, vars or calls
// (comprehensions aside), and arguments that are distinct vars.
import type { Rule, RuleHead, Term } from "../ast.js";
import { valueName } from "./build.js";
import type { ParserState } from "./state.js";

export function validateDefault(p: ParserState, head: RuleHead, loc: Rule["loc"]): boolean {
  if (!head.value) {
    p.error("illegal default rule (must have a value)", loc);
    return false;
  }
  const bad = forbiddenInDefault(head.value);
  if (bad) {
    p.error(`illegal default rule (value cannot contain ${bad})`, loc);
    return false;
  }
  const seen = new Set<string>();
  for (const arg of head.args ?? []) {
    if (arg.type !== "var") {
      p.error(`illegal default rule (arguments cannot contain ${valueName(arg)})`, loc);
      return false;
    }
    if (arg.name !== "_" && seen.has(arg.name)) {
      p.error(`illegal default rule (arguments cannot be repeated ${arg.name})`, loc);
      return false;
    }
    seen.add(arg.name);
  }
  return true;
}

function forbiddenInDefault(t: Term): string | undefined {
  switch (t.type) {
    case "ref":
    case "var":
    case "call":
      return t.type;
    case "array":
    case "set":
      for (const x of t.items) {
        const bad = forbiddenInDefault(x);
        if (bad) return bad;
      }
      return undefined;
    case "object":
      for (const [k, v] of t.items) {
        const bad = forbiddenInDefault(k) ?? forbiddenInDefault(v);
        if (bad) return bad;
      }
      return undefined;
    case "template":
      for (const x of t.parts) {
        const bad = typeof x === "string" ? undefined : forbiddenInDefault(x);
        if (bad) return bad;
      }
      return undefined;
    default:
      return undefined;
  }
}
