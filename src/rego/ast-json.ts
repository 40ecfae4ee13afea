// A parsed module (./ast.ts) as OPA's AST JSON: what `opa parse --format json`
// prints and what `rego.parse_module` returns, without locations (OPA
// marshals none by default).
//
// The shapes follow OPA's v1/ast MarshalJSON methods (policy.go, term.go):
//   Module   {package, imports?, rules?, comments?}   (annotations only when
//            the parser processes them, which rego.parse_module does not)
//   Package  {path: [var data, string…]}
//   Import   {path: ref term, alias?}
//   Rule     {head, body, default?, else?}
//   Head     {name?, ref, key?, value?, args?, assign?}
//   Expr     {index, terms, negated?, with?}; terms is one term, the terms of
//            a call ([operator ref, args…]), a SomeDecl {symbols} or an
//            Every {key (null when absent), value, domain, body}
//   With     {target, value}
//   Term     {type, value}: null's value is {} (Go marshals struct{} so),
//            objects are [[key, value]…] and sets [elem…], both in OPA's
//            sorted order; comprehensions {term, body} / {key, value, body};
//            refs and calls are arrays of terms.
//
// What writ's parser desugars is put back the way OPA's parser leaves it:
// `a = b` is the call eq(a, b), `a := b` assign(a, b), `some x in c` a
// SomeDecl whose symbol is the call internal.member_2(x, c), a rule without a
// body gets OPA's generated body `true`, and each wildcard `_` is numbered
// `$0`, `$1`… in source order as OPA's parser numbers them.
//
// The parser stays free of this: this file only reads the AST.
import type { Body, Expr, Module, RefTerm, Rule, RuleHead, Term, VarTerm, With } from "./ast.js";
import { isGround } from "./compiler/terms.js";

/** OPA AST JSON. Numbers are JS numbers, or bigints beyond 2^53. */
export type AstJson = null | boolean | number | bigint | string | AstJson[] | { [key: string]: AstJson };
type Obj = { [key: string]: AstJson };

/** Converts one module (a fresh numbering of its wildcards). */
export function moduleToOpaJson(module: Module): Obj {
  return new Serializer().module(module);
}

class Serializer {
  private wildcard = 0;

  module(m: Module): Obj {
    const out: Obj = {
      package: { path: [term("var", "data"), ...m.package.path.map((s) => term("string", s.value))] },
    };
    if (m.imports.length > 0) {
      out.imports = m.imports.map((imp) => {
        const o: Obj = { path: this.ref(imp.path) };
        if (imp.alias) o.alias = imp.alias;
        return o;
      });
    }
    if (m.rules.length > 0) out.rules = m.rules.map((r) => this.rule(r));
    if (m.comments.length > 0) {
      // Comment has no JSON tags: Go's field names, the text as []byte
      // (base64), and its location always (OPA keeps it "for legacy reasons").
      out.comments = m.comments.map((c) => ({
        Text: Buffer.from(c.text, "utf8").toString("base64"),
        Location: { file: c.loc.file, row: c.loc.row, col: c.loc.col },
      }));
    }
    return out;
  }

  rule(r: Rule, original?: RuleHead): Obj {
    const head = this.head(r, original);
    const out: Obj = { head, body: r.body.length > 0 ? this.body(r.body) : generatedBody() };
    if (r.isDefault) out.default = true;
    if (r.else) out.else = this.rule(r.else, original ?? r.head);
    return out;
  }

