// IR -> OPA-ABI Wasm module: compiles the policy's functions and plans to
// Wasm code and links them, with the policy's static data, into the prebuilt
// runtime (build/runtime.wasm).
import type { Policy } from "../ir.js";
import { builtinCatalog } from "../builtins/catalog.js";
import { type CodegenContext, FuncCompiler, LASTING_ENTRIES, LASTING_ENTRY_SIZE } from "./codegen.js";
import { argumentPureFuncs } from "./pure.js";
import { dispatchBody, evalBody, opaEvalBody, slotGetterBody, startBody } from "./entry.js";
import { DataLayout } from "./layout.js";
import { type GeneratedFunc, link } from "./linker.js";
import { hostBuiltinName, hostFallbackName, nativeExportName, nativeHasHostFallback } from "./natives.js";
import { type Export, KIND } from "./reader.js";
import { runtimeFuncs } from "./runtime-funcs.js";
import { loadRuntime } from "./runtime-module.js";
import { TypeTable } from "./types.js";

const utf8 = new TextEncoder();

/** Runtime exports that stay in the linked module (the ABI); every other
 *  runtime export (writ_*) exists only for the linker to find. */
function isAbiExport(name: string): boolean {
  return name === "memory" || name.startsWith("opa_");
}

export interface EmitOptions {
  /** profiling builds: count function entries and builtin calls in u32
   *  counters of the static data; filled with counter key -> address */
  counters?: Map<string, number>;
}

