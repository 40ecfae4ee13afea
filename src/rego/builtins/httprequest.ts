// The request object shared by http.send and providers.aws.sign_req, checked
// the way OPA checks it (unknown keys, missing or mistyped method/url).
import { operandError } from "./errors.js";
import { compareStrings, isObject, typeName, type ObjectValue, type Value } from "./values.js";
import { goQuote } from "./values.js";

export const REQUEST_KEYS = new Set([
  "method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers", "raw_body",
  "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert",
  "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file",
  "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache", "force_cache",
  "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers",
]);

/** A set of names as OPA prints an ast.Set of strings: {"a", "b"}. */
export const nameSet = (names: string[]) => "{" + [...names].sort(compareStrings).map(goQuote).join(", ") + "}";

export function validateRequest(v: Value | undefined, pos: number): ObjectValue {
  if (!isObject(v)) throw operandError(pos, `must be object but got ${typeName(v)}`);
  const unknown = Object.keys(v).filter((k) => !REQUEST_KEYS.has(k));
  if (unknown.length) throw operandError(pos, `invalid request parameters(s): ${nameSet(unknown)}`);
  const missing = ["method", "url"].filter((k) => !(k in v));
  if (missing.length) throw operandError(pos, `missing required request parameters(s): ${nameSet(missing)}`);
  return v;
}
