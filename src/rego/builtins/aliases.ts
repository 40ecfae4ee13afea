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

/** Time builtins whose nanosecond operands the native builtin hands over
 *  exactly (an integer beyond 2^53 would reach the host through JSON as a
 *  rounded double): the module calls `exactNsHostName(name)` instead, a host
 *  builtin only the native calls, which takes such an operand as its number
 *  text in a string (src/rego/wasm/runtime/builtins/time.ts). */
export const exactNsBuiltins: readonly string[] = ["time.format", "time.date", "time.clock", "time.weekday", "time.add_date", "time.diff"];

/** Not in the builtin catalog, so no policy calls it: number text in a string
 *  reaches it only from the native, which sends a policy's own strings as "". */
export function exactNsHostName(name: string): string {
  return `writ.exact_ns.${name}`;
}