/** Emits a module that runs `policy` when loaded by @open-policy-agent/opa-wasm. */
export function emitWasm(policy: Policy, options: EmitOptions = {}): Uint8Array {
  const rt = loadRuntime();
  const fns = runtimeFuncs(rt);
  const types = new TypeTable(rt.module.types);

  // function indices: runtime functions, then ours
  let next = rt.module.importedFuncs + rt.module.funcTypes.length;
  const funcIndex = new Map<string, number>();
  for (const f of policy.funcs) funcIndex.set(f.name, next++);
  const planIndex = policy.plans.map(() => next++);
  const dispatchIdx = next++;
  const opaEvalIdx = next++;
  const evalIdx = next++;
  const builtinsIdx = next++;
  const entrypointsIdx = next++;
  const startIdx = next++;

  const memoSlot = new Map<string, number>();
  for (const f of policy.funcs) if (f.memoize && f.params.length === 2) memoSlot.set(f.name, memoSlot.size);

  const builtins = new Map(policy.builtins.map((b) => [b.name, b]));
  const natives = new Map<string, number>();
  const setResults = new Set<string>();
  const nondeterministic = new Set<string>();
  for (const b of policy.builtins) {
    const idx = rt.funcs.get(nativeExportName(b.name));
    if (idx !== undefined && (b.native || b.id < 0)) natives.set(b.name, idx);
    else if (b.native) throw new Error(`builtin ${b.name} is not implemented in the Wasm runtime`);
    else if (builtinCatalog[b.name]?.result?.type === "set") setResults.add(b.name);
    if (builtinCatalog[b.name]?.nondeterministic) nondeterministic.add(b.name);
  }

  // natives with a host fallback get a host id after the planner's
  const hostFallbacks = new Map<string, number>();
  let nextHostId = Math.max(-1, ...policy.builtins.map((b) => b.id)) + 1;
  for (const b of policy.builtins) if (natives.has(b.name) && nativeHasHostFallback(b.name)) hostFallbacks.set(b.name, nextHostId++);

  // Lasting memo tables: zeroed memory between the runtime's static data
  // and the policy's (fresh memory is zero; the data segment is copied
  // above them), so they cost the module no bytes. A function calling a
  // nondeterministic builtin (http.send checks its request natively) is
  // never pure, native or not.
  const pure = argumentPureFuncs(policy, (name) => natives.has(name) && !builtinCatalog[name]?.nondeterministic);
  const lasting = new Map<string, number>();
  let next16 = align(rt.heapBase, 16);
  for (const f of policy.funcs) {
    if (f.params.length === 3 && !memoSlot.has(f.name) && pure.has(f.name)) {
      lasting.set(f.name, next16);
      next16 += LASTING_ENTRIES * LASTING_ENTRY_SIZE;
    }
  }
  const layout = new DataLayout(next16);

  const parses: { slot: number; addr: number; len: number }[] = [];
  const addText = (text: string): { addr: number; len: number } => {
    const bytes = utf8.encode(text);
    return { addr: layout.raw(bytes), len: bytes.length };
  };
  const constSlots = policy.constants.map((json) => {
    const slot = layout.slot();
    parses.push({ slot, ...addText(json) });
    return slot;
  });
  const numberRefs = new Map<number, number>();
  const numberRefSlot = (index: number): number => {
    let slot = numberRefs.get(index);
    if (slot === undefined) {
      const text = policy.strings[index];
      if (text === undefined) throw new Error(`number literal string ${index} out of range`);
      slot = layout.slot();
      parses.push({ slot, ...addText(text) });
      numberRefs.set(index, slot);
    }
    return slot;
  };

  const cx: CodegenContext = {
    fns,
    layout,
    files: policy.files,
    strings: policy.strings,
    funcIndex,
    memoSlot,
    memoState: rt.memoState,
    lasting,
    lastingState: rt.lastingState,
    builtins,
    natives,
    hostFallbacks,
    setResults,
    nondeterministic,
    constSlots,
    numberRefSlot,
    strict: policy.strictBuiltinErrors,
  };
  const counters = options.counters;
  if (counters) {
    cx.counter = (key) => {
      let addr = counters.get(key);
      if (addr === undefined) counters.set(key, (addr = layout.slot()));
      return addr;
    };
  }

  const funcs: GeneratedFunc[] = [];
  for (const f of policy.funcs) {
    funcs.push({ name: f.name, type: types.get(f.params.length, true), body: FuncCompiler.compileFunc(cx, f) });
  }
  for (const p of policy.plans) funcs.push({ name: `plan:${p.name}`, type: types.get(2, true), body: FuncCompiler.compilePlan(cx, p) });

  const illegal = layout.cstring("internal: illegal entrypoint id");
  funcs.push({ name: "dispatch", type: types.get(3, true), body: dispatchBody(fns, planIndex, memoSlot.size, illegal) });
  funcs.push({ name: "opa_eval", type: types.get(7, true), body: opaEvalBody(fns, dispatchIdx) });
  funcs.push({ name: "eval", type: types.get(1, true), body: evalBody(fns, dispatchIdx) });

  const hostIds: Record<string, number> = {};
  for (const b of policy.builtins) if (!natives.has(b.name)) hostIds[hostBuiltinName(b.name)] = b.id;
  for (const [name, id] of hostFallbacks) hostIds[hostFallbackName(name)] = id;
  const entrypoints: Record<string, number> = {};
  policy.plans.forEach((p, i) => (entrypoints[p.name] = i));
  const builtinsSlot = layout.slot();
  parses.push({ slot: builtinsSlot, ...addText(JSON.stringify(hostIds)) });
  const entrypointsSlot = layout.slot();
  parses.push({ slot: entrypointsSlot, ...addText(JSON.stringify(entrypoints)) });
  funcs.push({ name: "builtins", type: types.get(0, true), body: slotGetterBody(builtinsSlot) });
  funcs.push({ name: "entrypoints", type: types.get(0, true), body: slotGetterBody(entrypointsSlot) });

  const data = layout.bytes();
  funcs.push({
    name: "start",
    type: types.get(0, false),
    body: startBody(fns, {
      heapStart: layout.end,
      segmentAddr: layout.base,
      segmentSize: data.length,
      segmentIndex: rt.module.dataCount,
      parses,
    }),
  });

  const exports: Export[] = rt.module.exports.filter((e) => isAbiExport(e.name));
  exports.push(
    { name: "eval", kind: KIND.func, index: evalIdx },
    { name: "opa_eval", kind: KIND.func, index: opaEvalIdx },
    { name: "builtins", kind: KIND.func, index: builtinsIdx },
    { name: "entrypoints", kind: KIND.func, index: entrypointsIdx },
  );
  return link({ runtime: rt.module, types: types.added, funcs, exports, start: startIdx, data });
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
