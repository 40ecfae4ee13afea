// is_number is_string is_boolean is_array is_set is_object is_null type_name.
import { newStringAscii, T_ARRAY, T_BOOLEAN, T_NULL, T_NUMBER, T_OBJECT, T_SET, T_STRING, boolValue } from "../value";
import { typeNameOf } from "../errors";

@inline
function is(v: usize, tag: u32): usize {
  return v == 0 ? 0 : boolValue(load<u32>(v) == tag);
}

export function writ_bi_is_number(v: usize): usize {
  return is(v, T_NUMBER);
}

export function writ_bi_is_string(v: usize): usize {
  return is(v, T_STRING);
}

export function writ_bi_is_boolean(v: usize): usize {
  return is(v, T_BOOLEAN);
}

export function writ_bi_is_array(v: usize): usize {
  return is(v, T_ARRAY);
}

export function writ_bi_is_set(v: usize): usize {
  return is(v, T_SET);
}

export function writ_bi_is_object(v: usize): usize {
  return is(v, T_OBJECT);
}

export function writ_bi_is_null(v: usize): usize {
  return is(v, T_NULL);
}

export function writ_bi_type_name(v: usize): usize {
  return v == 0 ? 0 : newStringAscii(typeNameOf(v));
}
