// Planner IR function and plan bodies -> Wasm code. IR blocks become Wasm
// blocks, an undefined statement branches out of the innermost one, Scan is
// a counted loop over the runtime's iteration helpers, and every value
// operation is a call into the runtime.
import type { Block, BuiltinDecl, Func, Operand, Plan, Stmt, StmtLocation } from "../ir.js";
import { ByteWriter } from "./encoder.js";
import { blocksMax } from "./ir-locals.js";
import type { DataLayout } from "./layout.js";
import { BLOCKTYPE_VOID, I32, OP } from "./opcodes.js";
import type { RuntimeFuncs } from "./runtime-funcs.js";
import { HOST_FALLBACK_STRICT, nativeRaisesConflicts } from "./natives.js";

/** Everything a function body needs to know about the rest of the module. */
export interface CodegenContext {
  fns: RuntimeFuncs;
  layout: DataLayout;
  files: string[];
  strings: string[];
  /** IR function name -> Wasm function index */
  funcIndex: Map<string, number>;
  /** IR function name -> memo slot (memoised functions only) */
  memoSlot: Map<string, number>;
  /** address of the runtime's memo state: [table, generation, counter] */
  memoState: number;
  /** IR function name -> its lasting memo table (argument-pure functions of
   *  one argument: results kept across evaluations, see pure.ts) */
  lasting: Map<string, number>;
  /** address of the runtime's [floor, epoch] for lasting memos */
  lastingState: number;
  builtins: Map<string, BuiltinDecl>;
  /** native builtin name -> runtime function index */
  natives: Map<string, number>;
  /** natives with a host fallback -> the host builtin id passed to them */
  hostFallbacks: Map<string, number>;
  /** host builtins whose results must be turned back into sets */
  setResults: Set<string>;
  /** host builtins OPA marks nondeterministic: cached per evaluation */
  nondeterministic: Set<string>;
  /** MakeConst index -> table slot address */
  constSlots: number[];
  /** MakeNumberRef string index -> table slot address (filled by the start function) */
  numberRefSlot(index: number): number;
  strict: boolean;
  /** profiling builds only: the address of a u32 counter for `key`
   *  ("fn:<name>" on entry, "run:<name>" past the memo, "bi:<builtin>",
   *  "op:<IR statement type>" and "in:<function>" on reaching a statement) */
  counter?: (key: string) => number;
}

/** entries of a lasting memo table (a power of two), of
 *  [argument, value, epoch] */
export const LASTING_ENTRIES = 256;
export const LASTING_ENTRY_SIZE = 12;

const T_BOOLEAN = 2;
const T_STRING = 4;
const T_ARRAY = 5;
const T_OBJECT = 6;
const T_SET = 7;

interface WithFrame {
  /** the Wasm local the With replaced */
  local: number;
  /** Wasm local holding its original value */
  saved: number;
  /** Wasm local holding the memo generation to restore */
  gen: number;
}

/** One entry of the Wasm control stack: `ir` entries are IR blocks (the
 *  targets of undefined statements and Break). */
interface Ctl {
  ir: boolean;
  with?: WithFrame;
}

export class FuncCompiler {
  readonly w = new ByteWriter(512);
  private readonly localOf: (l: number) => number;
  private nlocals: number;
  private readonly ctl: Ctl[] = [];
  private readonly memo: number | undefined;
  /** memoised functions: the local holding their memo slot's address */
  private memoPtr = -1;
  /** lasting memos: the locals holding the argument and its entry's address */
  private lastingKey = -1;
  private lastingEntry = -1;
  /** the IR function or plan compiled (profiling counters) */
  name = "";
  private resultSet = -1;

  constructor(
    private readonly cx: CodegenContext,
    private readonly nparams: number,
    irLocals: number,
    irParams: number[],
    memoSlot?: number,
  ) {
    this.memo = memoSlot;
    const identity = irParams.every((p, i) => p === i);
    if (identity) {
      this.localOf = (l) => l;
      this.nlocals = Math.max(irLocals, nparams);
    } else {
      // general case: params first, other IR locals after them
      const map = new Map<number, number>();
      irParams.forEach((p, i) => map.set(p, i));
      let next = nparams;
      for (let l = 0; l < irLocals; l++) if (!map.has(l)) map.set(l, next++);
      this.localOf = (l) => {
        const v = map.get(l);
        if (v === undefined) throw new Error(`IR local ${l} out of range`);
        return v;
      };
      this.nlocals = next;
    }
  }

