// The per-evaluation cache of nondeterministic host builtins.
import { malloc } from "./alloc";
import { equal } from "./order";

// time.now_ns, rand.intn, uuid.rfc4122, http.send, … give the same answer to
// the same arguments within one evaluation, as OPA's per-query cache of
// nondeterministic builtins makes them (`x := time.now_ns(); y :=
// time.now_ns(); x == y` holds). The first defined result per (id, arguments)
// is kept until the next evaluation begins. Entries live on the evaluation's
// heap: [next, id, result, a, b, c, d].

let ndCache: usize = 0;

/** At the start of every evaluation (the previous heap is gone). */
export function resetNondeterministicCache(): void {
  ndCache = 0;
}

function sameArg(x: usize, y: usize): bool {
  return x == y || (x != 0 && y != 0 && equal(x, y));
}

export function ndLookup(id: i32, a: usize, b: usize, c: usize, d: usize): usize {
  for (let e = ndCache; e != 0; e = load<usize>(e)) {
    if (load<i32>(e, 4) != id) continue;
    if (sameArg(load<usize>(e, 12), a) && sameArg(load<usize>(e, 16), b) && sameArg(load<usize>(e, 20), c) && sameArg(load<usize>(e, 24), d)) {
      return load<usize>(e, 8);
    }
  }
  return 0;
}

export function ndRemember(id: i32, result: usize, a: usize, b: usize, c: usize, d: usize): usize {
  if (result == 0) return 0; // errors and undefined are not kept
  const e = malloc(28);
  store<usize>(e, ndCache);
  store<i32>(e, id, 4);
  store<usize>(e, result, 8);
  store<usize>(e, a, 12);
  store<usize>(e, b, 16);
  store<usize>(e, c, 20);
  store<usize>(e, d, 24);
  ndCache = e;
  return result;
}
