// json.marshal json.unmarshal json.is_valid.
import { builtinError, operandError } from "../errors";
import { Buf, bufByte, bufBytes, bufNew } from "../buf";
import { writeValue } from "../json_dump";
import { parseValue } from "../json_parse";
import { Str, T_STRING, boolValue, newString } from "../value";

/** Go's encoder also escapes <, > and & (and U+2028/9) for HTML safety. */
function htmlEscape(src: Buf): Buf {
  const out = bufNew(src.len + 16);
  const end = src.ptr + src.len;
  let run = src.ptr;
  for (let q = src.ptr; q < end; q++) {
    const c = load<u8>(q);
    let esc: u32 = 0;
    if (c == 60) esc = 0x3c;
    else if (c == 62) esc = 0x3e;
    else if (c == 38) esc = 0x26;
    else if (c == 0xe2 && q + 2 < end && load<u8>(q + 1) == 0x80 && (load<u8>(q + 2) == 0xa8 || load<u8>(q + 2) == 0xa9)) {
      esc = load<u8>(q + 2) == 0xa8 ? 0x2028 : 0x2029;
    }
    if (esc == 0) continue;
    bufBytes(out, run, q - run);
    bufByte(out, 92);
    bufByte(out, 117);
    const hex = "0123456789abcdef";
    bufByte(out, <u32>hex.charCodeAt((esc >> 12) & 15));
    bufByte(out, <u32>hex.charCodeAt((esc >> 8) & 15));
    bufByte(out, <u32>hex.charCodeAt((esc >> 4) & 15));
    bufByte(out, <u32>hex.charCodeAt(esc & 15));
    if (esc >= 0x2000) q += 2;
    run = q + 1;
  }
  bufBytes(out, run, end - run);
  return out;
}

export function writ_bi_json_marshal(v: usize): usize {
  if (v == 0) return 0;
  const b = bufNew(64);
  writeValue(b, v, false);
  const h = htmlEscape(b);
  return newString(h.ptr, h.len);
}

export function writ_bi_json_unmarshal(s: usize): usize {
  if (s == 0 || load<u32>(s) != T_STRING) return operandError("json.unmarshal", 1, "string", s);
  const x = changetype<Str>(s);
  const v = parseValue(x.ptr, x.len, false, false);
  if (v == 0) return builtinError("json.unmarshal", "invalid JSON");
  return v;
}

export function writ_bi_json_is_valid(s: usize): usize {
  if (s == 0) return 0;
  if (load<u32>(s) != T_STRING) return boolValue(false);
  const x = changetype<Str>(s);
  return boolValue(parseValue(x.ptr, x.len, false, false) != 0);
}
