// What StyraInc/regal's `regal test` adds to OPA's tester (cmd/test.go,
// pkg/builtins): the builtins regal.last, regal.parse_module and
// regal.is_formatted, and data.internal.capabilities (OPA's capabilities for
// the running version). regal.last is ported. regal.parse_module returns
// regal's "RoAST" encoding of OPA's AST, whose every node carries the exact
// source span OPA's parser gives it, and regal.is_formatted runs `opa fmt`:
// neither is ported (writ's parser keeps start positions only), so they have
// no result here.
import { builtinCatalog } from "../../dist/src/rego/builtins/catalog.js";

const S = { type: "string" };
const A = { type: "any" };
const fn = (args, result) => ({ type: "function", args, result });
const OBJ = { type: "object", dynamic: { key: S, value: A } };
const notPorted = (name) => () => {
  throw new Error(`${name} is not ported`);
};

export const builtins = [
  { name: "regal.last", decl: fn([{ type: "array", dynamic: A }], A), impl: (a) => (Array.isArray(a) && a.length > 0 ? a[a.length - 1] : undefined) },
  { name: "regal.parse_module", decl: fn([S, S], OBJ), impl: notPorted("regal.parse_module") },
  { name: "regal.is_formatted", decl: fn([S, OBJ], { type: "boolean" }), impl: notPorted("regal.is_formatted") },
];

/** OPA's capabilities document, as ast.CapabilitiesForThisVersion() marshals it. */
function capabilities() {
  const builtins = Object.values(builtinCatalog)
    .filter((b) => !b.name.startsWith("regal."))
    .map((b) => ({ name: b.name, decl: { type: "function", args: b.args, ...(b.result ? { result: b.result } : {}), ...(b.variadic ? { variadic: b.variadic } : {}) }, ...(b.infix ? { infix: b.infix } : {}), ...(b.relation ? { relation: true } : {}), ...(b.nondeterministic ? { nondeterministic: true } : {}) }));
  return {
    builtins,
    future_keywords: ["contains", "every", "if", "in"],
    wasm_abi_versions: [{ version: 1, minor_version: 1 }, { version: 1, minor_version: 2 }],
    features: ["rego_v1", "rule_head_ref_string_prefixes", "rule_head_refs"],
  };
}

export const data = { internal: { capabilities: capabilities() } };
