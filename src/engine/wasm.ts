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
    readonly effectFree: boolean,
  ) {
    this.direct = sdkInternals(policy);
  }

  /** the SDK instance's fields for evaluateDirect, when it has them */
  private readonly direct: SdkInternals | undefined;

  /** who moves input and result across the module's memory */
  get marshaling(): "engine" | "sdk" {
    return this.direct ? "engine" : "sdk";
  }

  static async fromBundle(bundle: Bundle, entrypoint = DECISION_ENTRYPOINT, options: { allowNetwork?: boolean } = {}): Promise<WasmPolicyEngine> {
    // network builtins are refused unless the operator allowed them
    const builtins = options.allowNetwork ? createHostBuiltins({ capabilities: { http: true, netLookup: true } }) : hostBuiltins;
    const policy = await loadPolicy(bundle.wasm, undefined, builtins);
    const entrypoints = policy.entrypoints as Record<string, number>;
    if (!Object.prototype.hasOwnProperty.call(entrypoints, entrypoint)) {
      throw new Error(`bundle ${bundle.manifest.revision}: policy.wasm has no entrypoint "${entrypoint}" (has: ${Object.keys(entrypoints).join(", ") || "none"})`);
    }
    policy.setData(bundle.data);
    const engine = new WasmPolicyEngine(policy, entrypoints[entrypoint], bundle.manifest.revision, bundle.digest, !options.allowNetwork);
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
    if (this.direct) return this.evaluateDirect(this.direct, inputJson);
    // The SDK takes an ArrayBuffer as ready-made JSON: one encode, no
    // JSON.stringify of an object we would first have to build.
    return this.policy.evaluate(encoder.encode(inputJson).buffer, this.entrypoint);
  }

  // The SDK's evaluate (ABI 1.2 path) encodes the input into a fresh array
  // and copies it into the module's memory, then finds the end of the result
  // byte by byte in JavaScript and decodes it with a new TextDecoder: ~3 µs
  // of a ~17 µs evaluation of the example policy. This does the same calls
  // on the SDK's own instance — the input written straight into its memory,
  // the result found and decoded by Buffer — and is used only where the SDK
  // instance has the fields that path reads (else: policy.evaluate).
  private memView: Buffer | undefined;

  private evaluateDirect(sdk: SdkInternals, inputJson: string): unknown {
    const addr = sdk.dataHeapPtr;
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    const need = addr + inputJson.length * 3 - sdk.mem.buffer.byteLength;
    if (need > 0) sdk.mem.grow(Math.ceil(need / 65536));
    let mem = this.view(sdk);
    const len = mem.write(inputJson, addr, "utf8");
    const ret = sdk.eval(0, this.entrypoint, sdk.dataAddr, addr, len, addr + len, 0);
    mem = this.view(sdk); // the evaluation may have grown the memory
    return JSON.parse(mem.toString("utf8", ret, mem.indexOf(0, ret)));
  }

  private view(sdk: SdkInternals): Buffer {
    const buffer = sdk.mem.buffer;
    if (this.memView?.buffer !== buffer) this.memView = Buffer.from(buffer);
    return this.memView;
  }
}

/** What the SDK's ABI 1.2 evaluate reads from a LoadedPolicy. */
interface SdkInternals {
  readonly mem: WebAssembly.Memory;
  readonly dataAddr: number;
  readonly dataHeapPtr: number;
  eval(ctx: number, entrypoint: number, data: number, input: number, inputLen: number, heap: number, format: number): number;
}

function sdkInternals(policy: LoadedPolicy): SdkInternals | undefined {
  const p = policy as unknown as { minorVersion?: unknown; mem?: unknown; dataAddr?: unknown; dataHeapPtr?: unknown; wasmInstance?: { exports?: Record<string, unknown> } };
  const opaEval = p.wasmInstance?.exports?.opa_eval;
  if (typeof p.minorVersion !== "number" || p.minorVersion < 2 || !(p.mem instanceof WebAssembly.Memory) || typeof opaEval !== "function") return undefined;
  if (typeof p.dataAddr !== "number" || typeof p.dataHeapPtr !== "number") return undefined;
  // dataAddr and dataHeapPtr change when the SDK loads data: read them live
  return {
    mem: p.mem,
    get dataAddr() {
      return p.dataAddr as number;
    },
    get dataHeapPtr() {
      return p.dataHeapPtr as number;
    },
    eval: opaEval as SdkInternals["eval"],
  };
}
