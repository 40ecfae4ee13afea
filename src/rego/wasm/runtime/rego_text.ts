// Values in Rego syntax as OPA's Value.String() prints them (what sprintf's
// %v and string interpolation show): ", " and ": " separators, sets as
// {a, b} or set(), strings quoted as Go's strconv.Quote does.
import { Buf, bufAscii, bufByte, bufBytes } from "./buf";
import { collOrder, orderedPos } from "./coll";
import { writeNumber } from "./num";
import { decodeRune, runeSize } from "./utf8";
import { Arr, Bool, Obj, Str, T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_SET, T_STRING } from "./value";

const HEX: string = "0123456789abcdef";

function hexByte(b: Buf, v: u32): void {
  bufByte(b, <u32>HEX.charCodeAt((v >> 4) & 15));
  bufByte(b, <u32>HEX.charCodeAt(v & 15));
}

export function writeGoQuoted(b: Buf, p: usize, n: usize): void {
  bufByte(b, 34);
  const end = p + n;
  let q = p;
  while (q < end) {
    const c = <u32>load<u8>(q);
    if (c >= 0x20 && c < 0x7f && c != 34 && c != 92) {
      bufByte(b, c);
      q++;
      continue;
    }
    if (c < 0x80) {
      bufByte(b, 92);
      switch (c) {
        case 34: bufByte(b, 34); break;
        case 92: bufByte(b, 92); break;
        case 10: bufByte(b, 110); break;
        case 9: bufByte(b, 116); break;
        case 13: bufByte(b, 114); break;
        case 7: bufByte(b, 97); break;
        case 8: bufByte(b, 98); break;
        case 12: bufByte(b, 102); break;
        case 11: bufByte(b, 118); break;
        default:
          bufByte(b, 120);
          hexByte(b, c);
      }
      q++;
      continue;
    }
    const r = decodeRune(q, end);
    const size = runeSize;
    if (r == 0xfffd && size == 1) {
      // an invalid byte: Go writes \x..
      bufByte(b, 92);
      bufByte(b, 120);
      hexByte(b, c);
    } else if ((r >= 0x80 && r <= 0x9f) || r == 0xad) {
      bufAscii(b, "\\u00");
      hexByte(b, r);
    } else bufBytes(b, q, size);
    q += size;
  }
  bufByte(b, 34);
}

export function writeRegoText(b: Buf, v: usize): void {
  switch (load<u32>(v)) {
    case T_NULL:
      bufAscii(b, "null");
      return;
    case T_BOOLEAN:
      bufAscii(b, changetype<Bool>(v).value ? "true" : "false");
      return;
    case T_NUMBER:
      writeNumber(b, v);
      return;
    case T_STRING: {
      const s = changetype<Str>(v);
      writeGoQuoted(b, s.ptr, s.len);
      return;
    }
    case T_ARRAY: {
      const a = changetype<Arr>(v);
      bufByte(b, 91);
      for (let i: u32 = 0; i < a.count; i++) {
        if (i) bufAscii(b, ", ");
        writeRegoText(b, load<usize>(a.elems + (<usize>i << 2)));
      }
      bufByte(b, 93);
      return;
    }
    case T_OBJECT: {
      const o = changetype<Obj>(v);
      const order = collOrder(v);
      bufByte(b, 123);
      for (let i: u32 = 0; i < o.count; i++) {
        if (i) bufAscii(b, ", ");
        const pos = orderedPos(order, i);
        writeRegoText(b, load<usize>(o.keys + (<usize>pos << 2)));
        bufAscii(b, ": ");
        writeRegoText(b, load<usize>(o.vals + (<usize>pos << 2)));
      }
      bufByte(b, 125);
      return;
    }
    case T_SET: {
      const o = changetype<Obj>(v);
      if (o.count == 0) {
        bufAscii(b, "set()");
        return;
      }
      const order = collOrder(v);
      bufByte(b, 123);
      for (let i: u32 = 0; i < o.count; i++) {
        if (i) bufAscii(b, ", ");
        writeRegoText(b, load<usize>(o.keys + (<usize>orderedPos(order, i) << 2)));
      }
      bufByte(b, 125);
      return;
    }
  }
}
