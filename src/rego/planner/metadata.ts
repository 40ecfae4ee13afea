// rego.metadata.rule() and rego.metadata.chain(): the METADATA annotations
// around the rule being evaluated, known at compile time and planned as
// constants, shaped as OPA returns them.
import type { Annotation, Module } from "../ast.js";
import type { CompiledRule } from "../compiler/types.js";

/** One annotation as OPA's JSON form: `scope` plus the documented fields,
 *  with authors and related resources in their object form. */
function annotationJSON(a: Annotation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(a.data)) {
    if (key === "authors" && Array.isArray(value)) out.authors = value.map(author);
    else if (key === "related_resources" && Array.isArray(value)) {
      out.related_resources = value.map((r) => (typeof r === "string" ? { ref: r } : r));
    } else out[key] = value;
  }
  out.scope = a.scope;
  return out;
}

/** "Jane Doe <jane@example.com>" → {name, email}, as OPA parses authors. */
function author(a: unknown): unknown {
  if (typeof a !== "string") return a;
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(a.trim());
  if (!m) return a.includes("@") && !a.includes(" ") ? { email: a.trim() } : { name: a.trim() };
  const out: Record<string, string> = {};
  if (m[1]) out.name = m[1];
  if (m[2]) out.email = m[2];
  return out;
}

export function metadataRule(rule: CompiledRule): unknown {
  const own = rule.annotations?.find((a) => a.scope === "rule");
  return own ? annotationJSON(own) : {};
}

export function metadataChain(rule: CompiledRule, modules: Module[], siblings: CompiledRule[]): unknown[] {
  const pkg = rule.module.package.path.map((s) => s.value);
  const chain: unknown[] = [];
  const entry = (path: string[], a?: Annotation) => (a ? { annotations: annotationJSON(a), path } : { path });
  const own = rule.annotations?.find((a) => a.scope === "rule");
  chain.push(entry(rule.path, own));
  for (const s of siblings) {
    const doc = s.annotations?.find((a) => a.scope === "document");
    if (doc) {
      chain.push(entry(rule.path, doc));
      break;
    }
  }
  const samePackage = (m: Module, path: string[]) =>
    m.package.path.length === path.length && m.package.path.every((s, i) => s.value === path[i]);
  const pkgAnnotation = (path: string[], scope: Annotation["scope"]) => {
    for (const m of modules) {
      if (!samePackage(m, path)) continue;
      const a = m.annotations.find((x) => x.scope === scope);
      if (a) return a;
    }
    return undefined;
  };
  const p = pkgAnnotation(pkg, "package");
  if (p) chain.push(entry(pkg, p));
  for (let n = pkg.length; n >= 1; n--) {
    const sub = pkgAnnotation(pkg.slice(0, n), "subpackages");
    if (sub) chain.push(entry(pkg.slice(0, n), sub));
  }
  return chain;
}
