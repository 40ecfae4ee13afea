// IR → OPA-ABI Wasm module. (Stub: the real emitter lands here.)
import type { Policy } from "../ir.js";

/** Emits a module that runs `policy` when loaded by @open-policy-agent/opa-wasm. */
export function emitWasm(policy: Policy): Uint8Array {
  void policy;
  throw new Error("wasm emitter not implemented");
}
