// Native glob.match, regex.match and regex.is_valid through the SDK: in the
// bare SDK for the patterns they compile, with the host answering the rest
// (Unicode classes, invalid patterns), and in agreement with the
// TypeScript host implementations (gobwas semantics; re2js, a port of
// RE2) on generated corpora.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../src/index.js";
import { createHostBuiltins, hostBuiltins } from "../src/rego/builtins/host.js";
import { rng } from "./support/rng.js";

type Builtins = Record<string, (...args: any[]) => unknown>;

/** out := [<call over c> | some c in input.cases], loaded with `builtins`
 *  (none: the bare SDK). */
async function batch(call: string, builtins?: Builtins): Promise<(cases: unknown[][]) => unknown[]> {
  const { wasm } = await compileRego({
    modules: [{ path: "b.rego", source: `package b\n\nout := {i: x | some i, c in input.cases; x := ${call}}\n` }],
    entrypoints: ["b/out"],
  });
  const policy = builtins ? await loadPolicy(wasm, undefined, builtins) : await loadPolicy(wasm);
  // an undefined call leaves its index out
  return (cases) => {
    const out = (policy.evaluate({ cases }, "b/out") as { result: Record<string, unknown> }[])[0]!.result;
    return cases.map((_, i) => out[String(i)]);
  };
}

/** The host map with a counter of the calls that reached `name`. */
function counting(name: string): { builtins: Builtins; calls: () => number } {
  let n = 0;
  const inner = hostBuiltins[name]!;
  return { builtins: { ...hostBuiltins, [name]: (...a: unknown[]) => (n++, inner(...a)) }, calls: () => n };
}

test("regex.match in the bare SDK", async () => {
  const match = await batch("regex.match(c[0], c[1])");
  const cases: [string, string, boolean | undefined][] = [
    // an invalid pattern is undefined (without strict builtin errors)
    ["$^[[[", "something", undefined],
    ["^[a-z]+\\[[0-9]+\\]$", "foo[1]", true],
    ["^$", "", true],
    ["", "x", true],
    ["^$", "something", false],
    ["^(rm|mv)\\s+-rf?\\s+/", "rm -rf /tmp/build", true],
    ["^(rm|mv)\\s+-rf?\\s+/", "ls -la", false],
    ["(?i)HeLLo", "say hello", true],
    ["(?i)k", "\u212a", true],
    ["a.c", "a\nc", false],
    ["(?s)a.c", "a\nc", true],
    ["^b$", "a\nb", false],
    ["(?m)^b$", "a\nb\nc", true],
    ["\\bfoo\\b", "a foo b", true],
    ["\\bfoo\\b", "afoob", false],
    ["\\Bfoo", "afoo", true],
    ["x{2,3}y", "axxy", true],
    ["^x{2,3}y", "xy", false],
    ["^(ab){2}$", "abab", true],
    ["^(ab){2,}$", "ababab", true],
    ["^a{0}b$", "b", true],
    ["^a{,2}$", "a{,2}", true],
    ["[[:alpha:]]+[[:digit:]]", "abc1", true],
    ["[^[:space:]]", "   ", false],
    ["\\x41\\x{42}\\103", "ABC", true],
    ["\\Q.*\\E", "a.*b", true],
    ["\\Q.*\\E", "ab", false],
    ["日本.", "日本語", true],
    ["^.$", "語", true],
    ["(?P<year>\\d{4})-(?<month>\\d\\d)", "2024-06", true],
    ["a|b|c", "zzc", true],
    ["^(?:a|bc|)$", "", true],
    ["(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false],
  ];
  const got = match(cases.map(([p, s]) => [p, s]));
  cases.forEach(([p, s, want], i) => assert.equal(got[i], want, `regex.match(${JSON.stringify(p)}, ${JSON.stringify(s)})`));
});

test("regex.is_valid in the bare SDK: RE2's syntax, without backreferences or lookaround", async () => {
  const valid = await batch("regex.is_valid(c[0])");
  const cases: [unknown, boolean][] = [
    ["a+b", true], ["(?i)x", true], ["[a-z]{1,1000}", true], ["(?P<n>x)", true],
    ["(", false], [")", false], ["[a", false], ["a**", false], ["*a", false], ["a{1001}", false], ["[z-a]", false],
    ["(a)\\1", false], ["(?=a)", false], ["(?!a)", false], ["(?<=a)b", false], ["\\", false], ["\\e", false],
    ["x{2}{3}", false], ["(?P<>x)", false], ["(?z)", false], [1, false],
  ];
  const got = valid(cases.map(([p]) => [p]));
  cases.forEach(([p, want], i) => assert.equal(got[i], want, `regex.is_valid(${JSON.stringify(p)})`));
});

test("patterns the native compiler leaves out go to the host", async () => {
  const { builtins, calls } = counting("regex.match");
  const match = await batch("regex.match(c[0], c[1])", builtins);
  assert.deepEqual(match([["\\pL+", "héllo"], ["\\p{Greek}", "abc"], ["(?i)é", "É"], ["a+", "aa"]]), [true, false, true, true]);
  assert.equal(calls(), 3);
  // and in strict mode an invalid pattern's error is the host's (RE2's) text
  const { wasm } = await compileRego({
    modules: [{ path: "b.rego", source: "package b\n\np := regex.match(input.p, \"x\")\n" }],
    entrypoints: ["b/p"],
    strictBuiltinErrors: true,
  });
  const policy = await loadPolicy(wasm, undefined, createHostBuiltins({ strict: true }));
  assert.deepEqual(policy.evaluate({ p: "x" }, "b/p"), [{ result: true }]);
  assert.throws(() => policy.evaluate({ p: "(" }, "b/p"), /error parsing regexp: missing closing \): `\(`/);
});

