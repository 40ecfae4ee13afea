// The `writ` package: the Rego→Wasm compiler and the pieces a host needs to
// evaluate what it produces.
export { compileRego } from "./rego/compile.js";
export type { CompileOptions, CompileResult } from "./rego/compile.js";
export { RegoError } from "./rego/errors.js";
export type { RegoErrorCode, RegoProblem } from "./rego/errors.js";
export { hostBuiltins } from "./rego/builtins/host.js";
export { version } from "./version.js";
