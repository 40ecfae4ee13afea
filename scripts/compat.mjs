#!/usr/bin/env node
// Compatibility check: runs public Rego libraries' unit tests through writ's
// pipeline, invoked as each library's CI invokes `opa test`, and reports how
// far each test gets and why it stops short of PASS. OPA passes them all
// (todo_ tests are SKIPPED), so every other outcome is a writ gap.
//
//   npm run build && node scripts/compat.mjs [options] DIR...
//
// DIR is a checkout of a library listed in scripts/compat-libraries.json,
// named <owner>+<name> (e.g. open-policy-agent+library), or a corpus folder
// holding such checkouts. Nothing is fetched: it works offline.
//
// Options:
//   --json FILE     also write the per-test results as JSON
//   --only REGEX    only libraries whose repo matches
//   --run REGEX     only tests whose full name matches
//   --list N        list at most N non-PASS tests per library (default all)
//   --host-natives  call builtins the Wasm runtime does not implement yet
//                   from the host map (its reference implementations read
//                   sets as arrays: a diagnostic stand-in, not the real thing)
//   --compile-only  stop after the middle end (parse, resolve, safety, type
//                   check): a quick guard that a compiler change rejects
//                   nothing new (exits 1 when anything fails to compile;
//                   COMPAT_FULL_ERRORS=1 prints errors with detail lines)
//
// Stages: load + parse → compile (middle end) → plan (IR) → emit Wasm → run.
// A compile error in OPA stops a whole run; here the modules it names are set
// aside and the rest compiled again, so that one gap does not hide the others.
// Until the Wasm back end exists, tests stop after planning ("planned").
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist/src/rego");
if (!existsSync(join(dist, "tester/discover.js"))) {
  process.stderr.write("compat: dist/ is missing; run `npm run build` first\n");
  process.exit(2);
}
const { discoverTests } = await import(join(dist, "tester/discover.js"));
const { parseTestArgs } = await import(join(dist, "tester/args.js"));
const { runCompiledTests } = await import(join(dist, "tester/runner.js"));
const { compileModules } = await import(join(dist, "compiler/index.js"));
const { planPolicy } = await import(join(dist, "planner/index.js"));
const { emitWasm } = await import(join(dist, "wasm/emit.js"));
const { RegoError } = await import(join(dist, "errors.js"));
const { createHostBuiltins } = await import(join(dist, "builtins/host.js"));
const { declareBuiltins, importBuiltinExtensions, importExtensionData } = await import(join(dist, "builtins/extensions.js"));
const hostBuiltins = createHostBuiltins({});

// ---- command line ---------------------------------------------------------

const opts = { json: undefined, only: undefined, run: undefined, list: Infinity, hostNatives: false, compileOnly: false, dirs: [] };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  const next = () => {
    const v = process.argv[++i];
    if (v === undefined) usage(`${a} needs a value`);
    return v;
  };
  if (a === "--json") opts.json = next();
  else if (a === "--only") opts.only = new RegExp(next(), "i");
  else if (a === "--run") opts.run = new RegExp(next());
  else if (a === "--list") opts.list = Number(next());
  else if (a === "--host-natives") opts.hostNatives = true;
  else if (a === "--compile-only") opts.compileOnly = true;
  else if (a === "-h" || a === "--help") usage();
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else opts.dirs.push(a);
}
if (opts.dirs.length === 0) usage("no library directory given");

function usage(problem) {
  const text = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").slice(1, 25).map((l) => l.replace(/^\/\/ ?/, ""));
  process.stderr.write((problem ? `compat: ${problem}\n\n` : "") + text.join("\n") + "\n");
  process.exit(problem ? 2 : 0);
}

const catalog = JSON.parse(readFileSync(join(root, "scripts/compat-libraries.json"), "utf8")).libraries;
const dirName = (repo) => repo.replace("/", "+").toLowerCase();

/** Library checkouts named by the arguments, each with its catalog entry. */
function findLibraries(dirs) {
  const found = [];
  for (const d of dirs) {
    const abs = resolve(d);
    const lib = catalog.find((l) => dirName(l.repo) === basename(abs).toLowerCase());
    if (lib) found.push({ lib, dir: abs });
    else {
      const inside = catalog.filter((l) => readdirSync(abs).some((n) => n.toLowerCase() === dirName(l.repo)));
      if (inside.length === 0) usage(`${d} is neither a listed library nor a folder holding one`);
      for (const l of inside) found.push({ lib: l, dir: join(abs, readdirSync(abs).find((n) => n.toLowerCase() === dirName(l.repo))) });
    }
  }
  return found.filter((f) => !opts.only || opts.only.test(f.lib.repo));
}

