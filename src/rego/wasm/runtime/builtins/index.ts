// The native builtins (see ../../natives.ts for the name mapping).
export * from "./arith";
export * from "./compare";
export * from "./sets";
export * from "./aggregates";
export * from "./types";
export * from "./collections";
export * from "./strings";
export * from "./membership";
export * from "./numbers";
export * from "./bits";
export * from "./walk";
export * from "./objects";
export * from "./json";
export * from "./base64";
export * from "./template";
export * from "./graph";
