// A bundle's policy.wasm loaded into the unmodified OPA Wasm SDK, with writ's
// host builtins as the SDK's custom-builtins map.
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { hostBuiltins } from "../rego/builtins/host.js";
import type { Bundle } from "../bundle/types.js";
import { DECISION_ENTRYPOINT, type PolicyEngine } from "./engine.js";

const encoder = new TextEncoder();

export class WasmPolicyEngine implements PolicyEngine {
  private constructor(
    private readonly policy: LoadedPolicy,
    private readonly entrypoint: number,
    readonly revision: string,
    readonly digest: string,
  ) {}

  static async fromBundle(bundle: Bundle, entrypoint = DECISION_ENTRYPOINT): Promise<WasmPolicyEngine> {
    const policy = await loadPolicy(bundle.wasm, undefined, hostBuiltins);
    const entrypoints = policy.entrypoints as Record<string, number>;
    if (!Object.prototype.hasOwnProperty.call(entrypoints, entrypoint)) {
      throw new Error(`bundle ${bundle.manifest.revision}: policy.wasm has no entrypoint "${entrypoint}" (has: ${Object.keys(entrypoints).join(", ") || "none"})`);
    }
    policy.setData(bundle.data);
    const engine = new WasmPolicyEngine(policy, entrypoints[entrypoint], bundle.manifest.revision, bundle.digest);
    return engine;
  }

  evaluate(inputJson: string): unknown {
    // The SDK takes an ArrayBuffer as ready-made JSON: one encode, no
    // JSON.stringify of an object we would first have to build.
    return this.policy.evaluate(encoder.encode(inputJson).buffer, this.entrypoint);
  }
}
