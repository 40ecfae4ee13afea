// A bundle's policy.wasm loaded into the unmodified OPA Wasm SDK, with writ's
// host builtins as the SDK's custom-builtins map.
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { createHostBuiltins, hostBuiltins } from "../rego/builtins/host.js";
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

  static async fromBundle(bundle: Bundle, entrypoint = DECISION_ENTRYPOINT, options: { allowNetwork?: boolean } = {}): Promise<WasmPolicyEngine> {
    // network builtins are refused unless the operator allowed them
    const builtins = options.allowNetwork ? createHostBuiltins({ capabilities: { http: true, netLookup: true } }) : hostBuiltins;
    const policy = await loadPolicy(bundle.wasm, undefined, builtins);
    const entrypoints = policy.entrypoints as Record<string, number>;
    if (!Object.prototype.hasOwnProperty.call(entrypoints, entrypoint)) {
      throw new Error(`bundle ${bundle.manifest.revision}: policy.wasm has no entrypoint "${entrypoint}" (has: ${Object.keys(entrypoints).join(", ") || "none"})`);
    }
    policy.setData(bundle.data);
    const engine = new WasmPolicyEngine(policy, entrypoints[entrypoint], bundle.manifest.revision, bundle.digest);
    engine.warmUp();
    return engine;
  }

  // V8 compiles Wasm functions lazily, on first call: the first evaluations
  // of a fresh module can take tens of milliseconds. They happen here, before
  // the engine serves (and before a hot swap puts it in place).
  private warmUp(): void {
    const now = new Date().toISOString();
    const input = JSON.stringify({
      action: { harness: "writ-warm-up", session_id: "writ-warm-up", event: "pre_tool_use", tool: "Read", action: { kind: "file_read", paths: ["/"] } },
      agent: { id: "writ-warm-up" },
      session: { id: "writ-warm-up", labels: [], counters: { total: 0 }, spend: { usd: 0, tokens: 0, tool_calls: 0 }, started_at: now },
      now,
    });
    for (let i = 0; i < 3; i++) {
      try {
        this.evaluate(input);
      } catch {
        // a policy that errors on this input is still served; its errors deny
      }
    }
  }

  evaluate(inputJson: string): unknown {
    // The SDK takes an ArrayBuffer as ready-made JSON: one encode, no
    // JSON.stringify of an object we would first have to build.
    return this.policy.evaluate(encoder.encode(inputJson).buffer, this.entrypoint);
  }
}
