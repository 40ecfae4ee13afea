// The OPA Wasm ABI exports that need no policy-specific code. (eval,
// opa_eval, builtins and entrypoints are generated per policy.)
import { heapGet, heapSet, malloc, calloc, newLastingEpoch, setCacheFloor } from "./alloc";
import { collFinalize, collFind, objectGet, objectInsert } from "./coll";
import { dumpValue } from "./json_dump";
import { parseValue } from "./json_parse";
import { Arr, Obj, T_ARRAY, T_OBJECT, newCollection } from "./value";

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 3;

export function opa_malloc(size: usize): usize {
  return malloc(size);
}

/** Memory is reclaimed by resetting the heap pointer, never block by block. */
export function opa_free(addr: usize): void {}

export function opa_heap_ptr_get(): usize {
  return heapGet();
}

export function opa_heap_ptr_set(addr: usize): void {
  heapSet(addr);
  setCacheFloor(0);
  newLastingEpoch();
}

export function opa_json_parse(p: usize, len: usize): usize {
  return parseValue(p, len, false, true);
}

export function opa_value_parse(p: usize, len: usize): usize {
  return parseValue(p, len, true, true);
}

export function opa_json_dump(v: usize): usize {
  return dumpValue(v, false);
}

export function opa_value_dump(v: usize): usize {
  return dumpValue(v, true);
}

// ABI 1.3: with a bump allocator there are no free blocks to stash.
export function opa_value_free(v: usize): void {}
export function opa_heap_blocks_stash(): void {}
export function opa_heap_blocks_restore(): void {}
export function opa_heap_stash_clear(): void {}

const ERR_OK: i32 = 0;
const ERR_INVALID_TYPE: i32 = 2;
const ERR_INVALID_PATH: i32 = 3;

/** Sets base[path...] = v, creating objects along the way. */
export function opa_value_add_path(base: usize, path: usize, v: usize): i32 {
  newLastingEpoch();
  if (base == 0 || load<u32>(base) != T_OBJECT) return ERR_INVALID_TYPE;
  if (path == 0 || load<u32>(path) != T_ARRAY) return ERR_INVALID_PATH;
  const p = changetype<Arr>(path);
  if (p.count == 0) return ERR_INVALID_PATH;
  let node = base;
  for (let i: u32 = 0; i + 1 < p.count; i++) {
    const k = load<usize>(p.elems + (<usize>i << 2));
    let next = objectGet(node, k);
    if (next == 0) {
      next = newCollection(T_OBJECT, 0);
      objectInsert(node, k, next);
      collFinalize(node);
    } else if (load<u32>(next) != T_OBJECT) return ERR_INVALID_TYPE;
    node = next;
  }
  objectInsert(node, load<usize>(p.elems + (<usize>(p.count - 1) << 2)), v);
  collFinalize(node);
  return ERR_OK;
}

/** Removes base[path...]. */
export function opa_value_remove_path(base: usize, path: usize): i32 {
  newLastingEpoch();
  if (base == 0 || load<u32>(base) != T_OBJECT) return ERR_INVALID_TYPE;
  if (path == 0 || load<u32>(path) != T_ARRAY) return ERR_INVALID_PATH;
  const p = changetype<Arr>(path);
  if (p.count == 0) return ERR_INVALID_PATH;
  let node = base;
  for (let i: u32 = 0; i + 1 < p.count; i++) {
    node = objectGet(node, load<usize>(p.elems + (<usize>i << 2)));
    if (node == 0) return ERR_OK;
    if (load<u32>(node) != T_OBJECT) return ERR_INVALID_TYPE;
  }
  const pos = collFind(node, load<usize>(p.elems + (<usize>(p.count - 1) << 2)));
  if (pos < 0) return ERR_OK;
  const o = changetype<Obj>(node);
  const tail = <usize>(o.count - 1 - <u32>pos) << 2;
  const at = <usize>pos << 2;
  memory.copy(o.keys + at, o.keys + at + 4, tail);
  memory.copy(o.vals + at, o.vals + at + 4, tail);
  o.count--;
  o.order = 0;
  o.index = 0;
  o.icap = 0;
  collFinalize(node);
  return ERR_OK;
}

// --- evaluation context (ABI < 1.2 hosts) -------------------------------------
// struct { input @0, data @4, result @8, entrypoint @12 }

export function opa_eval_ctx_new(): usize {
  return calloc(16);
}

export function opa_eval_ctx_set_input(ctx: usize, v: usize): void {
  store<usize>(ctx, v, 0);
}

export function opa_eval_ctx_set_data(ctx: usize, v: usize): void {
  store<usize>(ctx, v, 4);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, id: i32): void {
  store<i32>(ctx, id, 12);
}

export function opa_eval_ctx_get_result(ctx: usize): usize {
  return load<usize>(ctx, 8);
}
