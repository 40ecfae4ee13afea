// graph.reachable and graph.reachable_paths over {node: [neighbours]} maps.
import { obj, typeError } from "./args.js";
import { toSet, type ObjectValue, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const key = (v: Value): string => (typeof v === "string" ? v : JSON.stringify(v));

function neighbours(graph: ObjectValue, node: Value): Value[] {
  const edges = graph[key(node)];
  return Array.isArray(edges) ? edges : [];
}

function initial(v: Value | undefined): Value[] {
  if (!Array.isArray(v)) throw typeError(2, v, "set", "array");
  return v;
}

export const graphBuiltins: Record<string, BuiltinImpl> = {
  "graph.reachable"(g, start) {
    const graph = obj(g, 1);
    const seen = new Map<string, Value>();
    const queue = [...initial(start)];
    while (queue.length) {
      const n = queue.shift()!;
      const k = key(n);
      if (seen.has(k) || !(k in graph)) continue;
      seen.set(k, n);
      queue.push(...neighbours(graph, n));
    }
    return toSet(seen.values());
  },
  "graph.reachable_paths"(g, start) {
    const graph = obj(g, 1);
    const paths: Value[][] = [];
    // OPA's traversal: one "reached" set shared by the whole walk from each
    // neighbour of a start node; meeting a reached node ends the path there.
    const walk = (node: Value, path: Value[], reached: Set<string>) => {
      const k = key(node);
      if (!(k in graph)) {
        paths.push(path);
        return;
      }
      const next = [...path, node];
      const edges = neighbours(graph, node);
      if (edges.length === 0) {
        paths.push(next);
        return;
      }
      reached.add(k);
      for (const n of edges) {
        if (reached.has(key(n))) paths.push(next);
        else walk(n, next, reached);
      }
    };
    for (const s of initial(start)) {
      const k = key(s);
      if (!(k in graph)) continue;
      const edges = neighbours(graph, s);
      if (edges.length === 0) paths.push([s]);
      for (const n of edges) walk(n, [s], new Set([k]));
    }
    return toSet(paths);
  },
};