  static compileFunc(cx: CodegenContext, fn: Func): Uint8Array {
    const memo = cx.memoSlot.get(fn.name);
    const c = new FuncCompiler(cx, fn.params.length, Math.max(fn.locals, blocksMax(fn.blocks) + 1), fn.params, memo);
    c.name = fn.name;
    c.count("fn:" + fn.name);
    if (memo !== undefined) c.memoPrologue(memo);
    const lasting = cx.lasting.get(fn.name);
    if (lasting !== undefined) c.lastingPrologue(lasting, 2);
    c.count("run:" + fn.name);
    for (const b of fn.blocks) c.block(b);
    // falling off the end: undefined
    c.i32(0);
    if (memo !== undefined) c.memoStore();
    if (lasting !== undefined) c.lastingStore();
    return c.finish();
  }

  static compilePlan(cx: CodegenContext, plan: Plan): Uint8Array {
    const c = new FuncCompiler(cx, 2, Math.max(plan.locals, blocksMax(plan.blocks) + 1), [0, 1]);
    c.resultSet = c.newLocal();
    c.call(cx.fns.newSet);
    c.op(OP.localSet);
    c.w.u32(c.resultSet);
    for (const b of plan.blocks) c.block(b);
    c.localGet(c.resultSet);
    return c.finish();
  }

  // --- emission helpers -------------------------------------------------------

  newLocal(): number {
    return this.nlocals++;
  }

  finish(): Uint8Array {
    const out = new ByteWriter(this.w.len + 16);
    const extra = this.nlocals - this.nparams;
    if (extra > 0) {
      out.u32(1);
      out.u32(extra);
      out.u8(I32);
    } else out.u32(0);
    out.bytes(this.w.result());
    out.u8(OP.end);
    return out.result();
  }

  op(o: number): void {
    this.w.u8(o);
  }

  i32(v: number): void {
    this.w.u8(OP.i32Const);
    this.w.s32(v);
  }

  call(index: number): void {
    this.w.u8(OP.call);
    this.w.u32(index);
  }

  localGet(l: number): void {
    this.w.u8(OP.localGet);
    this.w.u32(l);
  }

  localSet(l: number): void {
    this.w.u8(OP.localSet);
    this.w.u32(l);
  }

  localTee(l: number): void {
    this.w.u8(OP.localTee);
    this.w.u32(l);
  }

  private open(kind: number, ir: boolean, withFrame?: WithFrame): void {
    this.w.u8(kind);
    this.w.u8(BLOCKTYPE_VOID);
    this.ctl.push(withFrame ? { ir, with: withFrame } : { ir });
  }

  private close(): void {
    this.w.u8(OP.end);
    this.ctl.pop();
  }

  /** Index in ctl of the k-th IR block counting outward (0: innermost). */
  private irEntry(k: number): number {
    for (let i = this.ctl.length - 1; i >= 0; i--) {
      if (this.ctl[i]!.ir) {
        if (k === 0) return i;
        k--;
      }
    }
    throw new Error("break out of the function's blocks");
  }

  /** Branch depth that leaves the k-th enclosing IR block. */
  private depthOf(k: number): number {
    return this.ctl.length - 1 - this.irEntry(k);
  }

  /** Pops the condition: when non-zero, leave the innermost IR block. */
  private exitIf(): void {
    this.w.u8(OP.brIf);
    this.w.u32(this.depthOf(0));
  }

  /** Leave the innermost IR block if the value on the stack is 0. */
  private exitIfZero(): void {
    this.op(OP.i32Eqz);
    this.exitIf();
  }

  private exitAlways(): void {
    this.w.u8(OP.br);
    this.w.u32(this.depthOf(0));
  }

  /** Restores what the With blocks between ctl index `target` (exclusive)
   *  and the top replaced, innermost first. */
  private restoreWiths(target: number): void {
    for (let i = this.ctl.length - 1; i > target; i--) {
      const f = this.ctl[i]!.with;
      if (!f) continue;
      this.localGet(f.saved);
      this.localSet(f.local);
      this.localGet(f.gen);
      this.call(this.cx.fns.memoPop);
    }
  }

