// The shape every host builtin implementation has, and what it may consult.
import type { Value } from "./values.js";

/** Returns the builtin's value, or undefined for "no result"; throws BuiltinError. */
export type BuiltinImpl = (...args: Value[]) => Value | undefined;

export interface BuiltinContext {
  /** wall-clock time in ns since the Unix epoch (time.now_ns) */
  now(): bigint;
  capabilities: { http: boolean; netLookup: boolean };
  /** where print() output goes (none: discarded, as OPA without a print hook) */
  print?: (message: string) => void;
}
