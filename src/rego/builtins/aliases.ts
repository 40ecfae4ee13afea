// Host builtins the SDK would shadow: @open-policy-agent/opa-wasm answers
// `sprintf`, `regex.split`, `json.is_valid` and `yaml.*` with its own
// JavaScript versions before it looks at the custom-builtins map, so a
// compiled module names ours under an alias. Kept apart from host.ts so the
// compiler can use it without loading every builtin implementation.
export const sdkShadowedBuiltins: readonly string[] = ["json.is_valid", "regex.split", "sprintf", "yaml.is_valid", "yaml.marshal", "yaml.unmarshal"];

/** The name a compiled module should give a host builtin so that writ's
 *  host map, not the SDK, answers. */
export function hostAlias(name: string): string {
  return sdkShadowedBuiltins.includes(name) ? `writ.host.${name}` : name;
}