  private operand(o: Operand): void {
    switch (o.kind) {
      case "local":
        this.localGet(this.localOf(o.local));
        return;
      case "bool":
        this.i32(this.cx.layout.boolean(o.value));
        return;
      case "string":
        this.i32(this.stringAddr(o.index));
        return;
    }
  }

  private constantsEqual(a: Operand, b: Operand): boolean {
    return a.kind === b.kind && constantValue(a, this.cx.strings) === constantValue(b, this.cx.strings);
  }

  private stringAddr(index: number): number {
    const s = this.cx.strings[index];
    if (s === undefined) throw new Error(`string index ${index} out of range`);
    return this.cx.layout.string(s);
  }

  private abortWith(message: string): void {
    this.i32(this.cx.layout.cstring(message));
    this.call(this.cx.fns.abort);
    this.op(OP.unreachable);
  }

  private conflictMessage(loc: StmtLocation, message: string): string {
    const file = this.cx.files[loc.file] ?? "";
    return `${file}:${loc.row}:${loc.col}: eval_conflict_error: ${message}`;
  }

  /** Profiling builds: counter(key)++. */
  count(key: string): void {
    if (!this.cx.counter) return;
    const addr = this.cx.counter(key);
    this.i32(0);
    this.i32(0);
    this.w.u8(OP.i32Load);
    this.w.u32(2);
    this.w.u32(addr);
    this.i32(1);
    this.op(OP.i32Add);
    this.w.u8(OP.i32Store);
    this.w.u32(2);
    this.w.u32(addr);
  }

  // --- memoisation ------------------------------------------------------------

  /** Returns the memoised value of this evaluation's generation, if there
   *  is one; leaves the slot's address in memoPtr for memoStore. Inline:
   *  rules are referenced far more often than they run. */
  private memoPrologue(slot: number): void {
    const state = this.cx.memoState;
    this.memoPtr = this.newLocal();
    // p = table + slot * 8; if (p.gen == generation) return p.value (1: undefined)
    this.i32(0);
    this.load(state);
    this.i32(slot * 8);
    this.op(OP.i32Add);
    this.localTee(this.memoPtr);
    this.load(4);
    this.i32(0);
    this.load(state + 4);
    this.op(OP.i32Eq);
    this.returnIfRecorded(this.memoPtr, 0);
  }

  /** Pops a condition; when it holds, returns the value recorded at
   *  entry+offset (1 stands for undefined). */
  private returnIfRecorded(entry: number, offset: number): void {
    const tmp = this.newLocal();
    this.w.u8(OP.if);
    this.w.u8(BLOCKTYPE_VOID);
    this.count("hit:" + this.name);
    this.localGet(entry);
    this.load(offset);
    this.localTee(tmp);
    this.i32(0);
    this.localGet(tmp);
    this.i32(1);
    this.op(OP.i32Ne);
    this.op(OP.select);
    this.op(OP.return);
    this.op(OP.end);
  }

  /** entry+offset = v, undefined (0) recorded as 1. */
  private record(entry: number, offset: number, v: number): void {
    this.localGet(entry);
    this.localGet(v);
    this.i32(1);
    this.localGet(v);
    this.op(OP.select);
    this.store(offset);
  }

  /** Records the value on the stack (left there) in this function's slot,
   *  with the current generation; undefined is recorded as 1. */
  private memoStore(): void {
    const v = this.newLocal();
    this.localTee(v);
    this.record(this.memoPtr, 0, v);
    this.localGet(this.memoPtr);
    this.i32(0);
    this.load(this.cx.memoState + 4);
    this.store(4);
  }

  /** A lasting memo: a direct-mapped table of LASTING_ENTRIES entries
   *  [argument, value, epoch] in static memory, indexed by the argument's
   *  address. An entry is written only for a long-lived argument and value
   *  (below the floor: data, constants, static values), so the address it
   *  is keyed by cannot be reused until the epoch changes. Returns the
   *  recorded value (1: undefined) when the entry holds this argument in
   *  the current epoch. */
  lastingPrologue(table: number, argWasmLocal: number): void {
    const state = this.cx.lastingState;
    this.lastingKey = this.newLocal();
    this.lastingEntry = this.newLocal();
    this.localGet(argWasmLocal);
    this.localTee(this.lastingKey);
    this.i32(3);
    this.op(OP.i32ShrU);
    this.i32(LASTING_ENTRIES - 1);
    this.op(OP.i32And);
    this.i32(LASTING_ENTRY_SIZE);
    this.op(OP.i32Mul);
    this.i32(table);
    this.op(OP.i32Add);
    this.localTee(this.lastingEntry);
    this.load(0);
    this.localGet(this.lastingKey);
    this.op(OP.i32Eq);
    this.localGet(this.lastingEntry);
    this.load(8);
    this.i32(0);
    this.load(state + 4);
    this.op(OP.i32Eq);
    this.op(OP.i32And);
    this.returnIfRecorded(this.lastingEntry, 4);
  }

