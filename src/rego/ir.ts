// The planner's intermediate representation: what the planner (front end)
// produces from compiled Rego and the Wasm emitter (back end) consumes.
//
// It follows OPA's planner IR (`v1/ir/ir.go`) closely, because that IR is the
// proven shape for lowering Rego to the OPA Wasm ABI:
//  - a policy holds static strings, the builtins it uses, functions (one per
//    rule or Rego function) and plans (one per entrypoint);
//  - code is a list of blocks; a block runs its statements in order and stops
//    at the first statement that is *undefined* (a failed comparison, a
//    missing key, a call that returned undefined); execution then continues
//    after the block;
//  - `Break` leaves N enclosing blocks (0 = the innermost block that
//    contains it);
//  - `Scan`, `Not`, `With` and `Block` carry nested blocks.
//
// Locals are numbered per function or plan. In functions, locals 0 and 1 are
// the `input` and `data` parameters, the user's arguments follow; in plans the
// emitter sets up locals 0 (input) and 1 (data) as well. A local holds a
// value address or 0 (unset / undefined).
//
// Values are immutable once built, except that a value freshly made by a Make*
// statement may be filled by ArrayAppend / ObjectInsert / SetAdd before it is
// shared. The emitter may therefore cache and share values freely.

export type Local = number;

export type Operand =
  | { kind: "local"; local: Local }
  | { kind: "bool"; value: boolean }
  /** a string value from the policy's static strings */
  | { kind: "string"; index: number };

/** Where a statement came from, for runtime error messages
 *  (`file:row:col: eval_conflict_error: …`). `file` indexes `Policy.files`. */
export interface StmtLocation {
  file: number;
  row: number;
  col: number;
}

export interface Block {
  stmts: Stmt[];
}

// --- calls -----------------------------------------------------------------

/** Call a policy function (`Func.name`) or a builtin (`BuiltinDecl.name`).
 *  For policy functions the first two args are always input and data.
 *  Undefined when the callee returns undefined. A builtin that fails is
 *  undefined, or raises `eval_builtin_error`/`eval_type_error` when the policy
 *  is compiled with strict builtin errors. */
export interface CallStmt {
  type: "call";
  func: string;
  args: Operand[];
  result: Local;
  loc: StmtLocation;
}

// --- lookups ---------------------------------------------------------------

/** target = source[key]: object key, array index (a number), or set member
 *  (the member itself). Undefined when absent or when source is not a
 *  collection. */
export interface DotStmt {
  type: "dot";
  source: Operand;
  key: Operand;
  target: Local;
  loc: StmtLocation;
}

/** target = the number of elements of an array, object, set, or the number
 *  of code points of a string. Undefined for other types. */
export interface LenStmt {
  type: "len";
  source: Operand;
  target: Local;
  loc: StmtLocation;
}

/** For each element of `source` (array: index, element; object: key, value;
 *  set: member, member), set `key` and `value` and run `block`. Undefined when
 *  source is not a collection. Iteration order: arrays by index, objects by
 *  key and sets by member, in Rego's value order (as OPA iterates them).
 *  Scan itself is always defined otherwise, whatever the block does. */
export interface ScanStmt {
  type: "scan";
  source: Local;
  key: Local;
  value: Local;
  block: Block;
  loc: StmtLocation;
}

/** Defined when `block` is undefined (runs to its end never), and vice versa. */
export interface NotStmt {
  type: "not";
  block: Block;
  loc: StmtLocation;
}

/** Run each block in turn (each one may be undefined without stopping the
 *  others); the statement itself is defined. Used for disjunction. */
export interface BlockStmt {
  type: "block";
  blocks: Block[];
  loc: StmtLocation;
}

/** Leave `index`+1 enclosing IR blocks, counting outward from the block that
 *  contains the Break (0 leaves that block, like an undefined statement).
 *  Every IR Block counts once: those of BlockStmt, and the bodies of Scan
 *  (leaving a Scan body at depth 0 ends the iteration; at depth 1 it ends
 *  the Scan and leaves the block that contains it), Not and With, and the
 *  top-level blocks of a function or plan. */
export interface BreakStmt {
  type: "break";
  index: number;
  loc: StmtLocation;
}

/** Run `block` with `local` (an input or data local) replaced by a copy in
 *  which `path` (static string indices; empty = the whole value) is set to
 *  `value`. Rule results memoised outside the block are not used inside it. */
export interface WithStmt {
  type: "with";
  local: Local;
  path: number[];
  value: Operand;
  block: Block;
  loc: StmtLocation;
}

// --- assignment ------------------------------------------------------------

export interface AssignIntStmt {
  type: "assignint";
  value: number;
  target: Local;
  loc: StmtLocation;
}

export interface AssignVarStmt {
  type: "assignvar";
  source: Operand;
  target: Local;
  loc: StmtLocation;
}

/** Assign if target is unset; if it is set to an equal value, nothing; if it
 *  is set to a different value, abort with an `eval_conflict_error`:
 *  `conflict` says which message ("rule": complete rules must not produce
 *  multiple outputs; "function": functions must not produce multiple outputs
 *  for same inputs). */
export interface AssignVarOnceStmt {
  type: "assignvaronce";
  source: Operand;
  target: Local;
  conflict: "rule" | "function";
  loc: StmtLocation;
}

/** Unset a local (set it to 0). */
export interface ResetLocalStmt {
  type: "resetlocal";
  target: Local;
  loc: StmtLocation;
}

// --- construction ----------------------------------------------------------

