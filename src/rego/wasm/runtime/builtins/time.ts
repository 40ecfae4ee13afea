// time.format, time.date, time.clock, time.weekday, time.add_date, time.diff:
// the time arithmetic is the host's, but the SDK hands a host builtin its
// operands as JSON, which JavaScript parses into doubles, and a nanosecond
// timestamp (~1.7e18) is beyond 2^53. So these natives call an internal host
// builtin (`writ.exact_ns.<name>`, see ../../../builtins/aliases.ts) that
// only they call, with each nanosecond operand (the number, or the first
// element of [ns, tz] / [ns, tz, layout]) that is an exact integer no f64
// holds sent as a string of its decimal digits, and any other number kept
// as its literal text (1670006453141828752.5: not an integer to OPA, whose
// big.Float has 64 bits, though the nearest double is one) as that text. A
// string a policy passes there is sent as "" instead, so a string of number
// text can only be such a number and the host's operand errors ("... but
// got string") stay as they were. Everything else goes as it is.
import { bufI64, bufNew } from "../buf";
import { writ_call_builtin1, writ_call_builtin2, writ_call_builtin4 } from "../host";
import { i64ok, numToI64 } from "../num";
import { Arr, Num, NUM_TEXT, Str, T_ARRAY, T_NUMBER, T_STRING, arrayAppend, newArray, newString } from "../value";

const HOST_ID_MASK: i32 = 0x3fffffff;

/** A nanosecond value as the host should get it (the value itself if as is). */
function nsForHost(v: usize): usize {
  const t = load<u32>(v);
  if (t == T_STRING) return changetype<Str>(v).len == 0 ? v : newString(0, 0);
  if (t != T_NUMBER || changetype<Num>(v).kind != NUM_TEXT) return v;
  const i = numToI64(v);
  if (!i64ok) return newString(changetype<Num>(v).text, changetype<Num>(v).len);
  const b = bufNew(20);
  bufI64(b, i);
  return newString(b.ptr, b.len);
}

/** OPA's tzTime operand (ns, [ns, tz] or [ns, tz, layout]) for the host. */
function tzTimeForHost(a: usize): usize {
  if (load<u32>(a) != T_ARRAY) return nsForHost(a);
  const arr = changetype<Arr>(a);
  if (arr.count == 0) return a;
  const first = load<usize>(arr.elems);
  const ns = nsForHost(first);
  if (ns == first) return a;
  const out = newArray(arr.count);
  arrayAppend(out, ns);
  for (let i: u32 = 1; i < arr.count; i++) arrayAppend(out, load<usize>(arr.elems + (<usize>i << 2)));
  return out;
}

export function writ_bi_time_format(a: usize, hostId: i32): usize {
  if (a == 0) return 0;
  return writ_call_builtin1(hostId & HOST_ID_MASK, tzTimeForHost(a));
}

export function writ_bi_time_date(a: usize, hostId: i32): usize {
  if (a == 0) return 0;
  return writ_call_builtin1(hostId & HOST_ID_MASK, tzTimeForHost(a));
}

export function writ_bi_time_clock(a: usize, hostId: i32): usize {
  if (a == 0) return 0;
  return writ_call_builtin1(hostId & HOST_ID_MASK, tzTimeForHost(a));
}

export function writ_bi_time_weekday(a: usize, hostId: i32): usize {
  if (a == 0) return 0;
  return writ_call_builtin1(hostId & HOST_ID_MASK, tzTimeForHost(a));
}

export function writ_bi_time_add_date(a: usize, years: usize, months: usize, days: usize, hostId: i32): usize {
  if (a == 0 || years == 0 || months == 0 || days == 0) return 0;
  return writ_call_builtin4(hostId & HOST_ID_MASK, tzTimeForHost(a), years, months, days);
}

export function writ_bi_time_diff(a: usize, b: usize, hostId: i32): usize {
  if (a == 0 || b == 0) return 0;
  return writ_call_builtin2(hostId & HOST_ID_MASK, tzTimeForHost(a), tzTimeForHost(b));
}