  /** Records the value on the stack (left there) when both it and the
   *  argument are long-lived (undefined, 0, counts as long-lived). */
  private lastingStore(): void {
    const state = this.cx.lastingState;
    const v = this.newLocal();
    this.localTee(v);
    this.localGet(this.lastingKey);
    this.i32(0);
    this.load(state);
    this.op(OP.i32LtU);
    this.localGet(v);
    this.i32(0);
    this.load(state);
    this.op(OP.i32LtU);
    this.op(OP.i32And);
    this.w.u8(OP.if);
    this.w.u8(BLOCKTYPE_VOID);
    this.localGet(this.lastingEntry);
    this.localGet(this.lastingKey);
    this.store(0);
    this.record(this.lastingEntry, 4, v);
    this.localGet(this.lastingEntry);
    this.i32(0);
    this.load(state + 4);
    this.store(8);
    this.op(OP.end);
  }

  /** i32.load with a constant offset from the address on the stack */
  private load(offset: number): void {
    this.w.u8(OP.i32Load);
    this.w.u32(2);
    this.w.u32(offset);
  }

  private store(offset: number): void {
    this.w.u8(OP.i32Store);
    this.w.u32(2);
    this.w.u32(offset);
  }

  // --- blocks and statements ----------------------------------------------------

  block(b: Block, withFrame?: WithFrame): void {
    this.open(OP.block, true, withFrame);
    for (const s of b.stmts) this.stmt(s);
    this.close();
  }

