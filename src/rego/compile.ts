// The public entry of the Rego toolchain: sources in, OPA-ABI Wasm out.
import type { Body, Module } from "./ast.js";
import type { Policy } from "./ir.js";
import { parseModule, parseQuery } from "./parser/index.js";
import { compileModules, compileQuery } from "./compiler/index.js";
import { planPolicy } from "./planner/index.js";
import { emitWasm } from "./wasm/emit.js";

export interface CompileOptions {
  modules: { path: string; source: string }[];
  /** slash-separated data paths, e.g. `example/allow`; ids follow this order */
  entrypoints: string[];
  /** Rego syntax of every module: 1 (default) or 0 */
  regoVersion?: 0 | 1;
  /** extra entrypoints evaluating a Rego query (e.g. `data.a.p = x`); the
   *  result set binds the query's variables, as OPA's rego.Compile does.
   *  Keys are entrypoint names; ids follow `entrypoints`, in key order. */
  queries?: Record<string, string>;
  /** raise builtin errors instead of making the call undefined */
  strictBuiltinErrors?: boolean;
}

export interface CompileResult {
  wasm: Uint8Array;
  entrypoints: Record<string, number>;
}

/** Parses, checks and plans: the IR the Wasm emitter turns into a module. */
export function compileToIR(options: CompileOptions): Policy {
  const modules = options.modules.map((m) => parseModule(m.source, m.path, { regoVersion: options.regoVersion ?? 1 }));
  return planModules(modules, options);
}

/** Checks and plans modules that are already parsed (tools that inspect or
 *  adjust the AST first, like the test runner, start here). */
export function planModules(modules: Module[], options: Omit<CompileOptions, "modules" | "regoVersion">): Policy {
  const compiled = compileModules(modules);
  const queries: Record<string, Body> = {};
  for (const [name, source] of Object.entries(options.queries ?? {})) {
    const file = `<query ${name}>`;
    queries[name] = compileQuery(parseQuery(source, file), compiled, file);
  }
  return planPolicy(compiled, {
    entrypoints: options.entrypoints,
    queries,
    strictBuiltinErrors: options.strictBuiltinErrors ?? false,
  });
}

export async function compileRego(options: CompileOptions): Promise<CompileResult> {
  const policy = compileToIR(options);
  const wasm = emitWasm(policy);
  const entrypoints: Record<string, number> = {};
  policy.plans.forEach((p, i) => (entrypoints[p.name] = i));
  return { wasm, entrypoints };
}

/** Emits a module for parsed modules (see planModules). */
export function compileParsed(modules: Module[], options: Omit<CompileOptions, "modules" | "regoVersion">): CompileResult {
  const policy = planModules(modules, options);
  const entrypoints: Record<string, number> = {};
  policy.plans.forEach((p, i) => (entrypoints[p.name] = i));
  return { wasm: emitWasm(policy), entrypoints };
}