// ---- bash-style globbing (no globstar: ** is *) ---------------------------

function segmentRegex(seg) {
  let re = "^";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let cls = seg.slice(i + 1, end);
        if (cls[0] === "!") cls = "^" + cls.slice(1);
        re += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(re + "$");
}

/** Expands one word as bash would, relative to `cwd`; no match keeps it. */
function expand(word, cwd) {
  if (!/[*?[]/.test(word)) return [word];
  const segs = word.split("/");
  let paths = [word.startsWith("/") ? "/" : ""];
  for (const [k, seg] of segs.entries()) {
    if (seg === "" && k === 0) continue;
    const next = [];
    for (const p of paths) {
      if (!/[*?[]/.test(seg)) {
        const q = p === "" ? seg : join(p, seg);
        if (seg === "" || existsSync(join(cwd, q))) next.push(seg === "" ? p + "/" : q);
        continue;
      }
      const dir = join(cwd, p || ".");
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      const re = segmentRegex(seg);
      for (const name of readdirSync(dir).sort()) {
        if (name.startsWith(".") && !seg.startsWith(".")) continue;
        if (re.test(name)) next.push(p === "" ? name : join(p, name));
      }
    }
    paths = next;
  }
  return paths.length > 0 ? paths.sort() : [word];
}

// ---- one `opa test` invocation ---------------------------------------------

function problemText(err) {
  if (err instanceof RegoError) return err.errors.map((e) => `${e.location.file}:${e.location.row}: ${e.code}: ${e.message}`);
  return [err instanceof Error ? err.message : String(err)];
}

function firstLine(s) {
  const line = String(s).split("\n")[0];
  return line.length > 300 ? line.slice(0, 300) + "…" : line;
}

/** Compiles what can be compiled: modules named by compile errors are set
 *  aside (their tests are reported with the error) until the rest compiles. */
function compileAround(modules, report) {
  let current = modules;
  const dropped = new Map(); // file → first error line
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return { compiled: compileModules(current), dropped };
    } catch (err) {
      if (!(err instanceof RegoError)) throw err;
      for (const line of problemText(err)) report.compileErrors.push(line);
      if (process.env.COMPAT_FULL_ERRORS) console.error(err.message);
      const files = new Set(err.errors.map((e) => e.location.file));
      const keep = current.filter((m) => !files.has(m.file));
      for (const e of err.errors) if (!dropped.has(e.location.file)) dropped.set(e.location.file, `${e.code}: ${e.message}`);
      if (keep.length === current.length) return { compiled: undefined, dropped };
      current = keep;
    }
  }
  return { compiled: undefined, dropped };
}

/** Emits the module; with --host-natives, a builtin the runtime lacks is
 *  declared as a host builtin instead, when the host map has it. */
function emitWithFallback(policy, report) {
  for (;;) {
    try {
      return emitWasm(policy);
    } catch (err) {
      const m = /builtin (\S+) is not implemented in the Wasm runtime/.exec(String(err));
      const decl = m && opts.hostNatives && hostBuiltins[m[1]] ? policy.builtins.find((b) => b.name === m[1] && b.native) : undefined;
      if (!decl) throw err;
      decl.native = false;
      decl.id = Math.max(-1, ...policy.builtins.map((b) => b.id)) + 1;
      report.hostNatives.add(decl.name);
    }
  }
}

function plan(compiled, entrypoints) {
  return planPolicy(compiled, { entrypoints, queries: {}, strictBuiltinErrors: false });
}

