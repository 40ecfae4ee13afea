// rand.intn: a random integer in [0, n), the same for the same (key, n)
// within one evaluation (while the context's clock reads the same instant;
// see uuid.ts), as OPA caches it within one query.
import { randomInt } from "node:crypto";
import { int, str } from "./args.js";
import type { BuiltinImpl } from "./types.js";

export function randBuiltins(now: () => bigint): Record<string, BuiltinImpl> {
  const drawn = new Map<string, number>();
  let epoch: bigint | undefined;
  return {
    "rand.intn"(k, n) {
      const key = str(k, 1);
      const t = now();
      if (t !== epoch) {
        drawn.clear();
        epoch = t;
      }
      const max = int(n, 2);
      if (max === 0) return 0;
      const limit = Math.abs(max);
      const id = `${key}\u0000${limit}`;
      let v = drawn.get(id);
      if (v === undefined) {
        v = limit > 2 ** 48 - 1 ? Math.floor(Math.random() * limit) : randomInt(limit);
        if (drawn.size > 10_000) drawn.clear();
        drawn.set(id, v);
      }
      return v;
    },
  };
}
