// The builtin error slot. A failing builtin returns undefined (0) and leaves
// its message here; code compiled with strict builtin errors checks the slot
// when a builtin returns undefined and aborts with the message, classed as
// OPA's topdown classes them (operand type errors are eval_type_error).
import { abortAt } from "./abort";
import { Buf, bufAscii, bufByte, bufBytes, bufI64, bufNew } from "./buf";
import { T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_SET, T_STRING } from "./value";

export const ERR_NONE: u32 = 0;
export const ERR_TYPE: u32 = 1;
export const ERR_BUILTIN: u32 = 2;
/** Raised whether or not builtin errors are strict (OPA's eval_conflict_error). */
export const ERR_CONFLICT: u32 = 3;

let errClass: u32 = ERR_NONE;
let errBuf: Buf = changetype<Buf>(0);

export function clearBuiltinError(): void {
  errClass = ERR_NONE;
}

export function builtinErrorClass(): u32 {
  return errClass;
}

export function typeNameOf(v: usize): string {
  switch (load<u32>(v)) {
    case T_NULL: return "null";
    case T_BOOLEAN: return "boolean";
    case T_NUMBER: return "number";
    case T_STRING: return "string";
    case T_ARRAY: return "array";
    case T_OBJECT: return "object";
    case T_SET: return "set";
  }
  return "undefined";
}

/** Starts a message "<builtin>: " of the given class (conflicts carry no
 *  builtin name); append to the buffer it returns. */
export function beginError(cls: u32, builtin: string): Buf {
  errClass = cls;
  errBuf = bufNew(64);
  if (cls != ERR_CONFLICT) {
    bufAscii(errBuf, builtin);
    bufAscii(errBuf, ": ");
  }
  return errBuf;
}

/** "<builtin>: operand <n> must be <expected> but got <type of v>"; returns
 *  undefined (0) for the builtin to return. */
export function operandError(builtin: string, n: i32, expected: string, v: usize): usize {
  const b = beginError(ERR_TYPE, builtin);
  bufAscii(b, "operand ");
  bufI64(b, n);
  bufAscii(b, " must be ");
  bufAscii(b, expected);
  bufAscii(b, " but got ");
  bufAscii(b, typeNameOf(v));
  return 0;
}

/** A type error with a free-form message. */
export function typeError(builtin: string, msg: string): usize {
  bufAscii(beginError(ERR_TYPE, builtin), msg);
  return 0;
}

/** An eval_builtin_error with a free-form message. */
export function builtinError(builtin: string, msg: string): usize {
  bufAscii(beginError(ERR_BUILTIN, builtin), msg);
  return 0;
}

/** Aborts with "<location>: <class>: <message>" if an error is pending that
 *  the caller must raise: any error when `strict`, conflicts always.
 *  `location` is a NUL-terminated "file:row:col"; builtin errors print
 *  "file:row" as OPA's topdown does, conflicts the whole location. */
export function raisePendingError(location: usize, strict: bool): void {
  if (errClass == ERR_NONE) return;
  if (!strict && errClass != ERR_CONFLICT) {
    errClass = ERR_NONE;
    return;
  }
  const b = bufNew(128);
  let n: usize = 0;
  while (load<u8>(location + n) != 0) n++;
  if (errClass != ERR_CONFLICT) {
    // drop ":col"
    let m = n;
    while (m > 0 && load<u8>(location + m - 1) != 58) m--;
    if (m > 0) n = m - 1;
  }
  bufBytes(b, location, n);
  bufAscii(
    b,
    errClass == ERR_TYPE ? ": eval_type_error: " : errClass == ERR_CONFLICT ? ": eval_conflict_error: " : ": eval_builtin_error: ",
  );
  bufBytes(b, errBuf.ptr, errBuf.len);
  bufByte(b, 0);
  errClass = ERR_NONE;
  abortAt(b.ptr);
}
