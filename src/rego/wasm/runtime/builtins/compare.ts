// equal neq lt lte gt gte: Rego's value order over any two values.
import { compare, equal } from "../order";
import { boolValue } from "../value";

export function writ_bi_equal(a: usize, b: usize): usize {
  return a && b ? boolValue(equal(a, b)) : 0;
}

export function writ_bi_neq(a: usize, b: usize): usize {
  return a && b ? boolValue(!equal(a, b)) : 0;
}

export function writ_bi_lt(a: usize, b: usize): usize {
  return a && b ? boolValue(compare(a, b) < 0) : 0;
}

export function writ_bi_lte(a: usize, b: usize): usize {
  return a && b ? boolValue(compare(a, b) <= 0) : 0;
}

export function writ_bi_gt(a: usize, b: usize): usize {
  return a && b ? boolValue(compare(a, b) > 0) : 0;
}

export function writ_bi_gte(a: usize, b: usize): usize {
  return a && b ? boolValue(compare(a, b) >= 0) : 0;
}
