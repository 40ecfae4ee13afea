// The Rego abstract syntax tree: what the parser produces and the compiler
// consumes. It mirrors OPA's `ast` package closely enough that OPA's
// documentation of a construct applies, but it is plain data (no methods), so
// the parser knows nothing of evaluation and the compiler can rewrite it freely.
//
// Positions are 1-based rows and columns; `col` counts UTF-16 code units.

export interface Location {
  file: string;
  row: number;
  col: number;
}

// ---------------------------------------------------------------------------
// Terms

export interface NullTerm {
  type: "null";
  loc: Location;
}
export interface BooleanTerm {
  type: "boolean";
  value: boolean;
  loc: Location;
}
/** A number literal. `raw` is the literal's text (e.g. `1.0`, `1e3`,
 *  `123456789123456789123`), kept so that precision is never lost before the
 *  runtime decides how to represent it. */
export interface NumberTerm {
  type: "number";
  raw: string;
  loc: Location;
}
export interface StringTerm {
  type: "string";
  value: string;
  loc: Location;
}
/** A variable. The wildcard `_` is kept as name "_"; the compiler renames each
 *  occurrence to a fresh variable. Names the compiler generates contain `$`,
 *  which user code cannot spell (OPA's own generated names, `__local0__`,
 *  are ordinary identifiers that user code may use). */
export interface VarTerm {
  type: "var";
  name: string;
  loc: Location;
}
/** A reference: `input.a[x].b`, `data.p`, `f(x).y`, `[1, 2][i]`.
 *  `terms[0]` is the head (a var for ordinary refs, but any term is allowed:
 *  a call, an array, an object, a comprehension); the rest are the selectors.
 *  `a.b` is stored as a string term "b", `a[x]` as the term x. */
export interface RefTerm {
  type: "ref";
  terms: Term[];
  loc: Location;
}
export interface ArrayTerm {
  type: "array";
  items: Term[];
  loc: Location;
}
export interface ObjectTerm {
  type: "object";
  items: [Term, Term][];
  loc: Location;
}
export interface SetTerm {
  type: "set";
  items: Term[];
  loc: Location;
}
export interface ArrayComprehension {
  type: "arraycomp";
  term: Term;
  body: Body;
  loc: Location;
}
export interface SetComprehension {
  type: "setcomp";
  term: Term;
  body: Body;
  loc: Location;
}
export interface ObjectComprehension {
  type: "objectcomp";
  key: Term;
  value: Term;
  body: Body;
  loc: Location;
}
/** A call: `count(x)`, `a.b.f(x, y)`, and every infix operator.
 *  `op` is the function's name as a ref (`count` → ref [var count];
 *  `data.lib.f` → ref [var data, "lib", "f"]). Operators are desugared to the
 *  builtin OPA uses for them:
 *    `==` equal, `!=` neq, `<` lt, `<=` lte, `>` gt, `>=` gte,
 *    `+` plus, `-` minus, `*` mul, `/` div, `%` rem, `&` and, `|` or,
 *    `x in c` internal.member_2(x, c), `k, v in c` internal.member_3(k, v, c).
 *  Unary minus on a non-literal is `minus(0, x)` as in OPA.
 *  A call expression with one more argument than the function's arity binds
 *  the output (`count(x, n)`), exactly as in OPA. */
export interface CallTerm {
  type: "call";
  op: RefTerm;
  args: Term[];
  loc: Location;
}
/** String interpolation: `$"a {x} b"` or `` $`raw {x}` ``. `parts` alternate
 *  literal text and embedded terms, in source order. */
export interface TemplateTerm {
  type: "template";
  parts: (string | Term)[];
  /** `with` modifiers of an embedded expression (`{a with input as x}`),
   *  keyed by the index of its term in `parts`; absent when there are none. */
  withs?: Record<number, With[]>;
  loc: Location;
}

export type ScalarTerm = NullTerm | BooleanTerm | NumberTerm | StringTerm;
export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm
  | TemplateTerm;

// ---------------------------------------------------------------------------
// Expressions and bodies

