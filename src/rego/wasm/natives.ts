// Builtins implemented inside the Wasm runtime (the rest are host builtins).
// (Provisional list; the runtime owns the authoritative one.)
const natives = new Set([
  "plus", "minus", "mul", "div", "rem", "abs", "round", "ceil", "floor",
  "equal", "neq", "lt", "lte", "gt", "gte", "and", "or",
  "count", "sum", "product", "max", "min", "sort", "all", "any",
  "object.get", "object.keys", "array.concat", "array.slice", "array.reverse",
  "is_number", "is_string", "is_boolean", "is_array", "is_set", "is_object", "is_null", "type_name",
  "concat", "startswith", "endswith", "contains", "lower", "upper",
  "internal.member_2", "internal.member_3",
]);

export function isNativeBuiltin(name: string): boolean {
  return natives.has(name);
}
