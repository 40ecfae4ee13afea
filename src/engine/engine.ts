// What the decision pipeline needs from a loaded policy: evaluate the
// decision entrypoint on an input given as JSON text, and name the bundle the
// answer came from.
export const DECISION_ENTRYPOINT = "writ/decision";

export interface PolicyEngine {
  readonly revision: string;
  /** SHA-256 (hex) of the bundle file */
  readonly digest: string;
  /** Evaluates the decision entrypoint; returns the raw OPA result set
   *  (`[{"result": …}]`, or `[]` when undefined). Throws on engine errors. */
  evaluate(inputJson: string): unknown;
  /** Evaluating has no effect outside the engine (no network builtins), so
   *  an evaluation may be repeated at will: the service repeats the last one
   *  while idle to keep the policy's code in the caches (pipeline.ts). */
  readonly effectFree?: boolean;
}