  /** OPA's parseHead/parseRules/parseElse decide name and key; see there. */
  private head(r: Rule, original?: RuleHead): Obj {
    const h = r.head;
    const base = original ?? h;
    const ref = base.ref;
    const generatedValue = h.value !== undefined && isGeneratedTrue(h.value, h);
    const out: Obj = {};
    const refJson = ref.map((t) => this.term(t));
    let name: string | undefined;
    let key: Term | undefined;
    if (ref.length === 1) name = (ref[0] as VarTerm).name;
    if (base.contains) {
      key = base.key;
    } else if (ref.length === 2 && !r.isDefault && !base.args) {
      // `p[x] if …` keys a non-ground (or ref) selector; `p[x] = v if …` and
      // the bodiless `p[x] := v` also carry the name (for compatibility)
      const hasIf = r.body.length > 0 || original !== undefined;
      const sel = ref[1]!;
      if (hasIf) {
        if (!isGround(sel) || sel.type === "ref") key = sel;
        if (!isGeneratedTrue(base.value, base)) name = (ref[0] as VarTerm).name;
      } else {
        name = (ref[0] as VarTerm).name;
        key = sel;
      }
    }
    if (name !== undefined) out.name = name;
    out.ref = refJson;
    // an else re-reads the head's args: OPA numbers their wildcards afresh
    if (base.args) out.args = base.args.map((a) => this.term(a));
    if (key) out.key = key === ref[1] ? refJson[1]! : this.term(key);
    if (h.value) out.value = generatedValue ? term("boolean", true) : this.term(h.value);
    // an `else` without a value keeps the head's `:=` in OPA (a copy of the head)
    if (original && generatedValue ? original.assign : h.assign) out.assign = true;
    return out;
  }

  body(b: Body): AstJson[] {
    return b.map((e, i) => this.expr(e, i));
  }

  expr(e: Expr, index: number): Obj {
    const k = e.kind;
    let terms: AstJson;
    switch (k.type) {
      case "term":
        terms = k.term.type === "call" ? [this.ref(k.term.op), ...k.term.args.map((a) => this.term(a))] : this.term(k.term);
        break;
      case "unify":
        terms = [opRef("eq"), this.term(k.lhs), this.term(k.rhs)];
        break;
      case "assign":
        terms = [opRef("assign"), this.term(k.lhs), this.term(k.rhs)];
        break;
      case "some":
        terms = { symbols: k.vars.map((v) => this.term(v)) };
        break;
      case "somein": {
        const args = k.key ? [this.term(k.key), this.term(k.value)] : [this.term(k.value)];
        args.push(this.term(k.collection));
        terms = { symbols: [term("call", [opRef("internal", k.key ? "member_3" : "member_2"), ...args])] };
        break;
      }
      case "every": {
        const key = k.key ? this.term(k.key) : null;
        const value = this.term(k.value);
        const domain = this.term(k.domain);
        terms = { key, value, domain, body: this.body(k.body) };
        break;
      }
    }
    const out: Obj = { index, terms };
    if (e.with.length > 0) out.with = e.with.map((w) => this.with(w));
    if (e.negated) out.negated = true;
    return out;
  }

  private with(w: With): Obj {
    return { target: this.ref(w.target), value: this.term(w.value) };
  }

  term(t: Term): Obj {
    switch (t.type) {
      case "null":
        return term("null", {});
      case "boolean":
        return term("boolean", t.value);
      case "number":
        return term("number", numberValue(t.raw));
      case "string":
        return term("string", t.value);
      case "var":
        return term("var", this.wildcardName(t.name));
      case "ref":
        // a lone `input`/`data` is a var in OPA's AST; only with targets,
        // import paths and call operators are one-element refs
        if (t.terms.length === 1) return this.term(t.terms[0]!);
        return this.ref(t);
      case "array":
        return term("array", t.items.map((x) => this.term(x)));
      case "set": {
        const items = t.items.map((x) => this.term(x));
        return term("set", dedupeSorted(items));
      }
      case "object": {
        const items = t.items.map(([k, v]) => [this.term(k), this.term(v)] as [Obj, Obj]);
        items.sort((a, b) => compareTerms(a[0], b[0]));
        const out: AstJson[] = [];
        for (const [k, v] of items) {
          // a repeated key keeps its last value (OPA's object insert replaces)
          const last = out[out.length - 1] as [Obj, Obj] | undefined;
          if (last && compareTerms(last[0], k) === 0) last[1] = v;
          else out.push([k, v]);
        }
        return term("object", out);
      }
      case "arraycomp": {
        const x = this.term(t.term);
        return term("arraycomprehension", { term: x, body: this.body(t.body) });
      }
      case "setcomp": {
        const x = this.term(t.term);
        return term("setcomprehension", { term: x, body: this.body(t.body) });
      }
      case "objectcomp": {
        const key = this.term(t.key);
        const value = this.term(t.value);
        return term("objectcomprehension", { key, value, body: this.body(t.body) });
      }
      case "call":
        return term("call", [this.ref(t.op), ...t.args.map((a) => this.term(a))]);
      case "template": {
        // OPA's TemplateString: literal text as string terms, each embedded
        // expression as an Expr. Whether the literal was raw (`multi_line`)
        // is not kept in writ's AST; it is reported false.
        const parts = t.parts.map((p, i) => {
          if (typeof p === "string") return term("string", p);
          const expr: Expr = { kind: { type: "term", term: p }, negated: false, with: t.withs?.[i] ?? [], loc: p.loc };
          return this.expr(expr, 0);
        });
        return term("templatestring", { parts, multi_line: false });
      }
    }
  }