async function runInvocation(lib, cwd, args, report) {
  const words = args.flatMap((w) => expand(w, cwd));
  const parsed = parseTestArgs(words);
  if (parsed.regoVersion !== lib.regoVersion) report.notes.add(`args give Rego v${parsed.regoVersion}, catalog says v${lib.regoVersion}`);
  const here = process.cwd();
  process.chdir(cwd); // module names are the paths as given, as in OPA
  let found;
  try {
    found = discoverTests(parsed.paths, { regoVersion: parsed.regoVersion, bundle: parsed.bundle, ignore: parsed.ignore, ...(lib.loader ?? {}) });
  } catch (err) {
    report.loadErrors.push(`${words.join(" ")}: ${problemText(err).join("; ")}`);
    return;
  } finally {
    process.chdir(here);
  }
  report.modules += found.sources.length;
  report.parsed += found.modules.length;
  for (const p of found.parseErrors) report.parseErrors.push(`${p.location.file}:${p.location.row}: ${p.message}`);
  const parseFailed = new Set(found.parseErrors.map((p) => p.location.file));

  const tests = found.tests.filter((t) => !opts.run || opts.run.test(t.name));
  report.tests += tests.length;
  const outcome = (test, status, reason) => report.results.push({ name: test.name, file: test.location.file, status, reason });
  const runnable = [];
  for (const t of tests) {
    if (t.skip) outcome(t, "skip");
    else runnable.push(t);
  }
  if (runnable.length === 0) return;

  // the library's own builtins (its CI runs a custom OPA build), as JS ports
  const extensions = (lib.builtins ?? []).map((f) => (f.startsWith("/") ? f : join(root, f)));
  const declared = await importBuiltinExtensions(extensions);
  declareBuiltins(declared);
  // data the library's test command puts in the store (an extension's `data`)
  found.data = { ...(await importExtensionData(extensions)), ...found.data };
  const t0 = performance.now();
  const { compiled, dropped } = compileAround(found.modules, report);
  report.timeMs.compile += performance.now() - t0;
  const planned = [];
  for (const t of runnable) {
    if (parseFailed.has(t.location.file)) outcome(t, "error", "parse error in its module");
    else if (!compiled) outcome(t, "error", `compile: ${firstLine(report.compileErrors.at(-1) ?? "failed")}`);
    else if (dropped.has(t.location.file)) outcome(t, "error", `compile: ${firstLine(dropped.get(t.location.file))}`);
    else planned.push(t);
  }
  if (planned.length === 0) return;
  if (opts.compileOnly) {
    report.compiled += planned.length;
    for (const t of planned) outcome(t, "planned");
    return;
  }

  // Plan all tests at once; when that fails, one by one to find which.
  const t1 = performance.now();
  let ok = planned;
  let policy;
  try {
    policy = plan(compiled, planned.map((t) => t.entrypoint));
  } catch (err) {
    ok = [];
    for (const t of planned) {
      try {
        plan(compiled, [t.entrypoint]);
        ok.push(t);
      } catch (e) {
        outcome(t, "error", `plan: ${firstLine(problemText(e)[0])}`);
      }
    }
    policy = ok.length > 0 ? plan(compiled, ok.map((t) => t.entrypoint)) : undefined;
  }
  report.timeMs.plan += performance.now() - t1;
  report.compiled += ok.length;
  if (!policy) return;
  // Builtins the module will import from the host: each needs an
  // implementation in the host map (or the runtime must provide it, as the
  // builtins README plans for walk), or a test calling it fails.
  for (const b of policy.builtins) if (!b.native && !hostBuiltins[b.name] && !declared.some((d) => d.name === b.name)) report.missingBuiltins.add(b.name);

  let wasm;
  try {
    wasm = emitWithFallback(policy, report);
  } catch (err) {
    if (/^Error: wasm emitter not implemented/.test(String(err))) {
      report.notes.add("Wasm back end not available: tests stop after planning");
      for (const t of ok) outcome(t, "planned");
    } else for (const t of ok) outcome(t, "error", `emit: ${firstLine(problemText(err)[0])}`);
    return;
  }
  const t2 = performance.now();
  const results = await runCompiledTests(wasm, ok, found.data, parsed.timeoutMs, { extensions });
  report.timeMs.run += performance.now() - t2;
  for (const r of results) outcome(r.test, r.status, r.status === "pass" ? undefined : r.message ?? (r.status === "fail" ? "FAIL" : undefined));
}

// ---- per library -------------------------------------------------------------

