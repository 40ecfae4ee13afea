// The planner's mutable state: the policy being built, the block being
// filled, variable bindings and the `with` context. The planning functions
// (terms.ts, unify.ts, refs.ts, rules.ts, exprs.ts) all work on one
// PlannerState, in continuation-passing style: each takes an `iter` callback
// that plans "the rest" inside the innermost block the current construct
// opened (so the rest of a rule body runs inside every loop its refs opened).
import type { Location } from "../ast.js";
import type { Block, BuiltinDecl, Func, Local, Operand, Stmt, StmtLocation } from "../ir.js";
import type { CompiledPolicy, CompiledRule } from "../compiler/types.js";
import { isNativeBuiltin } from "../wasm/natives.js";
import { hostAlias } from "../builtins/aliases.js";

export type Iter = () => void;

export const INPUT: Local = 0;
export const DATA: Local = 1;

/** A `with` replacement of a function or builtin: calls to `target` are
 *  planned as calls to `func` (a builtin name or `data…` path), or evaluate
 *  to the value stored in the data document at `valuePath`. */
export interface FunctionMock {
  target: string;
  func?: { kind: "builtin"; name: string } | { kind: "rule"; path: string[] };
  valuePath?: string[];
}

/** Where `with f as <value>` keeps its values inside the data document. */
export const MOCK_ROOT = "\u0000with";

export class PlannerError extends Error {
  constructor(
    message: string,
    readonly location: Location,
  ) {
    super(message);
  }
}

export class PlannerState {
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly constants: string[] = [];
  private readonly constantIndex = new Map<string, number>();
  readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  readonly builtins = new Map<string, BuiltinDecl>();
  private nextBuiltinId = 0;
  readonly funcs: Func[] = [];
  /** planned rule functions, by with-context key + node path */
  readonly funcCache = new Map<string, string>();
  private funcCounter = 0;

  /** the block statements are appended to */
  curr: Block = { stmts: [] };
  /** variable bindings: a stack of frames, innermost last */
  vars: Map<string, Local>[] = [new Map()];
  /** the operand holding the value of the last planned term */
  ltarget: Operand = { kind: "bool", value: false };
  nextLocal = 2;
  loc: StmtLocation = { file: 0, row: 0, col: 0 };

  /** data paths replaced by `with` in the code being planned: rules at or
   *  below them are not evaluated; the data local holds the replacement */
  shadows: string[][] = [];
  /** function and builtin replacements made by `with` */
  mocks: FunctionMock[] = [];
  mockCounter = 0;
  /** the rule whose body is being planned (for rego.metadata.*) */
  currentRule: CompiledRule | undefined;

  constructor(
    readonly policy: CompiledPolicy,
    readonly strict: boolean,
  ) {}

  // --- constants -----------------------------------------------------------

  string(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  stringOperand(s: string): Operand {
    return { kind: "string", index: this.string(s) };
  }

  constant(json: string): number {
    let i = this.constantIndex.get(json);
    if (i === undefined) {
      i = this.constants.length;
      this.constants.push(json);
      this.constantIndex.set(json, i);
    }
    return i;
  }

  file(name: string): number {
    let i = this.fileIndex.get(name);
    if (i === undefined) {
      i = this.files.length;
      this.files.push(name);
      this.fileIndex.set(name, i);
    }
    return i;
  }

  builtin(name: string, arity: number): BuiltinDecl {
    let d = this.builtins.get(name);
    if (!d) {
      const native = isNativeBuiltin(name);
      d = native ? { name, arity, native, id: -1 } : { name: hostAlias(name), arity, native, id: this.nextBuiltinId++ };
      this.builtins.set(name, d);
    }
    return d;
  }

  funcName(path: string[]): string {
    return `g${this.funcCounter++}.data.${path.join(".")}`;
  }

  // --- code ----------------------------------------------------------------

  setLocation(loc: Location): void {
    this.loc = { file: this.file(loc.file), row: loc.row, col: loc.col };
  }

  newLocal(): Local {
    return this.nextLocal++;
  }

  /** Appends a statement (its location is the current one) to `block`. */
  emit(stmt: DistributiveOmit<Stmt, "loc">, block: Block = this.curr): void {
    (stmt as Stmt).loc = this.loc;
    block.stmts.push(stmt as Stmt);
  }

  /** How many IR blocks enclose the code being planned (every Block is made
   *  by inBlock), so that a Break can leave exactly to a chosen block. */
  depth = 0;

  /** Plans `fn` into a fresh block and returns it; `curr` is restored. */
  inBlock(fn: () => void): Block {
    const prev = this.curr;
    const block: Block = { stmts: [] };
    this.curr = block;
    this.depth++;
    try {
      fn();
    } finally {
      this.curr = prev;
      this.depth--;
    }
    return block;
  }

  /** Runs `fn` with a new variable frame; bindings made inside are dropped. */
  scoped<T>(fn: () => T): T {
    this.vars.push(new Map());
    try {
      return fn();
    } finally {
      this.vars.pop();
    }
  }

  lookupVar(name: string): Local | undefined {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const l = this.vars[i]!.get(name);
      if (l !== undefined) return l;
    }
    return undefined;
  }

  bindVar(name: string, local: Local): void {
    this.vars[this.vars.length - 1]!.set(name, local);
  }

  /** The current target as a local (copying a constant operand if needed). */
  targetLocal(): Local {
    const t = this.ltarget;
    if (t.kind === "local") return t.local;
    const l = this.newLocal();
    this.emit({ type: "assignvar", source: t, target: l });
    return l;
  }

  /** A key identifying the current `with` context, for function caching. */
  contextKey(): string {
    if (this.shadows.length === 0 && this.mocks.length === 0) return "";
    return JSON.stringify([
      this.shadows.map((p) => p.join("\u0000")).sort(),
      this.mocks.map((m) => [m.target, m.func ?? null, m.valuePath ?? null]),
    ]);
  }

  /** True when rules at `path` are replaced by a `with` on data. */
  isShadowed(path: readonly string[]): boolean {
    return this.shadows.some((s) => s.length <= path.length && s.every((k, i) => path[i] === k));
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
