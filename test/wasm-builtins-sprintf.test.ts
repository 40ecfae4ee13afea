// Native sprintf (Go's fmt as OPA uses it) through the bare SDK: Go's own
// documented outputs, OPA's Rego-text operands, and agreement with the
// TypeScript host implementation on a generated corpus.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import { rng } from "./support/rng.js";

/** A policy mapping input.cases ([format, args] pairs) to sprintf results,
 *  loaded in the bare SDK (no custom builtins). */
async function nativeSprintf(): Promise<(cases: [string, unknown[]][]) => unknown[]> {
  const { wasm } = await compileRego({
    modules: [{ path: "s.rego", source: "package s\n\nout := [sprintf(c[0], c[1]) | some c in input.cases]\n" }],
    entrypoints: ["s/out"],
  });
  const policy = await loadPolicy(wasm);
  return (cases) => (policy.evaluate({ cases }, "s/out") as { result: unknown[] }[])[0]!.result;
}

const native = await nativeSprintf();
const host = hostBuiltins["writ.host.sprintf"]!;

test("Go's documented outputs", () => {
  const cases: [string, unknown[], string][] = [
    ["%d|%v|%5d|%-5d|%05d|%+d|% d", [42, 42, 42, 42, 42, 42, 42], "42|42|   42|42   |00042|+42| 42"],
    ["%b|%#b|%#b|%o|%#o|%O|%x|%X|%#X", [7, 7, -6, 668, 668, 668, 0x12abcdef, 0x12abcdef, 0], "111|0b111|-0b110|1234|01234|0o1234|12abcdef|12ABCDEF|0X0"],
    ["%.d|%6.0d|%06.0d|%010d|%020.8d|%-#20.8x|", [0, 0, 0, -12345, -1234, 0x1234abc], "|      |      |-000012345|           -00001234|0x01234abc          |"],
    ["%c|%3c|%-3c|%c|%q|%+q|%q|%10q|%010q", [0x672c, 0x2318, 0x2318, -1, 39, 0xff, 0x22, 0x2318, 0x2318], "本|  ⌘|⌘  |�|'\\''|'\\u00ff'|'\"'|       '⌘'|0000000'⌘'"],
    ["%U|%U|%#U|%#14.6U|%#-14.6U", [0, -1, 0x263a, 0x2318, 0x2318], "U+0000|U+FFFFFFFFFFFFFFFF|U+263A '☺'|  U+002318 '⌘'|U+002318 '⌘'  "],
    // OPA hands integral numbers to Go as ints, so floats here have fractions
    ["%+.3e|%+.3f|%+07.2f|%-07.2f|% .3e|%+.3g|% .3g", [0.5, -1.5, -1.25, 1.5, 1.5, 1.5, -1.5], "+5.000e-01|-1.500|-001.25|1.50   | 1.500e+00|+1.5|-1.5"],
    ["%+.3e|%5.1f", [0, 1], "%!e(int=+000)|%!f(int=    1)"],
    ["%e|%f|%f|%g|%g|%G|%20.8f", [1234567.8, 1.2345678e-5, -1e-9, 1234567.8, 1.2345678e-5, -1e-9, 1.23456789e-3], "1.234568e+06|0.000012|-0.000000|1.2345678e+06|1.2345678e-05|-1E-09|          0.00123457"],
    ["%x|% x|%#x|%# X|%.5x|%.1x|%#08x|%# 010x|%2x", ["xyz", "xyz", "xyz", "xyz", "abcdefghijklmnopqrstuvwxyz", "日本語", "\u00ab", "\u00ab\u00cd", ""], "78797a|78 79 7a|0x78797a|0X78 0X79 0X7A|6162636465|e6|000xc2ab|0xc2 0xab 0xc3 0x8d|  "],
    ["%q|%#q|%#q|%+q|%#+q|%.3q|%10.1q|%05s|%.5s|%0-5s", ["\"", "\"", "`", "日本語", "日本語", "日本語日本語", "日本語日本語", "abc", "日本語日本語", "abc"], "\"\\\"\"|`\"`|\"`\"|\"\\u65e5\\u672c\\u8a9e\"|`日本語`|\"日本語\"|       \"日\"|00abc|日本語日本|abc  "],
    ["%.2f|%.0f|%.0f|%.1f|%.0f", [0.125, 2.5, 3.5, 0.25, 0.5], "0.12|2|4|0.2|0"],
    ["%T %T %T %T %6T", [1, 1.5, "s", [1], 2], "int float64 string string    int"],
    // %+v and %#v are not the + and # flags
    ["%+v|%#v|%#v|%+d", [5, 5, "a", 5], "5|5|\"a\"|+5"],
    ["%s %", ["hello"], "hello %!(NOVERB)"],
    ["%s %.2", ["hello"], "hello %!(NOVERB)"],
    ["%d %d", [1], "1 %!d(MISSING)"],
    ["%d", [1, "a", 2.5], "1%!(EXTRA string=a, float64=2.5)"],
    ["%[2]d %[1]d", [1, 2], "2 1"],
    ["%[3]d", [1, 2], "%!d(BADINDEX)"],
    ["%*d|%-*d|%.*f", [5, 1, 5, 1, 2, 3.14159], "    1|1    |3.14"],
    ["%*d", ["x", 1], "%!(BADWIDTH)1"],
    ["%t|%5t|%!", [1, "ab"], "%!t(int=1)|%!t(string=   ab)|%!!(MISSING)"],
    ["%*d", [5, "foo"], "%!d(string=  foo)"],
    ["%#06x|%#o|%06o|%#06o", [255, 8, 8, 8], "0x0000ff|010|000010|000010"],
  ];
  const got = native(cases.map(([f, a]) => [f, a]));
  cases.forEach(([f, a, want], i) => assert.equal(got[i], want, `sprintf(${JSON.stringify(f)}, ${JSON.stringify(a)})`));
});