export interface MakeNullStmt {
  type: "makenull";
  target: Local;
  loc: StmtLocation;
}
/** A number from a 32-bit signed integer. */
export interface MakeNumberIntStmt {
  type: "makenumberint";
  value: number;
  target: Local;
  loc: StmtLocation;
}
/** A number parsed from the literal text in static string `index`
 *  (arbitrary precision literals must survive). */
export interface MakeNumberRefStmt {
  type: "makenumberref";
  index: number;
  target: Local;
  loc: StmtLocation;
}
export interface MakeArrayStmt {
  type: "makearray";
  capacity: number;
  target: Local;
  loc: StmtLocation;
}
export interface MakeObjectStmt {
  type: "makeobject";
  target: Local;
  loc: StmtLocation;
}
export interface MakeSetStmt {
  type: "makeset";
  target: Local;
  loc: StmtLocation;
}
/** A constant value, `Policy.constants[index]`, built once per module
 *  instance and shared (never mutate it). */
export interface MakeConstStmt {
  type: "makeconst";
  index: number;
  target: Local;
  loc: StmtLocation;
}

export interface ArrayAppendStmt {
  type: "arrayappend";
  value: Operand;
  array: Local;
  loc: StmtLocation;
}
/** object[key] = value, replacing an existing value. */
export interface ObjectInsertStmt {
  type: "objectinsert";
  key: Operand;
  value: Operand;
  object: Local;
  loc: StmtLocation;
}
/** object[key] = value; aborts with `eval_conflict_error` ("object keys must
 *  be unique") if key is present with a different value. */
export interface ObjectInsertOnceStmt {
  type: "objectinsertonce";
  key: Operand;
  value: Operand;
  object: Local;
  loc: StmtLocation;
}
/** target = a deep merge of objects a and b (b's non-object values lose to
 *  a's, as OPA's ObjectMergeStmt); undefined unless both are objects. */
export interface ObjectMergeStmt {
  type: "objectmerge";
  a: Local;
  b: Local;
  target: Local;
  loc: StmtLocation;
}
export interface SetAddStmt {
  type: "setadd";
  value: Operand;
  set: Local;
  loc: StmtLocation;
}

// --- tests -----------------------------------------------------------------

export interface EqualStmt {
  type: "equal";
  a: Operand;
  b: Operand;
  loc: StmtLocation;
}
export interface NotEqualStmt {
  type: "notequal";
  a: Operand;
  b: Operand;
  loc: StmtLocation;
}
export interface IsTypeStmt {
  type: "isarray" | "isobject" | "isset";
  source: Operand;
  loc: StmtLocation;
}
export interface IsDefinedStmt {
  type: "isdefined" | "isundefined";
  source: Local;
  loc: StmtLocation;
}

// --- results ---------------------------------------------------------------

/** Plans only: add `value` to the result set (a set: duplicates collapse). */
export interface ResultSetAddStmt {
  type: "resultsetadd";
  value: Local;
  loc: StmtLocation;
}
/** Functions only: the value the function returns (0 = undefined). */
export interface ReturnLocalStmt {
  type: "returnlocal";
  source: Local;
  loc: StmtLocation;
}

export interface NopStmt {
  type: "nop";
  loc: StmtLocation;
}

export type Stmt =
  | CallStmt
  | DotStmt
  | LenStmt
  | ScanStmt
  | NotStmt
  | BlockStmt
  | BreakStmt
  | WithStmt
  | AssignIntStmt
  | AssignVarStmt
  | AssignVarOnceStmt
  | ResetLocalStmt
  | MakeNullStmt
  | MakeNumberIntStmt
  | MakeNumberRefStmt
  | MakeArrayStmt
  | MakeObjectStmt
  | MakeSetStmt
  | MakeConstStmt
  | ArrayAppendStmt
  | ObjectInsertStmt
  | ObjectInsertOnceStmt
  | ObjectMergeStmt
  | SetAddStmt
  | EqualStmt
  | NotEqualStmt
  | IsTypeStmt
  | IsDefinedStmt
  | ResultSetAddStmt
  | ReturnLocalStmt
  | NopStmt;

// --- top level -------------------------------------------------------------

/** A rule or a Rego function. `params` are locals 0..n-1: input, data, then
 *  the function's arguments. The function's value is what a ReturnLocal
 *  statement returns; falling off the end returns undefined.
 *  `memoize` (only for functions with exactly input and data as params):
 *  the emitter may cache the result for the rest of the evaluation, dropping
 *  the cache inside `With` blocks. */
export interface Func {
  name: string;
  params: Local[];
  /** total locals used, params included */
  locals: number;
  blocks: Block[];
  memoize: boolean;
  /** data path of the rule, for diagnostics */
  path: string[];
}

/** One entrypoint: `name` is its slash-separated data path
 *  (e.g. `example/allow`) or a query name. Its blocks add binding objects to
 *  the result set with ResultSetAdd. Locals 0 and 1 are input and data. */
export interface Plan {
  name: string;
  locals: number;
  blocks: Block[];
}

/** A builtin the policy calls. `native`: implemented inside the Wasm runtime;
 *  otherwise the module imports it from the host via `opa_builtinN` under id
 *  `id` (listed by the module's `builtins()` export). */
export interface BuiltinDecl {
  name: string;
  arity: number;
  native: boolean;
  id: number;
}

export interface Policy {
  /** static strings (UTF-16 JS strings; the emitter encodes them as UTF-8) */
  strings: string[];
  /** constant values as JSON text (ground values without sets), referenced
   *  by MakeConst; built once per module instance */
  constants: string[];
  files: string[];
  builtins: BuiltinDecl[];
  funcs: Func[];
  plans: Plan[];
  /** raise builtin errors instead of making the call undefined */
  strictBuiltinErrors: boolean;
}
