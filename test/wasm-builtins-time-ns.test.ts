// Nanosecond timestamps beyond 2^53 through writ's compiler and the SDK with
// writ's host builtins: time.format, time.date, time.clock, time.weekday,
// time.add_date and time.diff are natives that hand such operands to the
// host (writ.exact_ns.*) as digits; ns results come back as exact JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";
import { createHostBuiltins, hostBuiltins } from "../src/rego/builtins/host.js";
import { compileOut, evalOut } from "./support/out-policy.js";

/** `out`, with the input given as JSON text (so its numbers stay exact). */
function out(body: string, inputJson?: string, strict = false): Promise<unknown> {
  return evalOut(body, inputJson === undefined ? undefined : (new TextEncoder().encode(inputJson).buffer as ArrayBuffer), strict);
}

async function strictError(body: string, inputJson?: string): Promise<string> {
  try {
    await out(body, inputJson, true);
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

// 2022-12-02T18:40:53.141828752Z (OPA conformance time/format); the nearest
// double is ...828864
const NS = "1670006453141828752";
// 2022-12-02T23:59:59.999999999Z, a Friday; the nearest double is
// 1670025600000000000, Saturday 2022-12-03T00:00:00Z
const EVE = "1670025599999999999";

test("time.format of exact nanoseconds: number, [ns, tz], [ns, tz, layout] (OPA conformance time/format)", async () => {
  assert.equal(await out(`out := time.format(${NS})`), "2022-12-02T18:40:53.141828752Z");
  assert.equal(await out(`out := time.format([${NS}, "Asia/Kolkata"])`), "2022-12-03T00:10:53.141828752+05:30");
  assert.equal(await out(`out := time.format([${NS}, "UTC", "15:04:05.000000000"])`), "18:40:53.141828752");
  assert.equal(await out(`out := time.format([${NS}, "Asia/Kolkata", "RFC1123Z"])`), "Sat, 03 Dec 2022 00:10:53 +0530");
  // from input, and from a rule's value
  assert.equal(await out(`out := time.format(input.t)`, `{"t": ${NS}}`), "2022-12-02T18:40:53.141828752Z");
  assert.equal(await out(`out := time.format([input.t, input.tz])`, `{"t": ${NS}, "tz": "UTC"}`), "2022-12-02T18:40:53.141828752Z");
  assert.equal(await out(`t := ${NS}\nout := time.format(t)`), "2022-12-02T18:40:53.141828752Z");
  // literals that are not integers: as OPA's 64-bit big.Float sees them
  assert.equal(await strictError(`out := time.format(1670006453141828752.25)`), "eval_builtin_error: time.format: timestamp too big");
  assert.equal(await out(`out := time.format(1670006453141828752.0625)`), "2022-12-02T18:40:53.141828752Z"); // a tie, to even
  assert.equal(await out(`out := time.format(1670006453141828752.06)`), "2022-12-02T18:40:53.141828752Z"); // 61 bits and 3: .06 is 0
  assert.equal(await strictError(`out := time.format(1670006453141828752.07)`), "eval_builtin_error: time.format: timestamp too big"); // .125
  assert.equal(await out(`out := time.format(1.00000000000000000001)`), "1970-01-01T00:00:00.000000001Z");
  assert.equal(await out(`out := time.format(1.67000645314182875200e18)`), "2022-12-02T18:40:53.141828752Z");
  // int64's ends
  assert.equal(await out(`out := time.format(-9223372036854775808)`), "1677-09-21T00:12:43.145224192Z");
  assert.equal(await out(`out := time.format(9223372036854775807)`), "2262-04-11T23:47:16.854775807Z");
});

test("time.date, time.clock, time.weekday see the exact nanosecond", async () => {
  assert.deepEqual(await out(`out := time.date(${EVE})`), [2022, 12, 2]);
  assert.deepEqual(await out(`out := time.clock(${EVE})`), [23, 59, 59]);
  assert.equal(await out(`out := time.weekday(${EVE})`), "Friday");
  assert.deepEqual(await out(`out := time.date([${EVE}, "UTC"])`), [2022, 12, 2]);
  assert.deepEqual(await out(`out := time.clock([input.t, "America/New_York"])`, `{"t": ${EVE}}`), [18, 59, 59]);
  assert.equal(await out(`out := time.weekday([input.t, "UTC"])`, `{"t": ${EVE}}`), "Friday");
  // one nanosecond later
  assert.deepEqual(await out(`out := [time.date(1670025600000000000), time.clock(1670025600000000000), time.weekday(1670025600000000000)]`), [[2022, 12, 3], [0, 0, 0], "Saturday"]);
});

test("time.add_date and time.diff take and give exact nanoseconds", async () => {
  assert.equal(await out(`out := time.add_date(${NS}, 0, 0, 1) == 1670092853141828752`), true);
  assert.equal(await out(`out := time.format(time.add_date(${NS}, 1, 1, 1))`), "2024-01-03T18:40:53.141828752Z");
  assert.equal(await out(`out := time.add_date(input.t, 0, 0, 0) == input.t`, `{"t": ${NS}}`), true);
  // an exact answer is an exact JSON number in the result
  const policy = await compileOut(`out := time.add_date(${EVE}, 0, 0, 0)`);
  assert.equal((policy.evaluate(undefined, "p/out") as { result: number }[])[0]!.result, Number(EVE));
  assert.equal(await out(`out := json.marshal(time.add_date(${EVE}, 0, 0, 0))`), EVE);
  // Friday 23:59:59.999999999 to Sunday 00:00: a day and a second (Go ignores the ns)
  assert.deepEqual(await out(`out := time.diff(${EVE}, 1670112000000000000)`), [0, 0, 1, 0, 0, 1]);
  assert.deepEqual(await out(`out := time.diff([1670112000000000000, "UTC"], [input.t, "UTC"])`, `{"t": ${EVE}}`), [0, 0, 1, 0, 0, 1]);
});

test("ns results of time.parse_ns, parse_rfc3339_ns, parse_duration_ns, now_ns are exact", async () => {
  assert.equal(await out(`out := time.parse_rfc3339_ns("2022-12-02T18:40:53.141828752Z") == ${NS}`), true);
  assert.equal(await out(`out := time.parse_ns("RFC3339Nano", "2022-12-02T18:40:53.141828752Z") == ${NS}`), true);
  assert.equal(await out(`out := time.parse_duration_ns("2562047h47m16.854775807s") == 9223372036854775807`), true);
  assert.equal(await out(`out := json.marshal(time.parse_rfc3339_ns("2262-04-11T23:47:16.854775807Z"))`), "9223372036854775807");
  // the round trip through the natives
  assert.equal(await out(`out := time.format(time.parse_rfc3339_ns("2022-12-02T18:40:53.141828752Z"))`), "2022-12-02T18:40:53.141828752Z");
  const { wasm } = await compileRego({ modules: [{ path: "p.rego", source: "package p\n\nout := time.format(time.now_ns())\n" }], entrypoints: ["p/out"] });
  const policy = await loadPolicy(wasm, undefined, createHostBuiltins({ now: () => BigInt(NS) }));
  assert.equal((policy.evaluate(undefined, "p/out") as { result: string }[])[0]!.result, "2022-12-02T18:40:53.141828752Z");
});

test("operand errors are OPA's, strings of digits included", async () => {
  const any = "either number (ns) or [number (ns), string (tz)]";
  assert.equal(await strictError(`out := time.format(input.t)`, `{"t": "${NS}"}`), `eval_type_error: time.format: operand 1 must be ${any} but got string`);
  assert.equal(await strictError(`out := time.format(input.t)`, `{"t": ""}`), `eval_type_error: time.format: operand 1 must be ${any} but got string`);
  assert.equal(await strictError(`out := time.date([input.t, "UTC"])`, `{"t": "${NS}"}`), "eval_type_error: time.date: operand 1 must be number but got string");
  assert.equal(await strictError(`out := time.clock(input.a)`, `{"a": ["0"]}`), "eval_type_error: time.clock: operand 1 must be number but got string");
  assert.equal(await strictError(`out := time.weekday(input.t)`, `{"t": {"ns": "${NS}"}}`), `eval_type_error: time.weekday: operand 1 must be ${any} but got object`);
  assert.equal(await strictError(`out := time.weekday(input.t)`, `{"t": []}`), `eval_type_error: time.weekday: operand 1 must be ${any} but got array`);
  assert.equal(await strictError(`out := time.add_date(input.t, 0, 0, 1)`, `{"t": "${NS}"}`), `eval_type_error: time.add_date: operand 1 must be ${any} but got string`);
  assert.equal(await strictError(`out := time.add_date(${NS}, input.y, 0, 1)`, `{"y": "1"}`), "eval_type_error: time.add_date: operand 2 must be number but got string");
  assert.equal(await strictError(`out := time.diff(${NS}, input.t)`, `{"t": "${NS}"}`), `eval_type_error: time.diff: operand 1 must be ${any} but got string`);
  assert.equal(await strictError(`out := time.diff(input.t, ${NS})`, `{"t": ["${NS}"]}`), "eval_type_error: time.diff: operand 1 must be number but got string");
  assert.equal(await strictError(`out := time.format([${NS}, input.tz])`, `{"tz": 1}`), "eval_type_error: time.format: operand 1 must be string but got number");
  assert.equal(await strictError(`out := time.format(9223372036854775808)`), "eval_builtin_error: time.format: timestamp too big");
  assert.equal(await strictError(`out := time.format(input.t)`, `{"t": 1670006453141828752.5}`), "eval_builtin_error: time.format: timestamp too big");
  assert.equal(await strictError(`out := time.add_date(9223372036854775807, 0, 0, 1)`), "eval_builtin_error: time.add_date: time outside of valid range");
  assert.equal(await strictError(`out := time.format([${NS}, "Mars/Olympus"])`), "eval_builtin_error: time.format: unknown time zone Mars/Olympus");
  // the zone is checked before the size, as in OPA
  assert.equal(await strictError(`out := time.format([input.t, "Mars/Olympus"])`, `{"t": 1670006453141828752.5}`), "eval_builtin_error: time.format: unknown time zone Mars/Olympus");
  assert.equal(await strictError(`out := time.date(input.a)`, `{"a": [1e30, 1]}`), "eval_type_error: time.date: operand 1 must be string but got number");
  // without strict errors: undefined
  assert.equal(await out(`out := time.format(input.t)`, `{"t": "${NS}"}`), undefined);
  assert.equal(await out(`out := time.diff(input.t, 0)`, `{"t": ["${NS}"]}`), undefined);
  // the host builtins a policy reaches by name take no digit strings
  assert.equal(hostBuiltins["time.format"]!(NS), undefined);
  assert.throws(() => createHostBuiltins({ strict: true })["time.format"]!(NS), /operand 1 must be either number/);
  await assert.rejects(compileRego({ modules: [{ path: "p.rego", source: `package p\n\nout := writ.exact_ns.time.format("${NS}")\n` }], entrypoints: ["p/out"] }));
});

test("values within 2^53 as before", async () => {
  assert.equal(await out(`out := time.format([0, "UTC", "Monday, 2 January 2006 3:04pm .000"])`), "Thursday, 1 January 1970 12:00am .000");
  assert.equal(await out(`out := time.format(input.t)`, `{"t": 1517814000000000}`), "1970-01-18T13:36:54Z");
  assert.equal(await out(`out := time.format(-1)`), "1969-12-31T23:59:59.999999999Z");
  assert.deepEqual(await out(`out := time.date([1517814000000000000, "America/Los_Angeles"])`), [2018, 2, 4]);
  assert.deepEqual(await out(`out := time.clock([1517832000000000000, "America/New_York"])`), [7, 0, 0]);
  assert.equal(await out(`out := time.weekday(1518350400000000000)`), "Sunday");
  assert.equal(await out(`out := time.add_date(1585852421593912000, -1, -1, -1) == 1551465221593912000`), true);
  assert.equal(await out(`out := time.add_date(0, 0, 0, 1)`), 86400000000000);
  assert.deepEqual(await out(`out := time.diff(1517814000000000000, [1582977600000000000, "UTC"])`), [2, 0, 24, 5, 0, 0]);
  assert.equal(await strictError(`out := time.format(input.t)`, `{"t": 1.5}`), "eval_builtin_error: time.format: timestamp too big");
});
