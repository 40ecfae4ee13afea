// Compiled Rego → planner IR. (Stub.)
import type { CompiledModules } from "../compiler/index.js";
import type { Policy } from "../ir.js";

export interface PlanOptions {
  entrypoints: string[];
  queries: Record<string, string>;
  strictBuiltinErrors: boolean;
}

export function planPolicy(compiled: CompiledModules, options: PlanOptions): Policy {
  void compiled;
  void options;
  throw new Error("planner not implemented");
}
