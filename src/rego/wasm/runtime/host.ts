// Host builtins: the SDK dispatches opa_builtinN(id, ctx, args...) to the JS
// function registered under the name builtins() maps to `id`. ctx is
// reserved and always 0.
import { ndLookup, ndRemember } from "./ndcache";

@external("env", "opa_builtin0")
declare function opa_builtin0(id: i32, ctx: usize): usize;
@external("env", "opa_builtin1")
declare function opa_builtin1(id: i32, ctx: usize, a: usize): usize;
@external("env", "opa_builtin2")
declare function opa_builtin2(id: i32, ctx: usize, a: usize, b: usize): usize;
@external("env", "opa_builtin3")
declare function opa_builtin3(id: i32, ctx: usize, a: usize, b: usize, c: usize): usize;
@external("env", "opa_builtin4")
declare function opa_builtin4(id: i32, ctx: usize, a: usize, b: usize, c: usize, d: usize): usize;

export function writ_call_builtin0(id: i32): usize {
  return opa_builtin0(id, 0);
}

export function writ_call_builtin1(id: i32, a: usize): usize {
  return opa_builtin1(id, 0, a);
}

export function writ_call_builtin2(id: i32, a: usize, b: usize): usize {
  return opa_builtin2(id, 0, a, b);
}

export function writ_call_builtin3(id: i32, a: usize, b: usize, c: usize): usize {
  return opa_builtin3(id, 0, a, b, c);
}

export function writ_call_builtin4(id: i32, a: usize, b: usize, c: usize, d: usize): usize {
  return opa_builtin4(id, 0, a, b, c, d);
}

// --- nondeterministic builtins: answered from the evaluation's cache (ndcache.ts)

export function writ_call_nd_builtin0(id: i32): usize {
  const hit = ndLookup(id, 0, 0, 0, 0);
  return hit != 0 ? hit : ndRemember(id, opa_builtin0(id, 0), 0, 0, 0, 0);
}

export function writ_call_nd_builtin1(id: i32, a: usize): usize {
  const hit = ndLookup(id, a, 0, 0, 0);
  return hit != 0 ? hit : ndRemember(id, opa_builtin1(id, 0, a), a, 0, 0, 0);
}

export function writ_call_nd_builtin2(id: i32, a: usize, b: usize): usize {
  const hit = ndLookup(id, a, b, 0, 0);
  return hit != 0 ? hit : ndRemember(id, opa_builtin2(id, 0, a, b), a, b, 0, 0);
}

export function writ_call_nd_builtin3(id: i32, a: usize, b: usize, c: usize): usize {
  const hit = ndLookup(id, a, b, c, 0);
  return hit != 0 ? hit : ndRemember(id, opa_builtin3(id, 0, a, b, c), a, b, c, 0);
}

export function writ_call_nd_builtin4(id: i32, a: usize, b: usize, c: usize, d: usize): usize {
  const hit = ndLookup(id, a, b, c, d);
  return hit != 0 ? hit : ndRemember(id, opa_builtin4(id, 0, a, b, c, d), a, b, c, d);
}