/** `with <target> as <value>`; target is a ref rooted at input, data, or a
 *  function/builtin name. */
export interface With {
  target: RefTerm;
  value: Term;
  loc: Location;
}

/** A bare term as a statement: a ref, a call, a literal (`true`), etc. */
export interface TermExpr {
  type: "term";
  term: Term;
}
/** `lhs = rhs` (unification). */
export interface UnifyExpr {
  type: "unify";
  lhs: Term;
  rhs: Term;
}
/** `lhs := rhs` (local assignment; lhs is a var or a composite of vars). */
export interface AssignExpr {
  type: "assign";
  lhs: Term;
  rhs: Term;
}
/** `some x, y` — declares local variables. */
export interface SomeDeclExpr {
  type: "some";
  vars: VarTerm[];
}
/** `some v in c` / `some k, v in c`. */
export interface SomeInExpr {
  type: "somein";
  key?: Term;
  value: Term;
  collection: Term;
}
/** `every v in c { body }` / `every k, v in c { body }`. */
export interface EveryExpr {
  type: "every";
  key?: Term;
  value: Term;
  domain: Term;
  body: Body;
}

export type ExprKind = TermExpr | UnifyExpr | AssignExpr | SomeDeclExpr | SomeInExpr | EveryExpr;

export interface Expr {
  kind: ExprKind;
  /** `not <expr>` */
  negated: boolean;
  with: With[];
  loc: Location;
}

export type Body = Expr[];

// ---------------------------------------------------------------------------
// Rules

/** A rule head, as in OPA's `ast.Head`:
 *  - `p := 1`, `p = 1`, `p if …` (value true): ref [p], value
 *  - `a.b.c := 1`: ref [a, "b", "c"], value
 *  - `p contains x`, v0 `p[x] { … }`: ref [p], key x, `contains` true
 *  - `a.b[x] contains y`: ref [a, "b", x], key y, `contains` true
 *  - `p[k] := v`, v0 `p[k] = v { … }`: ref [p, k], value v
 *  - `f(x, y) := v`, `f(x) if …`: ref [f], args [x, y], value
 *  `ref[0]` is always a var term. `value` is absent only for set rules
 *  (`contains`); `p if { … }` gets value `true` from the parser. */
export interface RuleHead {
  ref: Term[];
  args?: Term[];
  key?: Term;
  value?: Term;
  /** `:=` (true) or `=` / implicit (false). */
  assign: boolean;
  /** a partial set rule (`contains`, or v0 `p[x]` without a value) */
  contains: boolean;
  loc: Location;
}

export interface Rule {
  head: RuleHead;
  /** `default p := v` — body is empty. */
  isDefault: boolean;
  /** Empty when the rule has no body (`p := 1`). */
  body: Body;
  /** `else [= value] [if] { body }`: each else is a rule with the same ref
   *  and args whose head carries its own value (true when none is given). */
  else?: Rule;
  /** METADATA annotations written directly above this rule. */
  annotations?: Annotation[];
  loc: Location;
}

export interface Import {
  /** `input.x.y` or `data.a.b` or `future.keywords.in` or `rego.v1` */
  path: RefTerm;
  alias?: string;
  loc: Location;
}

export interface Package {
  /** The path below `data`: `package a.b` → ["a", "b"] as string terms
   *  (a package may contain any ground string selector: `package a["b-c"]`). */
  path: StringTerm[];
  loc: Location;
}

/** A `# METADATA` comment block, its YAML already parsed. `scope` defaults as
 *  OPA's do: `package` above a package clause, `rule` above a rule. */
export interface Annotation {
  scope: "package" | "subpackages" | "rule" | "document";
  /** The YAML mapping in the block (title, description, custom, …). */
  data: Record<string, unknown>;
  loc: Location;
}

export interface Comment {
  text: string;
  loc: Location;
}

export interface Module {
  file: string;
  /** The syntax the module was parsed with. */
  regoVersion: 0 | 1;
  package: Package;
  imports: Import[];
  rules: Rule[];
  /** Every METADATA block in the module, package-scoped ones included. */
  annotations: Annotation[];
  comments: Comment[];
}
