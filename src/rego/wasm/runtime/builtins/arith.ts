// plus minus mul div rem abs round ceil floor. Integers are exact (i64, as
// OPA's big.Int path for the sizes that occur in practice); anything else is
// f64.
import { builtinError, operandError } from "../errors";
import { i64ok, newNumber, newNumberI64, newNumberText, numF64, numIsInteger, numToI64 } from "../num";
import { Num, NUM_TEXT, Obj, T_NUMBER, T_SET, newCollection } from "../value";
import { collFind, setAdd } from "../coll";
import { isType, numberOperand } from "./operands";
import { bigIntArith } from "../bigint";


const TWO53: f64 = 9007199254740992;

@inline
function bothSmall(a: usize, b: usize): bool {
  const x = changetype<Num>(a);
  const y = changetype<Num>(b);
  return x.kind != NUM_TEXT && y.kind != NUM_TEXT && Math.abs(x.value) <= TWO53 && Math.abs(y.value) <= TWO53;
}

const OP_ADD: i32 = 0;
const OP_SUB: i32 = 1;
const OP_MUL: i32 = 2;

/** Exact integer arithmetic when both operands are integers in i64. */
function intArith(op: i32, a: usize, b: usize): usize {
  if (!numIsInteger(a) || !numIsInteger(b)) return 0;
  const x = numToI64(a);
  if (!i64ok) return 0;
  const y = numToI64(b);
  if (!i64ok) return 0;
  let r: i64;
  if (op == OP_ADD) {
    r = x + y;
    if (((x ^ r) & (y ^ r)) < 0) return 0;
  } else if (op == OP_SUB) {
    r = x - y;
    if (((x ^ y) & (x ^ r)) < 0) return 0;
  } else {
    if (x == 0 || y == 0) return newNumber(0);
    r = x * y;
    if (r / y != x || (x == -1 && y == i64.MIN_VALUE) || (y == -1 && x == i64.MIN_VALUE)) return 0;
  }
  return newNumberI64(r);
}

function arith(op: i32, a: usize, b: usize): usize {
  const x = numF64(a);
  const y = numF64(b);
  const r: f64 = op == OP_ADD ? x + y : op == OP_SUB ? x - y : x * y;
  if (bothSmall(a, b) && Math.abs(r) <= TWO53) return newNumber(r);
  let exact = intArith(op, a, b);
  if (exact == 0 && numIsInteger(a) && numIsInteger(b)) exact = bigIntArith(op, a, b);
  return exact != 0 ? exact : newNumber(r);
}

function binaryNumbers(name: string, a: usize, b: usize): bool {
  return numberOperand(name, a, 1) && numberOperand(name, b, 2);
}

export function writ_bi_plus(a: usize, b: usize): usize {
  if (!binaryNumbers("plus", a, b)) return 0;
  return arith(OP_ADD, a, b);
}

export function writ_bi_mul(a: usize, b: usize): usize {
  if (!binaryNumbers("mul", a, b)) return 0;
  return arith(OP_MUL, a, b);
}

/** Numbers: subtraction; sets: difference. */
export function writ_bi_minus(a: usize, b: usize): usize {
  const an = isType(a, T_NUMBER);
  const bn = isType(b, T_NUMBER);
  if (an && bn) return arith(OP_SUB, a, b);
  const as = isType(a, T_SET);
  const bs = isType(b, T_SET);
  if (as && bs) return setDiff(a, b);
  if (!an && !as) return operandError("minus", 1, "one of {number, set}", a);
  if (bn) return operandError("minus", 2, "set", b);
  return operandError("minus", 2, "number", b);
}

export function setDiff(a: usize, b: usize): usize {
  const x = changetype<Obj>(a);
  const out = newCollection(T_SET, x.count);
  for (let i: u32 = 0; i < x.count; i++) {
    const k = load<usize>(x.keys + (<usize>i << 2));
    if (collFind(b, k) < 0) setAdd(out, k);
  }
  return out;
}

export function writ_bi_div(a: usize, b: usize): usize {
  if (!binaryNumbers("div", a, b)) return 0;
  const y = numF64(b);
  if (y == 0) return builtinError("div", "divide by zero");
  return newNumber(numF64(a) / y);
}

export function writ_bi_rem(a: usize, b: usize): usize {
  if (!binaryNumbers("rem", a, b)) return 0;
  if (!numIsInteger(a) || !numIsInteger(b)) return builtinError("rem", "modulo on floating-point number");
  const x = numToI64(a);
  const xok = i64ok;
  const y = numToI64(b);
  if (xok && i64ok) {
    if (y == 0) return builtinError("rem", "modulo by zero");
    if (y == -1) return newNumber(0);
    return newNumberI64(x % y);
  }
  const fy = numF64(b);
  if (fy == 0) return builtinError("rem", "modulo by zero");
  return newNumber(numF64(a) % fy);
}

function textIntegerOrNull(v: usize): bool {
  return changetype<Num>(v).kind == NUM_TEXT && numIsInteger(v);
}

export function writ_bi_abs(a: usize): usize {
  if (!numberOperand("abs", a, 1)) return 0;
  const n = changetype<Num>(a);
  if (n.kind == NUM_TEXT) {
    if (load<u8>(n.text) == 45) return newNumberText(n.text + 1, n.len - 1, -n.value);
    return a;
  }
  return n.value < 0 ? newNumber(-n.value) : a;
}

export function writ_bi_round(a: usize): usize {
  if (!numberOperand("round", a, 1)) return 0;
  if (textIntegerOrNull(a)) return a;
  const x = numF64(a);
  const t = Math.trunc(x);
  if (Math.abs(x - t) >= 0.5) return newNumber(t + (x < 0 ? -1 : 1));
  return newNumber(t == 0 ? 0 : t);
}

export function writ_bi_ceil(a: usize): usize {
  if (!numberOperand("ceil", a, 1)) return 0;
  if (textIntegerOrNull(a)) return a;
  const r = Math.ceil(numF64(a));
  return newNumber(r == 0 ? 0 : r);
}

export function writ_bi_floor(a: usize): usize {
  if (!numberOperand("floor", a, 1)) return 0;
  if (textIntegerOrNull(a)) return a;
  return newNumber(Math.floor(numF64(a)));
}
