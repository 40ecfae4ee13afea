// Native numeric builtins in the runtime: OPA's results and error messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { builtinCallPolicy, callBuiltin, evaluateRaw } from "./wasm-ir.js";

type Case = [name: string, args: string[], want: unknown];

async function check(cases: Case[]): Promise<void> {
  for (const [name, args, want] of cases) {
    assert.deepEqual(await callBuiltin(name, args), want, `${name}(${args.join(", ")})`);
  }
}

/** The result's JSON text as the module prints it (no JSON.parse rounding). */
async function rawResult(name: string, args: string[]): Promise<string> {
  const policy = await loadPolicy(builtinCallPolicy(name, args).wasm());
  return evaluateRaw(policy, undefined);
}

test("arithmetic: plus minus mul div rem", async () => {
  await check([
    ["plus", ["1", "2"], 3],
    ["plus", ["0.1", "0.2"], 0.30000000000000004],
    ["plus", ["-5", "2.5"], -2.5],
    ["minus", ["1", "3"], -2],
    ["mul", ["6", "7"], 42],
    ["mul", ["0.1", "3"], 0.30000000000000004],
    ["div", ["1", "4"], 0.25],
    ["div", ["9", "3"], 3],
    ["div", ["1", "3"], 1 / 3],
    ["rem", ["7", "4"], 3],
    ["rem", ["-7", "4"], -3],
    ["rem", ["7", "-4"], 3],
    ["plus", ["49649733057", "1"], 49649733058],
  ]);
});

test("arithmetic errors make the call undefined", async () => {
  await check([
    ["div", ["1", "0"], undefined],
    ["div", ["1", "0.0"], undefined],
    ["rem", ["7", "0"], undefined],
    ["rem", ["1.1", "1"], undefined],
    ["plus", ['"1"', "2"], undefined],
    ["minus", ["1", "{1}"], undefined],
  ]);
});

test("minus on sets is the set difference", async () => {
  await check([
    ["minus", ["{1, 2, 3, 4}", "{1, 3}"], [2, 4]],
    ["minus", ["{1}", "set()"], [1]],
    ["minus", ["set()", "{1}"], []],
  ]);
});

test("abs round ceil floor", async () => {
  await check([
    ["abs", ["-10"], 10],
    ["abs", ["3.5"], 3.5],
    ["round", ["1.5"], 2],
    ["round", ["-1.5"], -2],
    ["round", ["1.49"], 1],
    ["round", ["-2.5"], -3],
    ["ceil", ["1.01"], 2],
    ["ceil", ["-1.99999"], -1],
    ["ceil", ["2222.2222222222"], 2223],
    ["floor", ["1.5"], 1],
    ["floor", ["-1.001"], -2],
    ["floor", ["99.99999"], 99],
  ]);
});

test("comparisons order any two values as Rego does", async () => {
  await check([
    ["equal", ["1", "1.0"], true],
    ["equal", ["[1, {\"b\": 3.0}]", "[1, {\"b\": 3}]"], true],
    ["equal", ["{1: 1}", "{1: 1.0}"], true],
    ["neq", ["0", "1"], true],
    ["lt", ["-1", "0"], true],
    ["lt", ["null", "false"], true],
    ["lt", ["false", "true"], true],
    ["lt", ["true", "0"], true],
    ["lt", ["99", "\"\""], true],
    ["lt", ["\"z\"", "[]"], true],
    ["lt", ["[1, 2]", "[1, 3]"], true],
    ["lt", ["[1, 2]", "[1, 2, 0]"], true],
    ["lt", ["[]", "{}"], true],
    ["lt", ["{\"a\": 1}", "{\"a\": 2}"], true],
    ["lt", ["{\"a\": 9}", "{\"b\": 1}"], true],
    ["lt", ["{}", "set()"], true],
    ["lt", ["{1, 2}", "{1, 3}"], true],
    ["gt", ["\"b\"", "\"a\""], true],
    ["gte", ["1", "1.0"], true],
    ["lte", ["2", "1"], false],
    ["lt", ["\"é\"", "\"z\""], false],
  ]);
});

