// Small helpers for writing planner IR by hand in the Wasm back end's tests
// (the planner is developed separately), and for loading the emitted module
// in the real SDK.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import type { Block, BuiltinDecl, Func, Local, Operand, Plan, Policy, Stmt, StmtLocation } from "../src/rego/ir.js";
import { emitWasm } from "../src/rego/wasm/emit.js";
import { isNativeBuiltin } from "../src/rego/wasm/natives.js";

export const loc: StmtLocation = { file: 0, row: 3, col: 5 };

export const INPUT = 0;
export const DATA = 1;

export const L = (local: Local): Operand => ({ kind: "local", local });
export const B = (value: boolean): Operand => ({ kind: "bool", value });

type Loc = { loc?: StmtLocation };
type NoLoc<T> = T extends Stmt ? Omit<T, "loc"> & Loc : never;

/** A statement with a default location. */
export function st(s: NoLoc<Stmt>): Stmt {
  return { loc, ...s } as Stmt;
}

export const block = (...stmts: Stmt[]): Block => ({ stmts });

/** Builds a Policy: interns strings, declares builtins, collects plans and functions. */
export class IR {
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly constants: string[] = [];
  readonly builtins: BuiltinDecl[] = [];
  readonly funcs: Func[] = [];
  readonly plans: Plan[] = [];
  files = ["policy.rego"];
  private nextHostId = 0;

  /** A string operand. */
  s(value: string): Operand {
    return { kind: "string", index: this.sidx(value) };
  }

  sidx(value: string): number {
    let i = this.stringIndex.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.stringIndex.set(value, i);
    }
    return i;
  }

  /** A constant (JSON text); returns its index for makeconst. */
  constant(json: string): number {
    this.constants.push(json);
    return this.constants.length - 1;
  }

  /** Declares a builtin the policy calls; host builtins get ids in order. */
  builtin(name: string, arity: number): string {
    if (!this.builtins.some((b) => b.name === name)) {
      const native = isNativeBuiltin(name);
      this.builtins.push({ name, arity, native, id: native ? -1 : this.nextHostId++ });
    }
    return name;
  }

  plan(name: string, ...blocks: Block[]): this {
    this.plans.push({ name, locals: 64, blocks });
    return this;
  }

  func(name: string, params: number, blocks: Block[], memoize = false): this {
    this.funcs.push({ name, params: [...Array(params).keys()], locals: 64, blocks, memoize, path: [name] });
    return this;
  }

  /** Statements that add {"result": local} to the result set. */
  result(local: Local, scratch = 63): Stmt[] {
    return [
      st({ type: "makeobject", target: scratch }),
      st({ type: "objectinsert", key: this.s("result"), value: L(local), object: scratch }),
      st({ type: "resultsetadd", value: scratch }),
    ];
  }

  policy(strictBuiltinErrors = false): Policy {
    return {
      strings: this.strings,
      constants: this.constants,
      files: this.files,
      builtins: this.builtins,
      funcs: this.funcs,
      plans: this.plans,
      strictBuiltinErrors,
    };
  }

  wasm(strict = false): Uint8Array {
    return emitWasm(this.policy(strict));
  }

  async load(customBuiltins?: Record<string, (...args: any[]) => unknown>, strict = false) {
    return customBuiltins ? loadPolicy(this.wasm(strict), undefined, customBuiltins) : loadPolicy(this.wasm(strict));
  }
}

/** A policy whose only plan `t/echo` returns its input. */
export function echoPolicy(): IR {
  const ir = new IR();
  return ir.plan("t/echo", block(...ir.result(INPUT)));
}

/** The NUL-terminated UTF-8 string at addr in the policy's memory. */
export function readCString(mem: WebAssembly.Memory, addr: number): string {
  const bytes = new Uint8Array(mem.buffer);
  let end = addr;
  while (bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(addr, end));
}

type Loaded = Awaited<ReturnType<typeof loadPolicy>>;

/** The module's own JSON text for a value given as JSON text: parsed with
 *  opa_value_parse and dumped with opa_json_dump (or opa_value_dump). */
export function roundTrip(policy: Loaded, text: string, rego = false): string {
  const e = (policy as any).wasmInstance.exports;
  const mem: WebAssembly.Memory = (policy as any).mem;
  const bytes = new TextEncoder().encode(text);
  const addr = e.opa_malloc(bytes.length);
  new Uint8Array(mem.buffer).set(bytes, addr);
  const v = e.opa_value_parse(addr, bytes.length);
  if (v === 0) throw new Error(`not parsed: ${text}`);
  return readCString(mem, rego ? e.opa_value_dump(v) : e.opa_json_dump(v));
}

/** Evaluates with raw JSON text as input and returns the raw result text
 *  (the SDK accepts an ArrayBuffer input; its result goes through
 *  JSON.parse, which would round big numbers). */
export function evaluateRaw(policy: Loaded, inputJson: string | undefined, entrypoint = 0): string {
  const p = policy as any;
  const e = p.wasmInstance.exports;
  const mem: WebAssembly.Memory = p.mem;
  let addr = 0;
  let len = 0;
  if (inputJson !== undefined) {
    const bytes = new TextEncoder().encode(inputJson);
    addr = p.dataHeapPtr;
    len = bytes.length;
    const need = addr + len - mem.buffer.byteLength;
    if (need > 0) mem.grow(Math.ceil(need / 65536));
    new Uint8Array(mem.buffer).set(bytes, addr);
  }
  const out = e.opa_eval(0, entrypoint, p.dataAddr, addr, len, addr + len, 0);
  return readCString(mem, out);
}

/** A policy calling builtin `name` on arguments given as Rego term text
 *  (constants; the runtime reads set literals in them too). Entry `t/call`
 *  returns the result. */
export function builtinCallPolicy(name: string, args: string[]): IR {
  const ir = new IR();
  ir.builtin(name, args.length);
  const stmts: Stmt[] = args.map((a, i) => st({ type: "makeconst", index: ir.constant(a), target: 10 + i }));
  stmts.push(st({ type: "call", func: name, args: args.map((_, i) => L(10 + i)), result: 2 }), ...ir.result(2));
  return ir.plan("t/call", block(...stmts));
}

/** Evaluates builtin `name` on the arguments in the bare SDK: its result,
 *  or undefined. With `strict`, builtin errors reject. */
export async function callBuiltin(name: string, args: string[], strict = false): Promise<unknown> {
  const policy = await loadPolicy(builtinCallPolicy(name, args).wasm(strict));
  const rs = policy.evaluate(null, "t/call") as { result: unknown }[];
  return rs.length ? rs[0]!.result : undefined;
}
