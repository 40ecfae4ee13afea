// The `writ` package: the Rego→Wasm compiler and the pieces a host needs to
// evaluate what it produces.
export { compileRego } from "./rego/compile.js";
export type { CompileOptions, CompileResult } from "./rego/compile.js";
export { RegoError } from "./rego/errors.js";
export type { RegoErrorCode, RegoProblem } from "./rego/errors.js";
export { hostBuiltins } from "./rego/builtins/host.js";
export { version } from "./version.js";
export { readBundle, writeBundle, verifyBundle, signBundle, BundleError } from "./bundle/index.js";
export type { Bundle, BundleManifest, ReadOptions, WriteOptions, VerifyReport, FileProblem } from "./bundle/index.js";
export { buildPolicyBundle, DECISION_ENTRYPOINT } from "./contract/build.js";
export type { BuildOptions, BuildResult } from "./contract/build.js";
export { buildExampleBundle, examplePaths } from "./contract/example.js";
export type { ExampleBundle } from "./contract/example.js";
export { ContractError } from "./contract/problems.js";
export type { SourceProblem } from "./contract/problems.js";
export { generateSigningKeyPair, writeSigningKeyPair } from "./sign/keys.js";
