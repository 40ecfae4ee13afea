// The writ version, recorded in bundles and decisions.
export const version = "0.1.0";
