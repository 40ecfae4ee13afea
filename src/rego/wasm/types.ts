// Function types of generated code: all values are i32 addresses, so a type
// is its parameter count and whether it returns an i32. Runtime types are
// reused when they match; new ones are appended after them.
import { I32 } from "./opcodes.js";
import type { FuncType } from "./reader.js";

export class TypeTable {
  readonly added: FuncType[] = [];
  private readonly index = new Map<string, number>();

  constructor(runtimeTypes: FuncType[]) {
    runtimeTypes.forEach((t, i) => {
      const key = keyOf(t);
      if (key !== undefined && !this.index.has(key)) this.index.set(key, i);
    });
    this.base = runtimeTypes.length;
  }

  private readonly base: number;

  /** The type taking `params` i32s and returning one i32 (or nothing). */
  get(params: number, returns: boolean): number {
    const key = `${params}:${returns ? 1 : 0}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.base + this.added.length;
      this.added.push({ params: new Array<number>(params).fill(I32), results: returns ? [I32] : [] });
      this.index.set(key, i);
    }
    return i;
  }
}

function keyOf(t: FuncType): string | undefined {
  if (!t.params.every((p) => p === I32) || t.results.length > 1 || (t.results.length === 1 && t.results[0] !== I32)) {
    return undefined;
  }
  return `${t.params.length}:${t.results.length}`;
}