test("Rego values other than numbers and strings print as OPA prints them", () => {
  const got = native([
    ["%v|%v|%v", [true, null, [1, "a"]]],
    ["%v", [{ b: 1, a: [true] }]],
    ["%s|%d", [{ k: "v" }, [1]]],
    ["%v", [9007199254740993]],
    // integers past int64 are *big.Int, from 1e21 on (JSON's exponent form) float64
    ["%d|%x|%c|%v|%e", [1e20, 1e20, 1e20, 1.5e300, 1e21]],
  ]);
  assert.deepEqual(got, [
    'true|null|[1, "a"]',
    '{"a": [true], "b": 1}',
    '{"k": "v"}|%!d(string=[1])',
    "9007199254740992",
    "100000000000000000000|56bc75e2d63100000|%!c(big.Int=100000000000000000000)|1.5e+300|1.000000e+21",
  ]);
});

test("agrees with the TypeScript host sprintf on a generated corpus", () => {
  const r = rng(20240611);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const verbs = "vdsqxXobeEfFgGcUtT%";
  const flags = ["", "", "", "-", "+", "#", " ", "0", "-0", "+0", "# ", "+-"];
  const widths = ["", "", "", "1", "5", "12", "*"];
  const precs = ["", "", "", ".0", ".1", ".3", ".10", "."];
  const values: unknown[] = [
    0, 1, -1, 7, 42, -42, 255, 65, 0x263a, 1e6, -123456789, 2 ** 53, 1.5, -0.25, 0.1, 3.14159, 1e-7, 2.5e20, 123.456, 1e21,
    "", "a", "hello", "héllo wörld", "日本語", "tab\tand\nnewline", 'q"uote', "`tick`", "\u00ad\u0085",
    true, false, null, [], [1, "a"], { k: "v", n: [1, 2] },
  ];
  // doubles across the exponent range, and exact ties for rounding
  for (let k = 0; k < 60; k++) values.push((r() - 0.5) * 10 ** Math.floor(r() * 60 - 30));
  values.push(0.125, 2.5, 1.005, 9.995, 0.5, 1e-320, 5e-324, 1.7976931348623157e308);
  const cases: [string, unknown[]][] = [];
  for (let n = 0; n < 6000; n++) {
    let f = pick(["", "x=", "[", "a b "]);
    const args: unknown[] = [];
    const verbsHere = 1 + Math.floor(r() * 3);
    for (let k = 0; k < verbsHere; k++) {
      const w = pick(widths);
      if (w === "*") args.push(pick([3, -4, 8]));
      const verb = pick([...verbs]);
      f += `%${pick(flags)}${w}${pick(precs)}${verb}|`;
      if (verb !== "%") args.push(pick(values));
    }
    if (r() < 0.1) args.push(pick(values));
    if (r() < 0.1) args.pop();
    cases.push([f, args]);
  }
  const got = native(cases);
  const mismatches: string[] = [];
  cases.forEach(([f, a], i) => {
    const want = host(f, a);
    if (got[i] !== want) mismatches.push(`sprintf(${JSON.stringify(f)}, ${JSON.stringify(a)}): native ${JSON.stringify(got[i])}, host ${JSON.stringify(want)}`);
  });
  assert.deepEqual(mismatches.slice(0, 30), [], `${mismatches.length} of ${cases.length} differ`);
});

test("a number literal beyond float64 prints as its text, integers beyond int64 as *big.Int", async () => {
  const { wasm } = await compileRego({
    modules: [{ path: "s.rego", source: 'package s\n\nout := [sprintf("hi %v", [2e308]), sprintf("%d %T", [28857836529306024611913, 28857836529306024611913])]\n' }],
    entrypoints: ["s/out"],
  });
  const policy = await loadPolicy(wasm);
  assert.deepEqual(policy.evaluate(null, "s/out"), [{ result: ["hi 2e308", "28857836529306024611913 *big.Int"] }]);
});
