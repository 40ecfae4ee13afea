// The generated functions around the policy's plans: the entrypoint
// dispatcher, the ABI's opa_eval, eval, builtins and entrypoints exports,
// and the start function that installs the data segment and builds the
// policy's constants.
import { ByteWriter } from "./encoder.js";
import { BLOCKTYPE_VOID, FC, I32, OP } from "./opcodes.js";
import type { RuntimeFuncs } from "./runtime-funcs.js";

class Body {
  readonly w = new ByteWriter(128);
  constructor(private readonly extraLocals = 0) {}
  op(o: number): this {
    this.w.u8(o);
    return this;
  }
  u32(v: number): this {
    this.w.u32(v);
    return this;
  }
  i32(v: number): this {
    this.w.u8(OP.i32Const);
    this.w.s32(v);
    return this;
  }
  get(l: number): this {
    return this.op(OP.localGet).u32(l);
  }
  call(f: number): this {
    return this.op(OP.call).u32(f);
  }
  load(offset: number): this {
    return this.op(OP.i32Load).u32(2).u32(offset);
  }
  finish(): Uint8Array {
    const out = new ByteWriter(this.w.len + 8);
    if (this.extraLocals > 0) {
      out.u32(1);
      out.u32(this.extraLocals);
      out.u8(I32);
    } else out.u32(0);
    out.bytes(this.w.result());
    out.u8(OP.end);
    return out.result();
  }
}

/** dispatch(entrypoint, input, data) -> result set */
export function dispatchBody(fns: RuntimeFuncs, plans: number[], memoSlots: number, illegalMsg: number): Uint8Array {
  const b = new Body();
  b.i32(memoSlots).call(fns.evalBegin);
  b.op(OP.block).op(BLOCKTYPE_VOID);
  for (let i = 0; i < plans.length; i++) b.op(OP.block).op(BLOCKTYPE_VOID);
  b.get(0).op(OP.brTable).u32(plans.length);
  for (let i = 0; i <= plans.length; i++) b.u32(i);
  for (const p of plans) {
    b.op(OP.end);
    b.get(1).get(2).call(p).op(OP.return);
  }
  b.op(OP.end);
  b.i32(illegalMsg).call(fns.abort).op(OP.unreachable);
  return b.finish();
}

/** opa_eval(reserved, entrypoint, data, input_ptr, input_len, heap_ptr, format) -> json */
export function opaEvalBody(fns: RuntimeFuncs, dispatch: number): Uint8Array {
  const b = new Body();
  b.get(0).get(5).call(fns.opaEvalBegin);
  b.get(1);
  b.get(3).get(4).call(fns.evalInput);
  b.get(2);
  b.call(dispatch);
  b.get(6).call(fns.evalOutput);
  return b.finish();
}

/** eval(ctx) -> 0; ctx: input @0, data @4, result @8, entrypoint @12 */
export function evalBody(fns: RuntimeFuncs, dispatch: number): Uint8Array {
  const b = new Body();
  b.call(fns.ctxEvalBegin);
  b.get(0);
  b.get(0).load(12);
  b.get(0).load(0);
  b.get(0).load(4);
  b.call(dispatch);
  b.op(OP.i32Store).u32(2).u32(8);
  b.i32(0);
  return b.finish();
}

/** A function returning the value in a table slot. */
export function slotGetterBody(slot: number): Uint8Array {
  return new Body().i32(0).load(slot).finish();
}

export interface StartPlan {
  heapStart: number;
  segmentAddr: number;
  segmentSize: number;
  segmentIndex: number;
  /** JSON texts to parse into table slots */
  parses: { slot: number; addr: number; len: number }[];
}

export function startBody(fns: RuntimeFuncs, s: StartPlan): Uint8Array {
  const b = new Body();
  b.i32(s.heapStart).call(fns.init);
  b.i32(s.segmentAddr).i32(0).i32(s.segmentSize);
  b.op(OP.prefixFC).u32(FC.memoryInit).u32(s.segmentIndex).op(0x00);
  b.op(OP.prefixFC).u32(FC.dataDrop).u32(s.segmentIndex);
  for (const p of s.parses) {
    b.i32(p.slot);
    b.i32(p.addr).i32(p.len).call(fns.parseConst);
    b.op(OP.i32Store).u32(2).u32(0);
  }
  return b.finish();
}
