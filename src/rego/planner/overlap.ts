// Overlapping rule paths inside the object of a keyed node (rules with
// general ref heads, `p[q].r := v`, and the nodes below them).
//
// Every rule writes its value at the full path of its head, variables bound
// (relative to the keyed node: `p[q].r` with q = "a" writes at a.r). Two
// rules at the *same* path must agree (objectinsertonce sees to that). But a
// rule writing at a path strictly *below* another rule's path is a conflict
// in OPA even when the two values could be merged as objects:
//
//     p[q].r := {"s": {"t": 1}} if q := "q"
//     p.q.r.s.u := 42            # eval_conflict_error, not {"t": 1, "u": 42}
//
// Inserting into the built object cannot tell this apart from a legitimate
// write, because the nested objects a longer path walks through may be the
// containers made for other paths or a value one rule produced. OPA's topdown
// (evalVirtualPartial.reduce, hasCollisions) therefore records the path of
// every value it inserts and rejects a path that has a recorded path as a
// proper prefix. We do the same with a second object, the *marks*, that
// mirrors the paths written so far: a path's last key maps to `true` (a value
// stands there), the keys before it map to objects. Walking the marks with
// the object-or-conflict containers of containers.ts then finds
//  - a value at a proper prefix of the new path (`true` where an object is
//    needed), and
//  - a value below the new path's end (an object where `true` goes),
// both as "object keys must be unique", the message OPA gives
// (objectDocKeyConflictErr). The check is symmetric where OPA's is one-way
// (OPA lets a shorter path follow a longer one if the values happen to be
// equal), so the answer does not depend on the order the rules run in.
//
// Most keyed nodes write every value at the same depth (`p[k] := v`), where
// no path can be a proper prefix of another; those get no marks.
import type { Local, Operand } from "../ir.js";
import type { RuleNode } from "../compiler/types.js";
import type { PlannerState } from "./state.js";
import { planContainer } from "./containers.js";

/** Whether a rule node's rules build an object under dynamic keys: its
 *  value's leaves lie strictly below its own path. */
export function isKeyedNode(node: RuleNode): boolean {
  const first = node.rules[0];
  return first !== undefined && (first.kind === "object" || (first.kind === "set" && first.suffix.length > 0));
}

/** True when some value of `node`'s object may be written at a proper
 *  prefix of another's path, so that the writes need marks: the rules write
 *  at different depths. `include` says which child nodes contribute (as the
 *  planner plans them). The rules of a keyed node below count one by one,
 *  at their full paths, as they are written one by one (rules.ts,
 *  planChildInto); other nodes below write their value at their own path. */
export function needsOverlapMarks(node: RuleNode, include: (child: RuleNode) => boolean): boolean {
  const depths = new Set(node.rules.map((r) => r.suffix.length));
  const walk = (n: RuleNode, depth: number): void => {
    for (const child of n.children.values()) {
      if (!include(child)) continue;
      if (child.rules.length === 0 || isKeyedNode(child)) {
        for (const r of child.rules) depths.add(depth + 1 + r.suffix.length);
        walk(child, depth + 1);
      } else depths.add(depth + 1);
    }
  };
  walk(node, 0);
  return depths.size > 1;
}

/** Records a write at `keys` in the marks object, aborting with a conflict
 *  when it overlaps an earlier write at a different depth. */
export function planOverlapMark(p: PlannerState, marks: Local, keys: Operand[]): void {
  let m = marks;
  for (let i = 0; i < keys.length - 1; i++) m = planContainer(p, m, keys[i]!, "object");
  p.emit({ type: "objectinsertonce", key: keys[keys.length - 1]!, value: { kind: "bool", value: true }, object: m });
}
