// Builtins implemented inside the Wasm runtime; every other builtin is a host
// builtin, called through the SDK's opa_builtinN imports. The runtime
// exports each as `writ_bi_<name with dots as underscores>` taking the
// arguments' value addresses and returning a value address (0: undefined).
import { exactNsBuiltins, exactNsHostName, hostAlias } from "../builtins/aliases.js";

const nativeArity: ReadonlyMap<string, number> = new Map([
  // arithmetic
  ["plus", 2], ["minus", 2], ["mul", 2], ["div", 2], ["rem", 2],
  ["abs", 1], ["round", 1], ["ceil", 1], ["floor", 1],
  // comparison
  ["equal", 2], ["neq", 2], ["lt", 2], ["lte", 2], ["gt", 2], ["gte", 2],
  // sets
  ["and", 2], ["or", 2], ["union", 1], ["intersection", 1],
  // aggregates
  ["count", 1], ["sum", 1], ["product", 1], ["max", 1], ["min", 1], ["sort", 1], ["all", 1], ["any", 1],
  // objects and arrays
  ["object.get", 3], ["object.keys", 1], ["object.union", 2], ["object.union_n", 1], ["object.remove", 2],
  ["object.filter", 2], ["object.subset", 2],
  ["array.concat", 2], ["array.slice", 3], ["array.reverse", 1], ["array.flatten", 1],
  // types
  ["is_number", 1], ["is_string", 1], ["is_boolean", 1], ["is_array", 1], ["is_set", 1], ["is_object", 1],
  ["is_null", 1], ["type_name", 1],
  // strings
  ["concat", 2], ["startswith", 2], ["endswith", 2], ["contains", 2], ["lower", 1], ["upper", 1],
  ["indexof", 2], ["substring", 3], ["trim", 2], ["trim_left", 2], ["trim_right", 2], ["trim_prefix", 2],
  ["trim_suffix", 2], ["trim_space", 1], ["split", 2], ["replace", 3], ["strings.reverse", 1], ["format_int", 2],
  ["strings.replace_n", 2], ["sprintf", 2], ["strings.any_prefix_match", 2], ["strings.any_suffix_match", 2],
  ["strings.count", 2], ["indexof_n", 2],
  // patterns (compiled programs cached in the module)
  ["glob.match", 3], ["regex.match", 2], ["re_match", 2], ["regex.is_valid", 1],
  // units
  ["units.parse", 1], ["units.parse_bytes", 1],
  // the request check of http.send (the request itself is the host's)
  ["http.send", 1],
  // encodings
  ["json.marshal", 1], ["json.unmarshal", 1], ["json.is_valid", 1], ["json.patch", 2],
  ["base64.encode", 1], ["base64.decode", 1], ["base64.is_valid", 1], ["base64url.encode", 1], ["base64url.decode", 1],
  // membership (`in`)
  ["internal.member_2", 2], ["internal.member_3", 3],
  // numbers
  ["to_number", 1], ["numbers.range", 2], ["numbers.range_step", 3],
  ["bits.and", 2], ["bits.or", 2], ["bits.xor", 2], ["bits.negate", 1], ["bits.lsh", 2], ["bits.rsh", 2],
  // graphs and relations
  ["graph.reachable", 2], ["walk", 1],
  // networks: the match keys (set members, object keys); the CIDRs are the host's
  ["net.cidr_contains_matches", 2],
  // AWS signing: the request kept as given (sets in the body), only its
  // headers from the host, which signs
  ["providers.aws.sign_req", 3],
  // string interpolation
  ["internal.template_string", 1],
  // time: nanosecond operands beyond 2^53 handed to the host exactly (the
  // time arithmetic is the host's; see exactNsBuiltins)
  ["time.format", 1], ["time.date", 1], ["time.clock", 1], ["time.weekday", 1], ["time.add_date", 4], ["time.diff", 2],
]);

/** Natives whose errors may be eval_conflict_errors, raised even without
 *  strict builtin errors. */
const raisesConflicts: ReadonlySet<string> = new Set(["internal.template_string"]);

/** Natives that hand what they cannot do (patterns their compilers leave
 *  out, invalid patterns whose error texts the host knows) to the host
 *  builtin of the same name: the module lists that builtin in builtins()
 *  and passes its id as a last argument. */
const hostFallbacks: ReadonlySet<string> = new Set([
  "glob.match", "regex.match", "re_match", "regex.is_valid", "http.send", "net.cidr_contains_matches",
  "providers.aws.sign_req", ...exactNsBuiltins,
]);

/** Set in the id argument when builtin errors are strict: only then does an
 *  invalid pattern need the host (for its error text); otherwise the call
 *  is simply undefined. (runtime/builtins/patterns.ts reads it.) */
export const HOST_FALLBACK_STRICT = 0x40000000;

export function nativeHasHostFallback(name: string): boolean {
  return hostFallbacks.has(name);
}

export function nativeRaisesConflicts(name: string): boolean {
  return raisesConflicts.has(name);
}

export function isNativeBuiltin(name: string): boolean {
  return nativeArity.has(name);
}

export function nativeBuiltinNames(): string[] {
  return [...nativeArity.keys()];
}

export function nativeArityOf(name: string): number | undefined {
  return nativeArity.get(name);
}

/** The runtime export implementing a native builtin. */
export function nativeExportName(name: string): string {
  return `writ_bi_${name.replace(/\./g, "_")}`;
}

/** The name a host builtin has in the module's builtins() map: the SDK
 *  answers six builtins itself, so writ's are listed under an alias. */
export function hostBuiltinName(name: string): string {
  return hostAlias(name);
}

/** The host builtin a native's fallback calls: the builtin of the same name,
 *  except for the time builtins, whose natives call an internal one that
 *  takes exact nanoseconds (runtime/builtins/time.ts). */
export function hostFallbackName(name: string): string {
  return exactNsBuiltins.includes(name) ? exactNsHostName(name) : hostAlias(name);
}