test("big integer literals keep their text, compare exactly and print as written", async () => {
  await check([
    ["equal", ["28857836529306024611913", "28857836529306024611912"], false],
    ["equal", ["28857836529306024611913", "28857836529306024611913"], true],
    ["lt", ["28857836529306024611912", "28857836529306024611913"], true],
    ["equal", ["9007199254740993", "9007199254740992"], false],
    ["equal", ["1e400", "1e401"], false],
    ["lt", ["1e400", "1e401"], true],
  ]);
  assert.equal(await rawResult("abs", ["28857836529306024611913"]), '[{"result":28857836529306024611913}]');
  assert.equal(await rawResult("abs", ["-28857836529306024611913"]), '[{"result":28857836529306024611913}]');
  assert.equal(await rawResult("plus", ["9007199254740993", "1"]), '[{"result":9007199254740994}]');
  assert.equal(await rawResult("minus", ["9223372036854775807", "1"]), '[{"result":9223372036854775806}]');
  assert.equal(await rawResult("bits.lsh", ["9223372036854775807", "1"]), '[{"result":18446744073709551614}]');
  assert.equal(await rawResult("bits.lsh", ["2147483647", "1"]), '[{"result":4294967294}]');
  // beyond i64, integers stay exact (OPA computes them with big.Int)
  assert.equal(await rawResult("plus", ["28857836529306024611913", "1"]), '[{"result":28857836529306024611914}]');
  assert.equal(await rawResult("minus", ["1", "28857836529306024611913"]), '[{"result":-28857836529306024611912}]');
  assert.equal(await rawResult("mul", ["12345678901234567890", "3"]), '[{"result":37037036703703703670}]');
  assert.equal(await rawResult("mul", ["4294967296", "4294967296"]), '[{"result":18446744073709551616}]');
  assert.equal(await rawResult("plus", ["9223372036854775807", "1"]), '[{"result":9223372036854775808}]');
  assert.equal(await rawResult("minus", ["28857836529306024611913", "28857836529306024611913"]), '[{"result":0}]');
  assert.equal(await rawResult("sum", ["[9223372036854775807, 9223372036854775807, 2]"]), '[{"result":18446744073709551616}]');
  // an f64 integer means the decimal it prints as
  assert.equal(await rawResult("mul", ["1e300", "1e5"]), `[{"result":1${"0".repeat(305)}}]`);
});

test("numbers print as OPA prints them: integers without a point, floats shortest", async () => {
  assert.equal(await rawResult("plus", ["0.1", "0.2"]), '[{"result":0.30000000000000004}]');
  assert.equal(await rawResult("mul", ["1.5", "2"]), '[{"result":3}]');
  assert.equal(await rawResult("div", ["1", "1e7"]), '[{"result":1e-7}]');
  assert.equal(await rawResult("mul", ["1e20", "100"]), '[{"result":10000000000000000000000}]');
  assert.equal(await rawResult("div", ["5", "2"]), '[{"result":2.5}]');
  assert.equal(await rawResult("minus", ["0", "0.5"]), '[{"result":-0.5}]');
});

test("bits.*", async () => {
  await check([
    ["bits.and", ["7", "9"], 1],
    ["bits.or", ["7", "9"], 15],
    ["bits.xor", ["42", "3"], 41],
    ["bits.negate", ["42"], -43],
    ["bits.lsh", ["1", "3"], 8],
    ["bits.rsh", ["8", "3"], 1],
    ["bits.rsh", ["-8", "1"], -4],
    ["bits.and", ["7.2", "42"], undefined],
    ["bits.lsh", ["7", "-1"], undefined],
  ]);
});

test("numbers.range and to_number", async () => {
  await check([
    ["numbers.range", ["0", "0"], [0]],
    ["numbers.range", ["-2", "3"], [-2, -1, 0, 1, 2, 3]],
    ["numbers.range", ["2", "-3"], [2, 1, 0, -1, -2, -3]],
    ["numbers.range", ["49649733057", "49649733059"], [49649733057, 49649733058, 49649733059]],
    ["numbers.range", ["3.14", "4"], undefined],
    ["to_number", ['"-42.0"'], -42],
    ["to_number", ["false"], 0],
    ["to_number", ["true"], 1],
    ["to_number", ["null"], 0],
    ["to_number", ["100.1"], 100.1],
    ["to_number", ['"1e3"'], 1000],
    ["to_number", ['".5"'], 0.5],
    ["to_number", ['"+7"'], 7],
    ["to_number", ['"broken"'], undefined],
    ["to_number", ['"inf"'], undefined],
    ["to_number", ['"NaN"'], undefined],
    ["to_number", ["[]"], undefined],
  ]);
});
