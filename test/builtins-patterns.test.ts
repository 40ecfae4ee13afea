// glob.match (gobwas/glob semantics), regex.* (RE2 semantics, Go's
// regexp behaviour), net.cidr_* and strings edge cases, transcribed from the
// Go libraries' documented behaviour and OPA's docs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinImplementations, createBuiltinContext } from "../src/rego/builtins/host.js";
import { BuiltinError } from "../src/rego/builtins/errors.js";

const b = builtinImplementations(createBuiltinContext());
const call = (name: string, ...args: unknown[]) => b[name]!(...(args as never[]));

test("glob.match: * stops at delimiters, ** does not, default delimiter is '.'", () => {
  assert.equal(call("glob.match", "*.github.com", [], "api.github.com"), true);
  assert.equal(call("glob.match", "*.github.com", [], "api.cdn.github.com"), false);
  assert.equal(call("glob.match", "**.github.com", [], "api.cdn.github.com"), true);
  assert.equal(call("glob.match", "*.github.com", null, "api.cdn.github.com"), true);
  assert.equal(call("glob.match", "/workspace/*/src/*.ts", ["/"], "/workspace/app/src/main.ts"), true);
  assert.equal(call("glob.match", "/workspace/*/src/*.ts", ["/"], "/workspace/app/lib/src/main.ts"), false);
  assert.equal(call("glob.match", "/workspace/**/*.ts", ["/"], "/workspace/app/lib/src/main.ts"), true);
  assert.equal(call("glob.match", "?at", [], "ćat"), true);
  assert.equal(call("glob.match", "?at", ["c"], "cat"), false);
  assert.equal(call("glob.match", "{api,www}.{example,test}.com", [], "www.test.com"), true);
  assert.equal(call("glob.match", "file[0-9].txt", [], "file7.txt"), true);
  assert.equal(call("glob.match", "file[!0-9].txt", [], "file7.txt"), false);
  assert.equal(call("glob.match", "a\\*b", [], "a*b"), true);
  assert.equal(call("glob.match", "a\\*b", [], "axb"), false);
  assert.equal(call("glob.match", "Bash(git *)", null, "Bash(git push --force)"), true);
  assert.equal(call("glob.quote_meta", "*.{a,b}[c]?"), "\\*.\\{a,b\\}\\[c\\]\\?");
  assert.throws(() => call("glob.match", "[abc", [], "a"), BuiltinError);
  assert.throws(() => call("glob.match", "*", [1], "a"), { message: "operand 2 must be array of strings but got array containing number" });
});

test("regex: RE2 syntax, not JavaScript's", () => {
  assert.equal(call("regex.match", "(?i)^BASH$", "bash"), true);
  assert.equal(call("regex.match", "^(?P<cmd>\\w+)", "git push"), true);
  assert.equal(call("regex.match", "\\Aab\\z", "ab"), true);
  assert.equal(call("regex.match", "^[[:alpha:]]+$", "abc"), true);
  assert.equal(call("regex.is_valid", "a(?=b)"), false); // lookahead is not RE2
  assert.equal(call("regex.is_valid", "a\\1"), false); // nor are backreferences
  assert.equal(call("regex.is_valid", 5), false);
  assert.throws(() => call("regex.match", "a(?=b)", "ab"), { message: "error parsing regexp: invalid or unsupported Perl syntax: `(?=`" });
});