  private stmt(s: Stmt): void {
    const cx = this.cx;
    const fns = cx.fns;
    if (s.type !== "block" && s.type !== "nop") {
      this.count("op:" + s.type);
      this.count("in:" + this.name);
    }
    switch (s.type) {
      case "call":
        return this.callStmt(s.func, s.args, s.result, s.loc);
      case "dot": {
        if (s.source.kind !== "local") return this.exitAlways();
        this.operand(s.source);
        this.operand(s.key);
        this.call(fns.dot);
        this.localTee(this.localOf(s.target));
        return this.exitIfZero();
      }
      case "len":
        this.operand(s.source);
        this.call(fns.len);
        this.localTee(this.localOf(s.target));
        return this.exitIfZero();
      case "scan":
        return this.scan(s.source, s.key, s.value, s.block);
      case "not": {
        this.open(OP.block, true);
        for (const t of s.block.stmts) this.stmt(t);
        // the negated block ran to its end: the Not is undefined
        this.w.u8(OP.br);
        this.w.u32(this.depthOf(1));
        this.close();
        return;
      }
      case "block":
        for (const b of s.blocks) this.block(b);
        return;
      case "break": {
        const target = this.irEntry(s.index);
        this.restoreWiths(target);
        this.w.u8(OP.br);
        this.w.u32(this.ctl.length - 1 - target);
        return;
      }
      case "with":
        return this.withStmt(s.local, s.path, s.value, s.block);
      case "assignint":
        this.i32(cx.layout.int(s.value));
        this.localSet(this.localOf(s.target));
        return;
      case "assignvar":
        this.operand(s.source);
        this.localSet(this.localOf(s.target));
        return;
      case "assignvaronce": {
        const t = this.localOf(s.target);
        // block $done { block $set { if t == 0 br $set; if t == src br $done; abort } t = src }
        this.open(OP.block, false);
        this.open(OP.block, false);
        this.localGet(t);
        this.op(OP.i32Eqz);
        this.w.u8(OP.brIf);
        this.w.u32(0);
        this.localGet(t);
        this.operand(s.source);
        this.call(fns.equal);
        this.w.u8(OP.brIf);
        this.w.u32(1);
        this.abortWith(
          this.conflictMessage(
            s.loc,
            s.conflict === "function"
              ? "functions must not produce multiple outputs for same inputs"
              : "complete rules must not produce multiple outputs",
          ),
        );
        this.close();
        this.operand(s.source);
        this.localSet(t);
        this.close();
        return;
      }
      case "resetlocal":
        this.i32(0);
        this.localSet(this.localOf(s.target));
        return;
      case "makenull":
        this.i32(cx.layout.null());
        this.localSet(this.localOf(s.target));
        return;
      case "makenumberint":
        this.i32(cx.layout.int(s.value));
        this.localSet(this.localOf(s.target));
        return;
      case "makenumberref":
        this.i32(0);
        this.w.u8(OP.i32Load);
        this.w.u32(2);
        this.w.u32(cx.numberRefSlot(s.index));
        this.localSet(this.localOf(s.target));
        return;
      case "makearray":
        this.i32(s.capacity);
        this.call(fns.newArray);
        this.localSet(this.localOf(s.target));
        return;
      case "makeobject":
        this.call(fns.newObject);
        this.localSet(this.localOf(s.target));
        return;
      case "makeset":
        this.call(fns.newSet);
        this.localSet(this.localOf(s.target));
        return;
      case "makeconst": {
        const slot = cx.constSlots[s.index];
        if (slot === undefined) throw new Error(`constant ${s.index} out of range`);
        this.i32(0);
        this.w.u8(OP.i32Load);
        this.w.u32(2);
        this.w.u32(slot);
        this.localSet(this.localOf(s.target));
        return;
      }
      case "arrayappend":
        this.localGet(this.localOf(s.array));
        this.operand(s.value);
        this.call(fns.arrayAppend);
        return;
      case "objectinsert":
        this.localGet(this.localOf(s.object));
        this.operand(s.key);
        this.operand(s.value);
        this.call(fns.objectInsert);
        return;
      case "objectinsertonce":
        this.localGet(this.localOf(s.object));
        this.operand(s.key);
        this.operand(s.value);
        this.call(fns.objectInsertOnce);
        this.op(OP.i32Eqz);
        this.w.u8(OP.if);
        this.w.u8(BLOCKTYPE_VOID);
        this.abortWith(this.conflictMessage(s.loc, "object keys must be unique"));
        this.op(OP.end);
        return;
      case "objectmerge":
        this.localGet(this.localOf(s.a));
        this.localGet(this.localOf(s.b));
        this.call(fns.objectMerge);
        this.localTee(this.localOf(s.target));
        return this.exitIfZero();
      case "setadd":
        this.localGet(this.localOf(s.set));
        this.operand(s.value);
        this.call(fns.setAdd);
        return;
      case "equal":
        if (sameOperand(s.a, s.b)) return;
        if (s.a.kind !== "local" && s.b.kind !== "local") return this.constantsEqual(s.a, s.b) ? undefined : this.exitAlways();
        if (s.b.kind === "bool" || s.a.kind === "bool") return this.boolTest(s.a.kind === "bool" ? s.b : s.a, boolOf(s.a, s.b), false);
        if (s.b.kind === "string") return this.stringEqualTest(s.a, s.b.index);
        if (s.a.kind === "string") return this.stringEqualTest(s.b, s.a.index);
        this.operand(s.a);
        this.operand(s.b);
        this.call(fns.equal);
        return this.exitIfZero();
      case "notequal":
        if (sameOperand(s.a, s.b)) return this.exitAlways();
        if (s.a.kind !== "local" && s.b.kind !== "local") return this.constantsEqual(s.a, s.b) ? this.exitAlways() : undefined;
        if (s.b.kind === "bool" || s.a.kind === "bool") return this.boolTest(s.a.kind === "bool" ? s.b : s.a, boolOf(s.a, s.b), true);
        this.operand(s.a);
        this.operand(s.b);
        this.call(fns.equal);
        return this.exitIf();
      case "isarray":
      case "isobject":
      case "isset": {
        if (s.source.kind !== "local") return this.exitAlways();
        this.operand(s.source);
        // address 0 (undefined) holds no tag: the low memory is never written
        this.w.u8(OP.i32Load);
        this.w.u32(2);
        this.w.u32(0);
        this.i32(s.type === "isarray" ? T_ARRAY : s.type === "isobject" ? T_OBJECT : T_SET);
        this.op(OP.i32Ne);
        return this.exitIf();
      }
      case "isdefined":
        this.localGet(this.localOf(s.source));
        return this.exitIfZero();
      case "isundefined":
        this.localGet(this.localOf(s.source));
        return this.exitIf();
      case "resultsetadd":
        if (this.resultSet < 0) throw new Error("ResultSetAdd outside a plan");
        this.localGet(this.resultSet);
        this.localGet(this.localOf(s.value));
        this.call(fns.setAdd);
        return;
      case "returnlocal": {
        this.restoreWiths(-1);
        this.localGet(this.localOf(s.source));
        if (this.memo !== undefined) this.memoStore();
        if (this.lastingEntry >= 0) this.lastingStore();
        this.op(OP.return);
        return;
      }
      case "nop":
        return;
      default: {
        const never: never = s;
        throw new Error(`unknown IR statement ${(never as { type: string }).type}`);
      }
    }
  }

