// writ's Wasm runtime for the OPA ABI: everything a compiled policy needs
// except the policy itself, which the emitter links in (src/rego/wasm/emit.ts).
export * from "./abi";
export * from "./exec";
export * from "./host";
export * from "./builtins/index";
