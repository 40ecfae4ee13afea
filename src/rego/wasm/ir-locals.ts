// The highest IR local a function's statements use, so that the emitter's
// own temporaries never share a slot with one (even if `locals` undercounts).
import type { Block, Operand, Stmt } from "../ir.js";

function op(o: Operand): number {
  return o.kind === "local" ? o.local : -1;
}

/** The locals a statement names itself (those of its nested blocks aside);
 *  -1 stands for an operand that is not a local. */
export function stmtLocals(s: Stmt): number[] {
  switch (s.type) {
    case "call":
      return [s.result, ...s.args.map(op)];
    case "dot":
      return [op(s.source), op(s.key), s.target];
    case "len":
      return [op(s.source), s.target];
    case "scan":
      return [s.source, s.key, s.value];
    case "not":
    case "block":
    case "break":
    case "nop":
      return [];
    case "with":
      return [s.local, op(s.value)];
    case "assignint":
    case "resetlocal":
    case "makenull":
    case "makenumberint":
    case "makenumberref":
    case "makearray":
    case "makeobject":
    case "makeset":
    case "makeconst":
      return [s.target];
    case "assignvar":
    case "assignvaronce":
      return [op(s.source), s.target];
    case "arrayappend":
      return [op(s.value), s.array];
    case "objectinsert":
    case "objectinsertonce":
      return [op(s.key), op(s.value), s.object];
    case "objectmerge":
      return [s.a, s.b, s.target];
    case "setadd":
      return [op(s.value), s.set];
    case "equal":
    case "notequal":
      return [op(s.a), op(s.b)];
    case "isarray":
    case "isobject":
    case "isset":
      return [op(s.source)];
    case "isdefined":
    case "isundefined":
      return [s.source];
    case "resultsetadd":
      return [s.value];
    case "returnlocal":
      return [s.source];
  }
}

/** The blocks nested in a statement. */
export function nestedBlocks(s: Stmt): Block[] {
  switch (s.type) {
    case "scan":
    case "not":
    case "with":
      return [s.block];
    case "block":
      return s.blocks;
    default:
      return [];
  }
}

function stmtMax(s: Stmt): number {
  return Math.max(-1, ...stmtLocals(s), blocksMax(nestedBlocks(s)));
}

export function blocksMax(blocks: Block[]): number {
  let m = -1;
  for (const b of blocks) for (const s of b.stmts) m = Math.max(m, stmtMax(s));
  return m;
}