test("glob.match in the bare SDK", async () => {
  const glob = await batch("glob.match(c[0], c[1], c[2])");
  const cases: [string, unknown, string, boolean | undefined][] = [
    ["{a,b", [], "a", undefined],
    ["a", ["ab"], "a", undefined],
    ["api.**.com", ["."], "api.cdn.github.com", true],
    ["api.*.com", ["."], "api.cdn.github.com", false],
    ["api.*.com", [], "api.github.com", true],
    ["/workspace/**/*.ts", ["/"], "/workspace/project/src/index.ts", true],
    ["/workspace/*.ts", ["/"], "/workspace/project/index.ts", false],
    ["*.ts", null, "a/b.ts", true],
    ["?at", ["."], "cat", true],
    ["?at", ["."], ".at", false],
    ["[ch]at", [], "hat", true],
    ["[!ch]at", [], "hat", false],
    ["[a-c]at", [], "bat", true],
    ["[!a-c]at", [], "dat", true],
    ["{cat,dog}s", [], "dogs", true],
    ["{cat,d{o,i}g}s", [], "digs", true],
    ["{a,b}", [], "c", false],
    ["\\*x", [], "*x", true],
    ["\\*x", [], "ax", false],
    ["a,b}", [], "a,b}", true],
    ["日*", ["."], "日本語", true],
    ["*:*", [":"], "a:b", true],
    ["*", [":"], "a:b", false],
    ["", [], "", true],
    // literal heads and tails refuse early, but never an invalid pattern
    ["**/*.pem", ["/"], "a/b.key", false],
    ["**/*.pem", ["/"], "a/b.pem", true],
    ["src/**", ["/"], "test/src/x", false],
    ["src/**", ["/"], "src", false],
    ["ab*ba", [], "aba", false],
    ["[a.pem", [], "x", undefined],
    ["{a.pem", [], "x", undefined],
    ["x\\", [], "y", undefined],
  ];
  const got = glob(cases.map(([p, d, s]) => [p, d, s]));
  cases.forEach(([p, d, s, want], i) => assert.equal(got[i], want, `glob.match(${JSON.stringify(p)}, ${JSON.stringify(d)}, ${JSON.stringify(s)})`));
});

test("glob.match agrees with the host implementation on a generated corpus", async () => {
  const { builtins, calls } = counting("glob.match");
  const glob = await batch("glob.match(c[0], c[1], c[2])", builtins);
  const r = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const parts = ["a", "b", ".", "/", "*", "**", "?", "[ab]", "[!a]", "[a-b]", "{a,b}", "{a*,.b}", "\\*", "é", "", "{", "}", ","];
  const delims: unknown[] = [["."], [], null, ["/"], [".", "/"], ["é"]];
  const cases: unknown[][] = [];
  for (let n = 0; n < 3000; n++) {
    let p = "";
    for (let k = Math.floor(r() * 5); k >= 0; k--) p += pick(parts);
    let s = "";
    for (let k = Math.floor(r() * 7); k >= 0; k--) s += pick(["a", "b", ".", "/", "é", "*", "ab", ""]);
    cases.push([p, pick(delims), s]);
  }
  const got = glob(cases);
  const host = hostBuiltins["glob.match"]!;
  const mismatches: string[] = [];
  cases.forEach((c, i) => {
    let want: unknown;
    try {
      want = host(...c);
    } catch {
      want = undefined;
    }
    if (got[i] !== want) mismatches.push(`glob.match(${c.map((x) => JSON.stringify(x)).join(", ")}): native ${got[i]}, host ${want}`);
  });
  assert.deepEqual(mismatches.slice(0, 20), []);
  // only patterns gobwas rejects reach the host
  assert.ok(calls() < cases.length / 4, `${calls()} host calls`);
});