function headCommit(dir) {
  try {
    return execFileSync("git", ["-C", dir, "rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

async function runLibrary(lib, dir) {
  const report = {
    repo: lib.repo,
    commit: headCommit(dir),
    regoVersion: lib.regoVersion,
    invocation: (lib.runs ?? [lib.args]).map((a) => `opa test ${a.join(" ")}`).join("; ") + (lib.each ? ` (for each ${lib.each})` : "") + (lib.cwd !== "." ? ` in ${lib.cwd}/` : ""),
    modules: 0,
    parsed: 0,
    tests: 0,
    compiled: 0,
    loadErrors: [],
    parseErrors: [],
    compileErrors: [],
    notes: new Set(),
    missingBuiltins: new Set(),
    hostNatives: new Set(),
    timeMs: { compile: 0, plan: 0, run: 0 },
    results: [],
  };
  if (report.commit && report.commit !== lib.commit) report.notes.add(`checkout is at ${report.commit}, catalog pins ${lib.commit}`);
  const cwd = join(dir, lib.cwd);
  const runs = lib.each ? expand(lib.each, cwd).map((e) => lib.args.map((a) => a.replaceAll("${each}", e))) : (lib.runs ?? [lib.args]);
  for (const args of runs) await runInvocation(lib, cwd, args, report);
  return report;
}

const LABEL = { pass: "PASS", fail: "FAIL", error: "ERROR", skip: "SKIPPED", planned: "PLANNED" };

/** Tests whose outcome differs from OPA's: PASS, SKIPPED for todo_ tests,
 *  or what the catalog's `expected` says. */
function expectations(lib) {
  const all = { ...(lib.expected ?? {}) };
  for (const g of lib.expectedGroups ?? []) for (const name of g.tests) all[name] = { status: g.status, why: g.why };
  return all;
}

function unexpected(r, lib) {
  // --compile-only: every test that compiles counts as OPA's outcome; only
  // tests whose modules failed to load, parse or compile differ.
  if (opts.compileOnly) return r.results.filter((x) => x.status === "error");
  const expected = expectations(lib);
  return r.results.filter((x) => {
    const want = expected[x.name]?.status ?? (x.name.split(".").pop().startsWith("todo_test_") ? "skip" : "pass");
    return x.status !== want;
  });
}

function printReport(r, lib) {
  const count = (s) => r.results.filter((x) => x.status === s).length;
  const out = [];
  out.push(`== ${r.repo} @ ${r.commit?.slice(0, 12) ?? "?"} (Rego v${r.regoVersion})`);
  out.push(`   ${r.invocation}`);
  out.push(`   modules parsed ${r.parsed}/${r.modules}, tests found ${r.tests}, compiled ${r.compiled}`);
  out.push(`   ${Object.keys(LABEL).map((s) => `${LABEL[s]} ${count(s)}`).join(", ")}`);
  out.push(`   time: compile ${Math.round(r.timeMs.compile)} ms, plan ${Math.round(r.timeMs.plan)} ms, run ${Math.round(r.timeMs.run)} ms`);
  const off = unexpected(r, lib);
  r.unexpected = off.length;
  out.push(off.length === 0 && r.results.length === r.tests ? "   same outcomes as OPA" : `   outcomes differing from OPA: ${off.length}`);
  if (!opts.compileOnly) {
    for (const [name, e] of Object.entries(lib.expected ?? {})) out.push(`   expected ${LABEL[e.status]} under OPA: ${name} (${e.why})`);
    for (const g of lib.expectedGroups ?? []) out.push(`   expected ${LABEL[g.status]} under OPA: ${g.tests.length} tests (${g.why})`);
  }
  for (const n of r.notes) out.push(`   note: ${n}`);
  if (lib.gap) out.push(`   known gap: ${lib.gap}`);
  if (r.hostNatives.size > 0) out.push(`   runtime builtins called on the host (--host-natives): ${[...r.hostNatives].sort().join(", ")}`);
  if (r.missingBuiltins.size > 0) out.push(`   builtins neither in the host map nor native per wasm/natives.ts: ${[...r.missingBuiltins].sort().join(", ")}`);
  for (const e of r.loadErrors) out.push(`   load error: ${e}`);
  for (const e of r.parseErrors) out.push(`   parse error: ${e}`);
  for (const e of [...new Set(r.compileErrors)]) out.push(`   compile error: ${e}`);
  const bad = off.filter((x) => x.status !== "planned");
  for (const x of bad.slice(0, opts.list)) out.push(`   ${LABEL[x.status]} ${x.name}: ${x.reason ?? ""}`);
  if (bad.length > opts.list) out.push(`   … ${bad.length - opts.list} more`);
  process.stdout.write(out.join("\n") + "\n\n");
}

const reports = [];
for (const { lib, dir } of findLibraries(opts.dirs)) {
  const r = await runLibrary(lib, dir);
  printReport(r, lib);
  reports.push(r);
}
if (opts.json) writeFileSync(opts.json, JSON.stringify(reports.map((r) => ({ ...r, notes: [...r.notes], missingBuiltins: [...r.missingBuiltins], hostNatives: [...r.hostNatives] })), null, 2) + "\n");
const total = (s) => reports.reduce((n, r) => n + r.results.filter((x) => x.status === s).length, 0);
const differing = reports.reduce((n, r) => n + r.unexpected, 0);
const compileErrors = reports.reduce((n, r) => n + new Set(r.compileErrors).size + r.parseErrors.length + r.loadErrors.length, 0);
process.stdout.write(`total: ${Object.keys(LABEL).map((s) => `${LABEL[s]} ${total(s)}`).join(", ")}; differing from OPA: ${differing}\n`);
// As a guard, --compile-only fails when anything did not compile.
if (opts.compileOnly) {
  process.stdout.write(`compile-only: ${compileErrors} load/parse/compile errors\n`);
  if (compileErrors > 0 || differing > 0) process.exitCode = 1;
}
