// Compiled modules: parsed modules checked, resolved and rewritten, ready to plan.
// (Stub.)
import type { Module } from "../ast.js";

export interface CompiledModules {
  modules: Module[];
}

export function compileModules(modules: Module[]): CompiledModules {
  return { modules };
}
