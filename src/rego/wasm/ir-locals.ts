// The highest IR local a function's statements use, so that the emitter's
// own temporaries never share a slot with one (even if `locals` undercounts).
import type { Block, Operand, Stmt } from "../ir.js";

function op(o: Operand): number {
  return o.kind === "local" ? o.local : -1;
}

function stmtMax(s: Stmt): number {
  switch (s.type) {
    case "call":
      return Math.max(s.result, ...s.args.map(op));
    case "dot":
      return Math.max(op(s.source), op(s.key), s.target);
    case "len":
      return Math.max(op(s.source), s.target);
    case "scan":
      return Math.max(s.source, s.key, s.value, blocksMax([s.block]));
    case "not":
      return blocksMax([s.block]);
    case "block":
      return blocksMax(s.blocks);
    case "with":
      return Math.max(s.local, op(s.value), blocksMax([s.block]));
    case "assignint":
    case "resetlocal":
    case "makenull":
    case "makenumberint":
    case "makenumberref":
    case "makearray":
    case "makeobject":
    case "makeset":
    case "makeconst":
      return s.target;
    case "assignvar":
    case "assignvaronce":
      return Math.max(op(s.source), s.target);
    case "arrayappend":
      return Math.max(op(s.value), s.array);
    case "objectinsert":
    case "objectinsertonce":
      return Math.max(op(s.key), op(s.value), s.object);
    case "objectmerge":
      return Math.max(s.a, s.b, s.target);
    case "setadd":
      return Math.max(op(s.value), s.set);
    case "equal":
    case "notequal":
      return Math.max(op(s.a), op(s.b));
    case "isarray":
    case "isobject":
    case "isset":
      return op(s.source);
    case "isdefined":
    case "isundefined":
      return s.source;
    case "resultsetadd":
      return s.value;
    case "returnlocal":
      return s.source;
    case "break":
    case "nop":
      return -1;
  }
}

export function blocksMax(blocks: Block[]): number {
  let m = -1;
  for (const b of blocks) for (const s of b.stmts) m = Math.max(m, stmtMax(s));
  return m;
}
