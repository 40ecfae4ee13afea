// internal.template_string: string interpolation ($"a {x} b"). The planner
// passes string parts as strings and each embedded term as the set of its
// values; an empty set prints <undefined>, several values are a conflict.
import { bufAscii, bufBytes, bufNew } from "../buf";
import { beginError, ERR_CONFLICT, operandError } from "../errors";
import { writeRegoText } from "../rego_text";
import { Arr, Obj, Str, T_ARRAY, T_SET, T_STRING, newString } from "../value";
import { isType } from "./operands";

export function writ_bi_internal_template_string(parts: usize): usize {
  if (!isType(parts, T_ARRAY)) return operandError("internal.template_string", 1, "array", parts);
  const a = changetype<Arr>(parts);
  const b = bufNew(64);
  for (let i: u32 = 0; i < a.count; i++) {
    let v = load<usize>(a.elems + (<usize>i << 2));
    if (load<u32>(v) == T_SET) {
      const s = changetype<Obj>(v);
      if (s.count == 0) {
        bufAscii(b, "<undefined>");
        continue;
      }
      if (s.count > 1) {
        bufAscii(beginError(ERR_CONFLICT, "internal.template_string"), "template-strings must not produce multiple outputs");
        return 0;
      }
      v = load<usize>(s.keys);
    }
    if (load<u32>(v) == T_STRING) bufBytes(b, changetype<Str>(v).ptr, changetype<Str>(v).len);
    else writeRegoText(b, v);
  }
  return newString(b.ptr, b.len);
}