  /** `v == b` (or `v != b` when `negate`) against a boolean constant,
   *  inline: these follow nearly every call used as a condition
   *  (`f(x) != false`), and the runtime's equal would cost a call. The tag
   *  of undefined (address 0) reads as 0; booleans hold 0 or 1. */
  private boolTest(v: Operand, b: boolean, negate: boolean): void {
    // v == b: exit if tag != boolean, exit if value != b
    // v != b: block $differ { br_if $differ (tag != boolean); br_if $differ (value != b); exit }
    if (negate) this.open(OP.block, false);
    this.operand(v);
    this.w.u8(OP.i32Load);
    this.w.u32(2);
    this.w.u32(0);
    this.i32(T_BOOLEAN);
    this.op(OP.i32Ne);
    if (negate) this.brIf(0);
    else this.exitIf();
    this.operand(v);
    this.w.u8(OP.i32Load);
    this.w.u32(2);
    this.w.u32(4);
    if (b) this.op(OP.i32Eqz);
    if (!negate) return this.exitIf();
    this.brIf(0);
    this.exitAlways();
    this.close();
  }

  /** `v == "constant"`: the same interned address passes, another tag or
   *  byte length fails, inline; only strings of the same length are
   *  compared by the runtime. (Dispatch on constant arguments, `kind ==
   *  "shell"`, … are mostly decided by the length.) */
  private stringEqualTest(v: Operand, index: number): void {
    const addr = this.stringAddr(index);
    const len = utf8Length(this.cx.strings[index]!);
    this.open(OP.block, false);
    this.operand(v);
    this.i32(addr);
    this.op(OP.i32Eq);
    this.brIf(0);
    this.operand(v);
    this.load(0);
    this.i32(T_STRING);
    this.op(OP.i32Ne);
    this.exitIf();
    this.operand(v);
    this.load(4);
    this.i32(len);
    this.op(OP.i32Ne);
    this.exitIf();
    this.operand(v);
    this.i32(addr);
    this.call(this.cx.fns.equal);
    this.exitIfZero();
    this.close();
  }

  private brIf(depth: number): void {
    this.w.u8(OP.brIf);
    this.w.u32(depth);
  }

  private callStmt(name: string, args: Operand[], result: number, loc: StmtLocation): void {
    const cx = this.cx;
    const target = this.localOf(result);
    const fidx = cx.funcIndex.get(name);
    if (fidx !== undefined) {
      for (const a of args) this.operand(a);
      this.call(fidx);
      this.localTee(target);
      return this.exitIfZero();
    }
    const decl = cx.builtins.get(name);
    if (!decl) throw new Error(`call to unknown function ${name}`);
    this.count("bi:" + name);
    const native = cx.natives.get(name);
    if (native !== undefined) {
      for (const a of args) this.operand(a);
      const fallback = cx.hostFallbacks.get(name);
      if (fallback !== undefined) this.i32(fallback | (cx.strict ? HOST_FALLBACK_STRICT : 0));
      this.call(native);
      this.localTee(target);
      if (!cx.strict && !nativeRaisesConflicts(name)) return this.exitIfZero();
      // an undefined result may carry an error to raise
      this.op(OP.i32Eqz);
      this.w.u8(OP.if);
      this.w.u8(BLOCKTYPE_VOID);
      this.ctl.push({ ir: false });
      const file = cx.files[loc.file] ?? "";
      this.i32(cx.layout.cstring(`${file}:${loc.row}:${loc.col}`));
      this.i32(cx.strict ? 1 : 0);
      this.call(cx.fns.raiseBuiltinError);
      this.w.u8(OP.br);
      this.w.u32(this.depthOf(0));
      this.ctl.pop();
      this.op(OP.end);
      return;
    }
    if (decl.id < 0) throw new Error(`builtin ${name} is neither native nor a host builtin`);
    if (args.length > 4) throw new Error(`too many built-in call arguments: ${name}`);
    this.i32(decl.id);
    for (const a of args) this.operand(a);
    this.call((cx.nondeterministic.has(name) ? cx.fns.hostCallNondeterministic : cx.fns.hostCall)[args.length]!);
    if (cx.setResults.has(name)) this.call(cx.fns.arrayToSet);
    this.localTee(target);
    this.exitIfZero();
  }