  /** a ref term, even of one element */
  private ref(t: RefTerm): Obj {
    return term("ref", t.terms.map((x) => this.term(x)));
  }

  private wildcardName(name: string): string {
    return name === "_" ? `$${this.wildcard++}` : name;
  }
}

function term(type: string, value: AstJson): Obj {
  return { type, value };
}

function opRef(head: string, ...rest: string[]): Obj {
  return term("ref", [term("var", head), ...rest.map((s) => term("string", s))]);
}

/** OPA gives a rule without a body the body `true`. */
function generatedBody(): AstJson[] {
  return [{ index: 0, terms: term("boolean", true) }];
}

/** The `true` OPA's parser puts in a head without a value: writ places it at
 *  the head's own location, which no written `true` can have. */
function isGeneratedTrue(v: Term | undefined, h: RuleHead): boolean {
  return v !== undefined && v.type === "boolean" && v.value === true && v.loc.row === h.loc.row && v.loc.col === h.loc.col;
}

function numberValue(raw: string): number | bigint {
  if (/^-?\d+$/.test(raw)) {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : BigInt(raw);
  }
  return Number(raw);
}

function dedupeSorted(items: Obj[]): AstJson[] {
  items.sort(compareTerms);
  return items.filter((x, i) => i === 0 || compareTerms(items[i - 1]!, x) !== 0);
}

// OPA's ast.Compare order on (serialized) terms: by kind first, then by value.
const KIND_ORDER: Record<string, number> = {
  null: 0,
  boolean: 1,
  number: 2,
  string: 3,
  var: 4,
  ref: 5,
  array: 6,
  object: 7,
  set: 8,
  arraycomprehension: 9,
  objectcomprehension: 10,
  setcomprehension: 11,
  call: 12,
  templatestring: 13,
};

export function compareTerms(a: Obj, b: Obj): number {
  const ka = KIND_ORDER[a.type as string] ?? 99;
  const kb = KIND_ORDER[b.type as string] ?? 99;
  if (ka !== kb) return ka - kb;
  const va = a.value;
  const vb = b.value;
  switch (a.type) {
    case "null":
      return 0;
    case "boolean":
      return va === vb ? 0 : va ? 1 : -1;
    case "number": {
      const x = va as number | bigint;
      const y = vb as number | bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "string":
    case "var":
      // Go compares strings by their UTF-8 bytes
      return Buffer.compare(Buffer.from(va as string, "utf8"), Buffer.from(vb as string, "utf8"));
    case "ref":
    case "array":
    case "set":
    case "call":
      return compareSlices(va as Obj[], vb as Obj[], compareTerms);
    case "object":
      return compareSlices(va as [Obj, Obj][], vb as [Obj, Obj][], (x, y) => compareTerms(x[0], y[0]) || compareTerms(x[1], y[1]));
    case "arraycomprehension":
    case "setcomprehension": {
      const x = va as Obj;
      const y = vb as Obj;
      return compareTerms(x.term as Obj, y.term as Obj) || compareText(x.body, y.body);
    }
    case "objectcomprehension": {
      const x = va as Obj;
      const y = vb as Obj;
      return compareTerms(x.key as Obj, y.key as Obj) || compareTerms(x.value as Obj, y.value as Obj) || compareText(x.body, y.body);
    }
    default:
      return compareText(va, vb);
  }
}

function compareSlices<T>(a: T[], b: T[], cmp: (x: T, y: T) => number): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmp(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Bodies (inside comprehensions used as keys or set members, which is rare):
 *  compared by their JSON text, which is deterministic but not OPA's order. */
function compareText(a: AstJson, b: AstJson): number {
  const x = JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  const y = JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  return x < y ? -1 : x > y ? 1 : 0;
}
