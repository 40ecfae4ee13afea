// Functions whose value depends on their arguments alone: they read neither
// input nor data (nor call anything that does), contain no `with`, and call
// only natives (host builtins may be nondeterministic: time.now_ns,
// http.send). Their results for long-lived arguments (data, constants) can
// be kept across evaluations (codegen: lasting memo).
import type { Block, Func, Policy } from "../ir.js";
import { nestedBlocks, stmtLocals } from "./ir-locals.js";

export function argumentPureFuncs(policy: Policy, isNative: (builtin: string) => boolean): Set<string> {
  const funcs = new Map(policy.funcs.map((f) => [f.name, f]));
  const pure = new Set(funcs.keys());
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of policy.funcs) {
      if (pure.has(f.name) && !blocksPure(f, f.blocks, pure, funcs, isNative)) {
        pure.delete(f.name);
        changed = true;
      }
    }
  }
  return pure;
}

function blocksPure(f: Func, blocks: Block[], pure: Set<string>, funcs: Map<string, Func>, isNative: (b: string) => boolean): boolean {
  const input = f.params[0];
  const data = f.params[1];
  const env = (l: number) => l === input || l === data;
  for (const b of blocks) {
    for (const s of b.stmts) {
      if (s.type === "with") return false;
      if (s.type === "call") {
        if (funcs.has(s.func)) {
          if (!pure.has(s.func)) return false;
          // input and data passed through, in their places, are not read
          const [i, d, ...rest] = s.args;
          if (i?.kind !== "local" || i.local !== input || d?.kind !== "local" || d.local !== data) return false;
          if (rest.some((a) => a.kind === "local" && env(a.local))) return false;
          continue;
        }
        if (!isNative(s.func)) return false;
      }
      if (stmtLocals(s).some(env)) return false;
      if (!blocksPure(f, nestedBlocks(s), pure, funcs, isNative)) return false;
    }
  }
  return true;
}
