// Values -> JSON text (sets as arrays, non-string object keys as strings of
// their JSON) or Rego syntax (set literals, bare non-string keys).
import { Buf, bufByte, bufBytes, bufCString, bufNew, bufReserve } from "./buf";
import { collOrder, orderedPos } from "./coll";
import { writeNumber } from "./num";
import { jsonStringSpecial } from "./str";
import { Arr, Bool, Obj, Str, T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_SET, T_STRING } from "./value";

const HEX: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

export function writeStringBytes(b: Buf, p: usize, n: usize): void {
  bufReserve(b, n + 2);
  bufByte(b, 34);
  let runStart = p;
  const e = p + n;
  for (let q = jsonStringSpecial(p, e); q < e; q = jsonStringSpecial(q + 1, e)) {
    const c = <u32>load<u8>(q);
    if (q > runStart) bufBytes(b, runStart, q - runStart);
    runStart = q + 1;
    bufByte(b, 92);
    switch (c) {
      case 34: bufByte(b, 34); break;
      case 92: bufByte(b, 92); break;
      case 10: bufByte(b, 110); break;
      case 13: bufByte(b, 114); break;
      case 9: bufByte(b, 116); break;
      case 8: bufByte(b, 98); break;
      case 12: bufByte(b, 102); break;
      default:
        bufByte(b, 117);
        bufByte(b, 48);
        bufByte(b, 48);
        bufByte(b, load<u8>(HEX + (c >> 4)));
        bufByte(b, load<u8>(HEX + (c & 15)));
    }
  }
  if (e > runStart) bufBytes(b, runStart, e - runStart);
  bufByte(b, 34);
}

function writeAscii4(b: Buf, text: string): void {
  for (let i = 0; i < text.length; i++) bufByte(b, <u32>text.charCodeAt(i));
}

/** Writes v; `rego` selects Rego syntax over JSON. */
export function writeValue(b: Buf, v: usize, rego: bool): void {
  switch (load<u32>(v)) {
    case T_NULL:
      writeAscii4(b, "null");
      return;
    case T_BOOLEAN:
      writeAscii4(b, changetype<Bool>(v).value ? "true" : "false");
      return;
    case T_NUMBER:
      writeNumber(b, v);
      return;
    case T_STRING: {
      const s = changetype<Str>(v);
      writeStringBytes(b, s.ptr, s.len);
      return;
    }
    case T_ARRAY: {
      const a = changetype<Arr>(v);
      bufByte(b, 91);
      for (let i: u32 = 0; i < a.count; i++) {
        if (i) bufByte(b, 44);
        writeValue(b, load<usize>(a.elems + (<usize>i << 2)), rego);
      }
      bufByte(b, 93);
      return;
    }
    case T_OBJECT: {
      const o = changetype<Obj>(v);
      const order = collOrder(v);
      bufByte(b, 123);
      for (let i: u32 = 0; i < o.count; i++) {
        if (i) bufByte(b, 44);
        const pos = orderedPos(order, i);
        const k = load<usize>(o.keys + (<usize>pos << 2));
        if (rego || load<u32>(k) == T_STRING) writeValue(b, k, rego);
        else {
          const kb = bufNew(32);
          writeValue(kb, k, false);
          writeStringBytes(b, kb.ptr, kb.len);
        }
        bufByte(b, 58);
        writeValue(b, load<usize>(o.vals + (<usize>pos << 2)), rego);
      }
      bufByte(b, 125);
      return;
    }
    case T_SET: {
      const o = changetype<Obj>(v);
      if (rego && o.count == 0) {
        writeAscii4(b, "set()");
        return;
      }
      const order = collOrder(v);
      bufByte(b, rego ? 123 : 91);
      for (let i: u32 = 0; i < o.count; i++) {
        if (i) bufByte(b, 44);
        writeValue(b, load<usize>(o.keys + (<usize>orderedPos(order, i) << 2)), rego);
      }
      bufByte(b, rego ? 125 : 93);
      return;
    }
  }
}

/** NUL-terminated text of v. */
export function dumpValue(v: usize, rego: bool): usize {
  const b = bufNew(64);
  writeValue(b, v, rego);
  return bufCString(b);
}
