// graph.reachable(graph, initial): the nodes reachable from `initial` in a
// graph given as an object from node to an array or set of neighbours.
import { collFind, objectGet, setAdd } from "../coll";
import { operandError } from "../errors";
import { Arr, Obj, T_ARRAY, T_OBJECT, T_SET, arrayAppend, newArray, newCollection } from "../value";
import { isType } from "./operands";

function enqueueAll(queue: usize, reached: usize, elems: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const t = load<usize>(elems + (<usize>i << 2));
    if (collFind(reached, t) < 0) arrayAppend(queue, t);
  }
}

export function writ_bi_graph_reachable(graph: usize, initial: usize): usize {
  if (!isType(graph, T_OBJECT)) return operandError("graph.reachable", 1, "object", graph);
  const queue = newArray(8);
  if (isType(initial, T_ARRAY)) enqueueAll(queue, newCollection(T_SET, 0), changetype<Arr>(initial).elems, changetype<Arr>(initial).count);
  else if (isType(initial, T_SET)) enqueueAll(queue, newCollection(T_SET, 0), changetype<Obj>(initial).keys, changetype<Obj>(initial).count);
  else return operandError("graph.reachable", 2, "{set, array}", initial);
  const reached = newCollection(T_SET, 0);
  // the queue grows while it is walked
  for (let i: u32 = 0; i < changetype<Arr>(queue).count; i++) {
    const node = load<usize>(changetype<Arr>(queue).elems + (<usize>i << 2));
    const edges = objectGet(graph, node);
    if (edges == 0) continue;
    if (load<u32>(edges) == T_ARRAY) enqueueAll(queue, reached, changetype<Arr>(edges).elems, changetype<Arr>(edges).count);
    else if (load<u32>(edges) == T_SET) enqueueAll(queue, reached, changetype<Obj>(edges).keys, changetype<Obj>(edges).count);
    setAdd(reached, node);
  }
  return reached;
}
