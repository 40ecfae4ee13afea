// time.* against values transcribed from OPA's conformance suite (time/) and
// Go's documented behaviour; timestamps as bigints to stay exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinImplementations, createBuiltinContext } from "../src/rego/builtins/host.js";
import { BuiltinError } from "../src/rego/builtins/errors.js";

const now = 1_670_006_453_141_828_752n;
const b = builtinImplementations(createBuiltinContext({ now: () => now }));
const call = (name: string, ...args: unknown[]) => b[name]!(...(args as never[]));
const big = (v: unknown) => (typeof v === "bigint" ? v : BigInt(v as number));

function throwsBuiltin(f: () => unknown, message: RegExp) {
  assert.throws(f, (e: unknown) => e instanceof BuiltinError && message.test(e.message));
}

test("time.parse_ns with layouts, named layouts and offsets (conformance time/parse_nanos)", () => {
  const cases: [string, string, bigint][] = [
    ["2006-01-02T15:04:05Z07:00", "2017-06-02T19:00:00-07:00", 1496455200000000000n],
    ["2006-01-02T15:04:05Z07:00", "1677-09-21T00:12:43.145224192-00:00", -9223372036854775808n],
    ["2006-01-02T15:04:05Z07:00", "2262-04-11T23:47:16.854775807-00:00", 9223372036854775807n],
    ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700", 1496455200000000000n],
    ["02 Jan 06 15:04 -0700", "02 Jun 17 19:00 -0700", 1496455200000000000n],
    ["RFC822Z", "02 Jun 17 19:00 -0700", 1496455200000000000n],
    ["2006-01-02", "2020-02-29", 1582934400000000000n],
  ];
  for (const [layout, value, want] of cases) assert.equal(big(call("time.parse_ns", layout, value)), want, `${layout} ${value}`);
  throwsBuiltin(() => call("time.parse_ns", "2006-01-02T15:04:05Z07:00", "1677-09-21T00:12:43.145224191-00:00"), /^time outside of valid range$/);
  throwsBuiltin(() => call("time.parse_ns", "2006-01-02", "2021-02-29"), /day out of range/);
  throwsBuiltin(() => call("time.parse_ns", "2006-01-02", "20x1-02-03"), /^parsing time "20x1-02-03" as "2006-01-02": cannot parse "20x1-02-03" as "2006"$/);
});

test("time.parse_rfc3339_ns", () => {
  assert.equal(big(call("time.parse_rfc3339_ns", "1970-01-01T00:00:00-00:00")), 0n);
  assert.equal(big(call("time.parse_rfc3339_ns", "2017-06-02T19:00:00-07:00")), 1496455200000000000n);
  assert.equal(big(call("time.parse_rfc3339_ns", "2017-06-02T19:00:00.123456789Z")), 1496430000123456789n);
  throwsBuiltin(() => call("time.parse_rfc3339_ns", "2262-04-11T23:47:16.854775808-00:00"), /^time outside of valid range$/);
});

test("time.parse_duration_ns follows Go's ParseDuration", () => {
  assert.equal(call("time.parse_duration_ns", "100ms"), 100000000);
  assert.equal(call("time.parse_duration_ns", "1h2m3.5s"), 3723500000000);
  assert.equal(call("time.parse_duration_ns", "-1.5us"), -1500);
  assert.equal(call("time.parse_duration_ns", "0"), 0);
  throwsBuiltin(() => call("time.parse_duration_ns", "1"), /^time: missing unit in duration "1"$/);
  throwsBuiltin(() => call("time.parse_duration_ns", "3x"), /^time: unknown unit "x" in duration "3x"$/);
});

test("time.format with zones and layouts (conformance time/format)", () => {
  const ns = 1670006453141828752n;
  assert.equal(call("time.format", ns), "2022-12-02T18:40:53.141828752Z");
  assert.equal(call("time.format", [ns, "Asia/Kolkata"]), "2022-12-03T00:10:53.141828752+05:30");
  assert.equal(call("time.format", [ns, "Asia/Kolkata", "Mon Jan 02 15:04:05 -0700 2006"]), "Sat Dec 03 00:10:53 +0530 2022");
  assert.equal(call("time.format", [ns, "Asia/Kolkata", "RFC1123Z"]), "Sat, 03 Dec 2022 00:10:53 +0530");
  assert.equal(call("time.format", [0, "UTC", "Monday, 2 January 2006 3:04pm .000"]), "Thursday, 1 January 1970 12:00am .000");
  throwsBuiltin(() => call("time.format", 1582977600000000000000), /^timestamp too big$/);
});

test("time.date, time.clock, time.weekday (conformance time/)", () => {
  assert.deepEqual(call("time.date", 1517814000000000000), [2018, 2, 5]);
  assert.deepEqual(call("time.date", [1517814000000000000, "America/Los_Angeles"]), [2018, 2, 4]);
  assert.deepEqual(call("time.date", [1517832000000000000, ""]), [2018, 2, 5]);
  assert.deepEqual(call("time.date", 1582977600000000000), [2020, 2, 29]);
  assert.deepEqual(call("time.clock", 1517832000000000000), [12, 0, 0]);
  assert.deepEqual(call("time.clock", [1517832000000000000, "America/New_York"]), [7, 0, 0]);
  assert.equal(call("time.weekday", 1518350400000000000), "Sunday");
  throwsBuiltin(() => call("time.date", 1582977600000000000000), /^timestamp too big$/);
  throwsBuiltin(() => call("time.date", [0, "Mars/Olympus"]), /unknown time zone Mars\/Olympus/);
});

test("time.add_date normalizes like Go's AddDate", () => {
  assert.equal(big(call("time.add_date", 1585852421593912000n, 3, 9, 12)), 1705257221593912000n);
  assert.equal(big(call("time.add_date", 1585852421593912000n, -1, -1, -1)), 1551465221593912000n);
  // Jan 31 + 1 month = Mar 3 (2021 is not a leap year)
  const jan31 = big(call("time.parse_ns", "2006-01-02", "2021-01-31"));
  assert.equal(call("time.format", [big(call("time.add_date", jan31, 0, 1, 0)), "UTC", "2006-01-02"]), "2021-03-03");
  throwsBuiltin(() => call("time.add_date", 0, 2262, 1, 1), /^time outside of valid range$/);
});

test("time.diff (conformance time/diff)", () => {
  const p = (s: string) => big(call("time.parse_ns", "2006-01-02", s));
  assert.deepEqual(call("time.diff", p("2020-02-02"), p("2020-03-01")), [0, 0, 28, 0, 0, 0]);
  assert.deepEqual(call("time.diff", p("2021-02-02"), p("2021-03-01")), [0, 0, 27, 0, 0, 0]);
  assert.deepEqual(call("time.diff", p("2004-02-29"), p("2005-03-01")), [1, 0, 1, 0, 0, 0]);
  assert.deepEqual(call("time.diff", now + 61_000_000_000n, now), [0, 0, 0, 0, 1, 1]);
  assert.deepEqual(call("time.diff", [now + 60_000_000_000n, "UTC"], [now, "Asia/Shanghai"]), [0, 0, 0, 0, 1, 0]);
});

test("time.now_ns is the context's clock, exactly", () => {
  assert.equal(call("time.now_ns"), now);
});
