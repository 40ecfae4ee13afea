// providers.aws.sign_req(request, config, time_ns): OPA returns the request
// as given with only `headers` replaced (v1/topdown/providers.go: the
// original headers with string values, Authorization, the x-amz-* headers).
// The signing is the host's: it gets the operands as JSON (a set in the body
// becomes an array, as Go's json.Marshal writes it, so the signature is
// right) and reports the operand errors. Its answer has been through JSON
// too, so only its `headers` are taken; everything else comes from the
// request value itself, sets and non-string keys intact.
import { collCopy, objectGet, objectInsert } from "../coll";
import { writ_call_builtin3 } from "../host";
import { T_OBJECT, newStringAscii } from "../value";

export function writ_bi_providers_aws_sign_req(req: usize, config: usize, timeNs: usize, hostId: i32): usize {
  if (req == 0 || config == 0 || timeNs == 0) return 0;
  const r = writ_call_builtin3(hostId & 0x3fffffff, req, config, timeNs);
  if (r == 0 || load<u32>(req) != T_OBJECT || load<u32>(r) != T_OBJECT) return r;
  const key = newStringAscii("headers");
  const headers = objectGet(r, key);
  if (headers == 0) return r;
  const out = collCopy(req, 1);
  objectInsert(out, key, headers);
  return out;
}
