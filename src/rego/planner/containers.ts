// Creating the nested objects (and sets) that the rules of a keyed node
// write into: `obj[k]` as a container, made on first use, and a conflict
// when something else already stands there.
import type { Local, Operand } from "../ir.js";
import type { PlannerState } from "./state.js";

/** container[key] as an object (or set), created when absent; anything else
 *  already there is a conflict. */
export function planContainer(p: PlannerState, container: Local, key: Operand, kind: "object" | "set"): Local {
  const next = p.newLocal();
  const c: Operand = { kind: "local", local: container };
  p.emit({ type: "resetlocal", target: next });
  p.emit({ type: "block", blocks: [p.inBlock(() => p.emit({ type: "dot", source: c, key, target: next }))] });
  const fresh = () => {
    const f = p.newLocal();
    p.emit(kind === "set" ? { type: "makeset", target: f } : { type: "makeobject", target: f });
    return f;
  };
  // absent: create it
  const create = p.inBlock(() => {
    p.emit({ type: "isundefined", source: next });
    const f = fresh();
    p.emit({ type: "objectinsert", key, value: { kind: "local", local: f }, object: container });
    p.emit({ type: "assignvar", source: { kind: "local", local: f }, target: next });
  });
  // present but not a container: inserting a fresh one conflicts
  const clash = p.inBlock(() => {
    p.emit({ type: "isdefined", source: next });
    p.emit({ type: "not", block: p.inBlock(() => p.emit({ type: kind === "set" ? "isset" : "isobject", source: { kind: "local", local: next } })) });
    const f = fresh();
    p.emit({ type: "objectinsertonce", key, value: { kind: "local", local: f }, object: container });
  });
  p.emit({ type: "block", blocks: [create, clash] });
  return next;
}
