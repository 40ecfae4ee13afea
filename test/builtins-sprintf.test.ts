// sprintf against Go's fmt as OPA uses it (values from Go's fmt documentation
// and OPA's handling of Rego values), plus format_int.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinImplementations, createBuiltinContext } from "../src/rego/builtins/host.js";

const b = builtinImplementations(createBuiltinContext());
const sprintf = (f: string, ...args: unknown[]) => b["sprintf"]!(f, args as never);

test("integers: %d %v %b %o %O %x %X %c %q %U and flags", () => {
  assert.equal(sprintf("%d|%v|%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42, 42, 42), "42|42|   42|42   |00042|+42| 42");
  assert.equal(sprintf("%b|%o|%O|%x|%X|%#x|%#o", 10, 8, 8, 255, 255, 255, 8), "1010|10|0o10|ff|FF|0xff|010");
  assert.equal(sprintf("%c|%q|%U|%#U", 65, 65, 0x1f600, 65), "A|'A'|U+1F600|U+0041 'A'");
  assert.equal(sprintf("%05d|%.3d|%8.3d", -42, 7, 7), "-0042|007|     007");
  assert.equal(sprintf("%x", -255), "-ff");
});

test("floats: %v %g %e %f with precision, Go's shortest form and exponents", () => {
  assert.equal(sprintf("%v|%v|%v|%v", 1.5, 0.1, 1.5e-21, 1.234567e-7), "1.5|0.1|1.5e-21|1.234567e-07");
  assert.equal(sprintf("%v", 1234567.5), "1.2345675e+06");
  assert.equal(sprintf("%f|%.2f|%8.3f|%-8.1f|", 3.14159, 3.14159, 3.14159, 3.14159), "3.141590|3.14|   3.142|3.1     |");
  assert.equal(sprintf("%e|%.2e|%E", 1234.5678, 1234.5678, 0.000123), "1.234568e+03|1.23e+03|1.230000E-04");
  assert.equal(sprintf("%g|%.3g|%.3g|%g", 100000.5, 1234.5678, 0.00001234, 1e-5), "100000.5|1.23e+03|1.23e-05|1e-05");
  // Go rounds exact halves to even
  assert.equal(sprintf("%.2f|%.0f|%.0f|%.1f", 0.125, 2.5, 3.5, 0.25), "0.12|2|4|0.2");
  assert.equal(sprintf("%+.1f|%08.3f", 2.25, -3.14159), "+2.2|-003.142");
});

test("strings: %s %v %q %x with width and precision", () => {
  assert.equal(sprintf("%s|%v|%q|%x|%X|% x", "hi", "hi", 'a"b', "hi", "hi", "hi"), 'hi|hi|"a\\"b"|6869|6869|68 69');
  assert.equal(sprintf("%6s|%-6s|%.2s|%06s", "héllo", "ab", "héllo", "ab"), " héllo|ab    |hé|0000ab");
  assert.equal(sprintf("%#q|%+q", "hi", "é"), '`hi`|"\\u00e9"');
});

test("Rego values other than numbers and strings print as Rego text", () => {
  assert.equal(sprintf("%v|%v|%v", true, null, [1, "a"]), 'true|null|[1, "a"]');
  assert.equal(sprintf("%v", { b: 1, a: [true] }), '{"a": [true], "b": 1}');
  assert.equal(sprintf("%s", { k: "v" }), '{"k": "v"}');
  // a boolean reaches Go as its text, so %t does not apply (as in OPA)
  assert.equal(sprintf("%t", true), "%!t(string=true)");
});

test("mismatches, missing and extra arguments read as Go's fmt reports them", () => {
  assert.equal(sprintf("%d", "x"), "%!d(string=x)");
  assert.equal(sprintf("%s", 5), "%!s(int=5)");
  assert.equal(sprintf("%d", 1.5), "%!d(float64=1.5)");
  assert.equal(sprintf("%d %d", 1), "1 %!d(MISSING)");
  assert.equal(sprintf("%d", 1, "x"), "1%!(EXTRA string=x)");
  assert.equal(sprintf("100%%|%T|%T|%T", 1, 1.5, "s"), "100%|int|float64|string");
  assert.equal(sprintf("%[2]d %[1]d", 1, 2), "2 1");
  assert.equal(sprintf("%*d|%-*d|", 4, 7, 3, 7), "   7|7  |");
  assert.equal(sprintf("abc%"), "abc%!(NOVERB)");
});

test("integers past int64 print as big.Int does", () => {
  assert.equal(sprintf("%s|%d|%T", 2n ** 70n, 2n ** 70n, 2n ** 70n), "1180591620717411303424|1180591620717411303424|*big.Int");
});

test("format_int truncates toward zero and checks its base", () => {
  assert.equal(b["format_int"]!(255, 16), "ff");
  assert.equal(b["format_int"]!(-5.9, 2), "-101");
  assert.equal(b["format_int"]!(8, 8), "10");
  assert.throws(() => b["format_int"]!(8, 3), { message: "operand 2 must be one of {2, 8, 10, 16}" });
});
