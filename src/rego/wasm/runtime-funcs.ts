// The runtime functions generated code calls, resolved to function indices.
import { type Runtime, runtimeFunc } from "./runtime-module.js";

export interface RuntimeFuncs {
  abort: number;
  init: number;
  parseConst: number;
  opaEvalBegin: number;
  evalInput: number;
  evalOutput: number;
  ctxEvalBegin: number;
  evalBegin: number;
  memoPush: number;
  memoPop: number;
  raiseBuiltinError: number;
  equal: number;
  dot: number;
  len: number;
  scanCount: number;
  scanOrder: number;
  scanKey: number;
  scanValue: number;
  newArray: number;
  newObject: number;
  newSet: number;
  arrayAppend: number;
  objectInsert: number;
  objectInsertOnce: number;
  setAdd: number;
  objectMerge: number;
  withUpsert: number;
  arrayToSet: number;
  /** by argument count: writ_call_builtin0..4 */
  hostCall: number[];
  /** the same, answering repeated calls of an evaluation from its cache */
  hostCallNondeterministic: number[];
}

const cache = new WeakMap<Runtime, RuntimeFuncs>();

export function runtimeFuncs(rt: Runtime): RuntimeFuncs {
  let f = cache.get(rt);
  if (f) return f;
  const abort = rt.imports.get("opa_abort");
  if (abort === undefined) throw new Error("runtime does not import opa_abort");
  const r = (name: string) => runtimeFunc(rt, name);
  f = {
    abort,
    init: r("writ_init"),
    parseConst: r("writ_parse_const"),
    opaEvalBegin: r("writ_opa_eval_begin"),
    evalInput: r("writ_eval_input"),
    evalOutput: r("writ_eval_output"),
    ctxEvalBegin: r("writ_ctx_eval_begin"),
    evalBegin: r("writ_eval_begin"),
    memoPush: r("writ_memo_push"),
    memoPop: r("writ_memo_pop"),
    raiseBuiltinError: r("writ_raise_builtin_error"),
    equal: r("writ_equal"),
    dot: r("writ_dot"),
    len: r("writ_len"),
    scanCount: r("writ_scan_count"),
    scanOrder: r("writ_scan_order"),
    scanKey: r("writ_scan_key"),
    scanValue: r("writ_scan_value"),
    newArray: r("writ_new_array"),
    newObject: r("writ_new_object"),
    newSet: r("writ_new_set"),
    arrayAppend: r("writ_array_append"),
    objectInsert: r("writ_object_insert"),
    objectInsertOnce: r("writ_object_insert_once"),
    setAdd: r("writ_set_add"),
    objectMerge: r("writ_object_merge"),
    withUpsert: r("writ_with"),
    arrayToSet: r("writ_array_to_set"),
    hostCall: [0, 1, 2, 3, 4].map((n) => r(`writ_call_builtin${n}`)),
    hostCallNondeterministic: [0, 1, 2, 3, 4].map((n) => r(`writ_call_nd_builtin${n}`)),
  };
  cache.set(rt, f);
  return f;
}
