// rand.intn: a random integer in [0, n). OPA gives the same number for the
// same (key, n) within one query; the module keeps that promise itself (it
// caches nondeterministic builtins per evaluation: wasm/runtime/ndcache.ts),
// so every call that reaches the host draws afresh.
import { randomInt } from "node:crypto";
import { int, str } from "./args.js";
import type { BuiltinImpl } from "./types.js";

export function randBuiltins(): Record<string, BuiltinImpl> {
  return {
    "rand.intn"(k, n) {
      str(k, 1);
      const max = int(n, 2);
      if (max === 0) return 0;
      const limit = Math.abs(max);
      return limit > 2 ** 48 - 1 ? Math.floor(Math.random() * limit) : randomInt(limit);
    },
  };
}
