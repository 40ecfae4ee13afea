// TEMPORARY: a policy written as a JS function, used only while the Rego→Wasm
// compiler cannot yet build the example bundle. It goes through the same
// PolicyEngine interface (input as JSON text, OPA result set out) so that the
// pipeline, audit and HTTP tests exercise the real code around it. Delete once
// every test runs on compiled bundles.
import type { PolicyEngine } from "./engine.js";

export class StandInEngine implements PolicyEngine {
  constructor(
    private readonly decide: (input: Record<string, unknown>) => unknown,
    readonly revision = "stand-in",
    readonly digest = "0".repeat(64),
  ) {}

  evaluate(inputJson: string): unknown {
    const result = this.decide(JSON.parse(inputJson));
    return result === undefined ? [] : [{ result }];
  }
}