test("regex.match and regex.is_valid agree with re2js on a generated corpus", async () => {
  const { builtins, calls } = counting("regex.match");
  const match = await batch("regex.match(c[0], c[1])", builtins);
  const valid = await batch("regex.is_valid(c[0])", builtins);
  const r = rng(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const atoms = ["a", "b", "c", "A", ".", "\\d", "\\w", "\\s", "\\W", "[ab]", "[^a]", "[a-c]", "[[:upper:]]", "\\.", "é", "^", "$", "\\b", "\\B", " ", "\\n", "(?i)", "(?m)", "(?s)", "x"];
  const quants = ["", "", "", "*", "+", "?", "*?", "+?", "{2}", "{1,3}", "{0,}", "{,2}", "**", "{2}{3}"];
  const gen = (depth: number): string => {
    let out = "";
    for (let k = Math.floor(r() * 4); k >= 0; k--) {
      const roll = r();
      let atom: string;
      if (depth < 2 && roll < 0.15) atom = `(${gen(depth + 1)})`;
      else if (depth < 2 && roll < 0.25) atom = `(?:${gen(depth + 1)}|${gen(depth + 1)})`;
      else if (roll < 0.27) atom = pick(["(", ")", "[", "\\1", "(?=a)", "\\"]);
      else atom = pick(atoms);
      out += atom + pick(quants);
    }
    return out;
  };
  const texts = ["", "a", "abc", "ABC", "a b\nc", "aaab", "xx", "é", "12 ab_c", "bca.", "\nA\n", "cab cab"];
  const cases: unknown[][] = [];
  for (let n = 0; n < 4000; n++) cases.push([r() < 0.3 ? `${gen(0)}|${gen(0)}` : gen(0), pick(texts)]);
  const got = match(cases);
  const gotValid = valid(cases);
  const host = hostBuiltins["regex.match"]!;
  const hostValid = hostBuiltins["regex.is_valid"]!;
  const mismatches: string[] = [];
  cases.forEach(([p, s], i) => {
    const want = host(p, s);
    if (got[i] !== want) mismatches.push(`regex.match(${JSON.stringify(p)}, ${JSON.stringify(s)}): native ${got[i]}, re2js ${want}`);
    if (gotValid[i] !== hostValid(p)) mismatches.push(`regex.is_valid(${JSON.stringify(p)}): native ${gotValid[i]}, re2js ${hostValid(p)}`);
  });
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} differ`);
  // the host answers only what the native compiler leaves out: invalid
  // patterns (their error texts) and non-ASCII case folding
  const invalid = cases.filter(([p]) => !hostValid(p)).length;
  assert.ok(calls() <= invalid + cases.length / 20, `${calls()} host calls, ${invalid} invalid patterns`);
});

test("patterns matched again (the cached DFA) agree with the host on many texts", async () => {
  const match = await batch("regex.match(c[0], c[1])");
  const glob = await batch("glob.match(c[0], c[1], c[2])");
  const r = rng(99);
  const patterns = ["^(rm|mv)\\s+-rf?\\s+/", "git\\s+push\\s+.*--force", "(a|b)*a(a|b){6}$", "^[a-z]+\\d*$", "ab|cd", "x*y+z?$", "^$", "(?i)ab"];
  const globs: [string, string[]][] = [["/workspace/**/*.ts", ["/"]], ["api.**.com", ["."]], ["*.{js,ts}", ["/"]], ["a?[bc]*", []], ["**", ["/"]]];
  const alphabet = ["a", "b", "c", "d", "x", "y", "z", " ", "-", "r", "m", "/", ".", "é", "1", "ts", "js", "git push --force", "api.", "com", "workspace/"];
  const text = () => Array.from({ length: Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join("");
  const regexCases: unknown[][] = [];
  const globCases: unknown[][] = [];
  // several evaluations, so later ones run on DFAs made by earlier ones
  for (let round = 0; round < 4; round++) {
    regexCases.length = 0;
    globCases.length = 0;
    for (let n = 0; n < 400; n++) {
      regexCases.push([patterns[n % patterns.length], text()]);
      const [g, d] = globs[n % globs.length]!;
      globCases.push([g, d, text()]);
    }
    const got = match(regexCases);
    const gotGlob = glob(globCases);
    regexCases.forEach(([p, s], i) => assert.equal(got[i], hostBuiltins["regex.match"]!(p, s), `regex.match(${JSON.stringify(p)}, ${JSON.stringify(s)})`));
    globCases.forEach((c, i) => assert.equal(gotGlob[i], hostBuiltins["glob.match"]!(...c), `glob.match(${JSON.stringify(c)})`));
  }
});
