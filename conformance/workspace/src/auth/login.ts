// A stand-in source file for the conformance suites' workspace.
export const LOGIN_TIMEOUT_MS = 5000;
