// Aborting the evaluation, and the slot where builtins leave their errors.
@external("env", "opa_abort")
declare function opa_abort(addr: usize): void;

import { malloc } from "./alloc";

/** Aborts with a NUL-terminated UTF-8 message already in memory. */
export function abortAt(msg: usize): void {
  opa_abort(msg);
  unreachable();
}

/** Aborts with an ASCII AssemblyScript literal (UTF-16 in memory, so it is
 *  narrowed to bytes first). */
export function abortText(text: string): void {
  abortAt(asciiToC(text));
}

/** Copies an ASCII literal to a NUL-terminated byte string on the heap. */
export function asciiToC(text: string): usize {
  const n = <usize>text.length;
  const p = malloc(n + 1);
  for (let i: usize = 0; i < n; i++) store<u8>(p + i, <u8>text.charCodeAt(<i32>i));
  store<u8>(p + n, 0);
  return p;
}

/** AssemblyScript's own `abort` (asconfig `use`): report through opa_abort,
 *  since the SDK provides no `env.abort`. */
export function asAbort(msg: string | null, file: string | null, line: u32, col: u32): void {
  abortText("internal runtime error");
}
