// http.send's request check natively: unknown keys and missing method/url
// are operand errors, as OPA reports them, without a host; a well-formed
// request goes to the host builtin (the module has no network), through the
// per-evaluation cache of nondeterministic host calls.
import { bufAscii, bufByte } from "../buf";
import { collOrder, orderedPos } from "../coll";
import { beginError, ERR_TYPE, operandError } from "../errors";
import { writ_call_nd_builtin1 } from "../host";
import { writeGoQuoted } from "../rego_text";
import { Obj, Str, T_OBJECT, T_STRING } from "../value";
import { isType } from "./operands";

/** OPA's request keys, each followed by a space. (One literal: the runtime
 *  has no allocator for strings built at run time.) */
// prettier-ignore
const REQUEST_KEYS: string = "method url body enable_redirect force_json_decode force_yaml_decode headers raw_body tls_use_system_certs tls_ca_cert tls_ca_cert_file tls_ca_cert_env_variable tls_client_cert tls_client_cert_file tls_client_cert_env_variable tls_client_key tls_client_key_file tls_client_key_env_variable tls_insecure_skip_verify tls_server_name timeout cache force_cache force_cache_duration_seconds raise_error caching_mode max_retry_attempts cache_ignored_headers ";

function isRequestKey(p: usize, n: usize): bool {
  let start = 0;
  for (let i = 0; i < REQUEST_KEYS.length; i++) {
    if (REQUEST_KEYS.charCodeAt(i) != 32) continue;
    if (<usize>(i - start) == n) {
      let same = true;
      for (let k = 0; k < <i32>n && same; k++) same = <u32>load<u8>(p + <usize>k) == <u32>REQUEST_KEYS.charCodeAt(start + k);
      if (same) return true;
    }
    start = i + 1;
  }
  return false;
}

function hasKey(o: Obj, name: string): bool {
  for (let i: u32 = 0; i < o.count; i++) {
    const k = load<usize>(o.keys + (<usize>i << 2));
    if (load<u32>(k) != T_STRING) continue;
    const s = changetype<Str>(k);
    if (<i32>s.len != name.length) continue;
    let same = true;
    for (let j = 0; j < name.length && same; j++) same = <u32>load<u8>(s.ptr + <usize>j) == <u32>name.charCodeAt(j);
    if (same) return true;
  }
  return false;
}

export function writ_bi_http_send(request: usize, hostId: i32): usize {
  if (!isType(request, T_OBJECT)) return operandError("http.send", 1, "object", request);
  const o = changetype<Obj>(request);
  const order = collOrder(request);
  // unknown keys, in key order (strings sort byte-wise, as OPA prints a set)
  let unknown: u32 = 0;
  for (let i: u32 = 0; i < o.count; i++) {
    const k = load<usize>(o.keys + (<usize>orderedPos(order, i) << 2));
    // a key that is no string: the host reports it
    if (load<u32>(k) != T_STRING) return writ_call_nd_builtin1(hostId & 0x3fffffff, request);
    if (!isRequestKey(changetype<Str>(k).ptr, changetype<Str>(k).len)) unknown++;
  }
  if (unknown > 0) {
    const b = beginError(ERR_TYPE, "http.send");
    bufAscii(b, "operand 1 invalid request parameters(s): {");
    let first = true;
    for (let i: u32 = 0; i < o.count; i++) {
      const k = changetype<Str>(load<usize>(o.keys + (<usize>orderedPos(order, i) << 2)));
      if (isRequestKey(k.ptr, k.len)) continue;
      if (!first) bufAscii(b, ", ");
      first = false;
      writeGoQuoted(b, k.ptr, k.len);
    }
    bufByte(b, 125);
    return 0;
  }
  const noMethod = !hasKey(o, "method");
  const noUrl = !hasKey(o, "url");
  if (noMethod || noUrl) {
    const b = beginError(ERR_TYPE, "http.send");
    bufAscii(b, "operand 1 missing required request parameters(s): {");
    if (noMethod) bufAscii(b, "\"method\"");
    if (noMethod && noUrl) bufAscii(b, ", ");
    if (noUrl) bufAscii(b, "\"url\"");
    bufByte(b, 125);
    return 0;
  }
  return writ_call_nd_builtin1(hostId & 0x3fffffff, request);
}
