// The prebuilt runtime (build/runtime.wasm), read and parsed once per
// process: the linker copies it, the code generator calls its functions by
// index.
import { readFileSync } from "node:fs";
import { KIND, type ParsedModule, constantResult, parseModule } from "./reader.js";

export interface Runtime {
  module: ParsedModule;
  /** exported function name -> function index */
  funcs: Map<string, number>;
  /** imported function name -> function index */
  imports: Map<string, number>;
  /** end of the runtime's static data */
  heapBase: number;
  /** address of the memo state [table, generation, counter] (runtime/exec.ts) */
  memoState: number;
  /** address of the lasting memo state [floor, epoch] (runtime/alloc.ts) */
  lastingState: number;
}

let cached: Runtime | undefined;

const runtimePath = new URL("../../../../build/runtime.wasm", import.meta.url);

export function loadRuntime(): Runtime {
  if (cached) return cached;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(runtimePath);
  } catch (err) {
    throw new Error(`the Wasm runtime is not built (${runtimePath.pathname}); run npm run build`, { cause: err });
  }
  const module = parseModule(bytes);
  const funcs = new Map<string, number>();
  for (const e of module.exports) if (e.kind === KIND.func) funcs.set(e.name, e.index);
  const imports = new Map<string, number>();
  let fi = 0;
  for (const imp of module.imports) if (imp.kind === KIND.func) imports.set(imp.name, fi++);
  const constant = (name: string) => {
    const fn = funcs.get(name);
    if (fn === undefined) throw new Error(`runtime lacks ${name}`);
    return constantResult(module, fn);
  };
  cached = { module, funcs, imports, heapBase: constant("writ_heap_base"), memoState: constant("writ_memo_state"), lastingState: constant("writ_lasting_state") };
  return cached;
}

/** Index of a runtime function the generated code calls. */
export function runtimeFunc(rt: Runtime, name: string): number {
  const i = rt.funcs.get(name);
  if (i === undefined) throw new Error(`runtime lacks ${name}`);
  return i;
}