  private scan(source: number, key: number, value: number, body: Block): void {
    const fns = this.cx.fns;
    const src = this.newLocal();
    const n = this.newLocal();
    const i = this.newLocal();
    const order = this.newLocal();
    this.localGet(this.localOf(source));
    this.localTee(src);
    this.call(fns.scanCount);
    this.localTee(n);
    this.i32(0);
    this.op(OP.i32LtS);
    this.exitIf();
    this.localGet(src);
    this.call(fns.scanOrder);
    this.localSet(order);
    this.i32(0);
    this.localSet(i);
    this.open(OP.block, false);
    this.open(OP.loop, false);
    this.localGet(i);
    this.localGet(n);
    this.op(OP.i32GeU);
    this.w.u8(OP.brIf);
    this.w.u32(1);
    this.open(OP.block, true);
    this.localGet(src);
    this.localGet(order);
    this.localGet(i);
    this.call(fns.scanKey);
    this.localSet(this.localOf(key));
    this.localGet(src);
    this.localGet(order);
    this.localGet(i);
    this.call(fns.scanValue);
    this.localSet(this.localOf(value));
    for (const s of body.stmts) this.stmt(s);
    this.close();
    this.localGet(i);
    this.i32(1);
    this.op(OP.i32Add);
    this.localSet(i);
    this.w.u8(OP.br);
    this.w.u32(0);
    this.close();
    this.close();
  }

  private withStmt(irLocal: number, path: number[], value: Operand, body: Block): void {
    const cx = this.cx;
    const fns = cx.fns;
    const local = this.localOf(irLocal);
    const frame: WithFrame = { local, saved: this.newLocal(), gen: this.newLocal() };
    const done = this.newLocal();
    this.localGet(local);
    this.localSet(frame.saved);
    if (path.length === 0) this.operand(value);
    else {
      const pathAddr = cx.layout.words(path.map((p) => this.stringAddr(p)));
      this.localGet(local);
      this.i32(pathAddr);
      this.i32(path.length);
      this.operand(value);
      this.call(fns.withUpsert);
    }
    this.localSet(local);
    this.call(fns.memoPush);
    this.localSet(frame.gen);
    this.i32(0);
    this.localSet(done);
    this.open(OP.block, true, frame);
    for (const s of body.stmts) this.stmt(s);
    this.i32(1);
    this.localSet(done);
    this.close();
    this.localGet(frame.saved);
    this.localSet(local);
    this.localGet(frame.gen);
    this.call(fns.memoPop);
    // like OPA: the With is undefined when its block was
    this.localGet(done);
    this.exitIfZero();
  }
}

function constantValue(o: Operand, strings: string[]): unknown {
  return o.kind === "bool" ? o.value : o.kind === "string" ? strings[o.index] : undefined;
}

const utf8 = new TextEncoder();

function utf8Length(s: string): number {
  return utf8.encode(s).length;
}

/** The boolean constant of an equality with one (a or b). */
function boolOf(a: Operand, b: Operand): boolean {
  if (b.kind === "bool") return b.value;
  if (a.kind === "bool") return a.value;
  throw new Error("no boolean operand");
}

function sameOperand(a: Operand, b: Operand): boolean {
  if (a.kind === "local" && b.kind === "local") return a.local === b.local;
  if (a.kind === "bool" && b.kind === "bool") return a.value === b.value;
  if (a.kind === "string" && b.kind === "string") return a.index === b.index;
  return false;
}