test("regex: Go's FindAll, Split and ReplaceAll behaviour", () => {
  assert.deepEqual(call("regex.find_n", "a*", "baaab", -1), ["", "aaa", ""]);
  assert.deepEqual(call("regex.find_n", "[0-9]+", "a1b22c333", 2), ["1", "22"]);
  assert.deepEqual(call("regex.split", "a*", "baaac"), ["b", "c"]);
  assert.deepEqual(call("regex.split", ",", ""), [""]);
  assert.deepEqual(call("regex.split", "", "abc"), ["a", "b", "c"]);
  assert.deepEqual(call("regex.find_all_string_submatch_n", "(a)(x)?", "aa", -1), [["a", "a", ""], ["a", "a", ""]]);
  assert.equal(call("regex.replace", "-ab-axxb-", "a(x*)b", "${1}W"), "-W-xxW-");
  assert.equal(call("regex.replace", "-ab-axxb-", "a(x*)b", "$1W"), "---");
  assert.equal(call("regex.replace", "foo", "^[a-z]", "F"), "Foo");
  assert.equal(call("regex.replace", "abc", "", "-"), "-a-b-c-");
  assert.equal(call("regex.replace", "a1b2", "(?P<d>[0-9])", "<$d>"), "a<1>b<2>");
  assert.equal(call("regex.template_match", "urn:foo:{.*}", "urn:foo:bar:baz", "{", "}"), true);
  assert.equal(call("regex.template_match", "urn:foo.bar.com:{.*}", "urn:foo.com:bar:baz", "{", "}"), false);
  assert.equal(call("regex.globs_match", "a.a.[0-9]+z", ".b.b2359825792*594823z"), true);
  assert.equal(call("regex.globs_match", "[a-z]+", "[0-9]*"), false);
  assert.equal(call("regex.globs_match", "[a-z]*", "[0-9]*"), true); // both match ""
  assert.equal(call("regex.globs_match", "a+b", ".*b"), true);
});

test("net.cidr_*: Go's address rules", () => {
  assert.equal(call("net.cidr_contains", "10.0.0.0/8", "10.1.2.3"), true);
  assert.equal(call("net.cidr_contains", "10.0.0.0/8", "11.0.0.0/16"), false);
  assert.equal(call("net.cidr_contains", "2001:db8::/32", "2001:db8:1::/48"), true);
  assert.equal(call("net.cidr_contains", "10.0.0.0/8", "::ffff:10.1.1.1"), true);
  assert.equal(call("net.cidr_is_valid", "010.0.0.0/8"), false); // leading zeros
  assert.equal(call("net.cidr_is_valid", "10.0.0.0/33"), false);
  assert.equal(call("net.cidr_intersects", "192.168.0.0/16", "192.168.1.0/24"), true);
  assert.deepEqual(call("net.cidr_expand", "2001:db8::/127"), ["2001:db8::", "2001:db8::1"]);
  assert.deepEqual(call("net.cidr_merge", ["192.0.128.0/24", "192.0.129.0/24"]), ["192.0.128.0/23"]);
  assert.throws(() => call("net.cidr_contains", "10.0.0.0/8", "x"), { message: "not a valid textual representation of an IP address or CIDR: x" });
});

test("strings: runes, Go's whitespace and replacer order", () => {
  assert.equal(call("indexof", "héllo", "l"), 2);
  assert.deepEqual(call("indexof_n", "ababab", "aba"), [0, 2]);
  assert.equal(call("substring", "héllo", 1, 3), "éll");
  assert.equal(call("strings.count", "cheese", "e"), 3);
  assert.equal(call("strings.count", "five", ""), 5);
  assert.equal(call("trim_space", "\u0085 x \u00a0"), "x");
  assert.equal(call("trim_space", "\ufeffx"), "\ufeffx"); // U+FEFF is not space in Go
  assert.equal(call("strings.replace_n", { f: "x", foo: "xxx" }, "foobar"), "xoobar");
  assert.equal(call("strings.reverse", "a😀b"), "b😀a");
  assert.deepEqual(call("split", "a😀b", ""), ["a", "😀", "b"]);
  assert.equal(call("strings.render_template", "{{range $i, $n := .names}}{{if $i}},{{end}}hi {{$n}}{{end}}", { names: ["a", "b"] }), "hi a,hi b");
  assert.equal(call("strings.render_template", "{{.missing}}", {}), "<undefined>");
  assert.equal(call("internal.template_string", ["x=", [1], " y=", [], " z=", [{ a: "b" }]]), 'x=1 y=<undefined> z={"a": "b"}');
});
