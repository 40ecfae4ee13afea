// Builtins implemented in TypeScript and handed to the Wasm SDK as its
// custom-builtins map (third argument of `loadPolicy`). Builtins native to the
// Wasm runtime are not listed here.
export type HostBuiltin = (...args: unknown[]) => unknown;

export const hostBuiltins: Record<string, HostBuiltin> = {};
