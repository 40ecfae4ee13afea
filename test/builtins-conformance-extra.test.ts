// Conformance cases whose shape the generic replay does not read: the JSON
// Patch test suite (jsonpatch/json_patch_tests) and x509 parsing cases that
// post-process the parsed certificates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinImplementations, createBuiltinContext } from "../src/rego/builtins/host.js";
import { compareValues, type Value } from "../src/rego/builtins/values.js";
import { conformanceDir, TermReader, type Json } from "./builtins-conformance-cases.js";

const dir = conformanceDir();
const b = builtinImplementations(createBuiltinContext());

interface Case {
  note: string;
  modules?: string[];
  want_result?: { x?: Json }[];
  want_error?: string;
}

function casesOf(folder: string): Case[] {
  return readdirSync(join(dir!, folder)).flatMap((f) => (JSON.parse(readFileSync(join(dir!, folder, f), "utf8")) as { cases: Case[] }).cases);
}

/** The value of a top-level `name := <term>` in a module. */
function constant(module: string, name: string): Json | undefined {
  const m = new RegExp(`^${name} :?= `, "m").exec(module);
  if (!m) return undefined;
  const r = new TermReader(module, { input: undefined, data: undefined, consts: {} });
  r.i = m.index + m[0].length;
  return r.term();
}

test("json.patch passes the JSON Patch test suite as OPA runs it", { skip: dir ? false : "shared/opa-conformance not found" }, () => {
  const c = casesOf("jsonpatch").find((x) => x.note === "jsonpatch/json_patch_tests")!;
  let ran = 0;
  const failed: string[] = [];
  for (const module of c.modules!.slice(1)) {
    const list = constant(module, "cases") as Record<string, Json>[] | undefined;
    if (!list) continue;
    list.forEach((t, i) => {
      if (t["opa_disabled"] === true) return;
      ran++;
      const got = b["json.patch"]!(t["doc"] as Value, t["patch"] as Value);
      const label = `${i} ${String(t["comment"] ?? "")}`;
      if ("expected" in t) {
        if (got === undefined || compareValues(got, t["expected"] as Value) !== 0) failed.push(`${label}: got ${JSON.stringify(got)}`);
      } else if ("error" in t) {
        if (got !== undefined) failed.push(`${label}: want no result, got ${JSON.stringify(got)}`);
      } else if (got === undefined) failed.push(`${label}: want a result`);
    });
  }
  assert.ok(ran > 50, `only ${ran} patch cases`);
  assert.deepEqual(failed, []);
});

test("crypto.x509.parse_certificates reads PEM and base64 DER (conformance)", { skip: dir ? false : "shared/opa-conformance not found" }, () => {
  let checked = 0;
  for (const c of casesOf("cryptox509parsecertificates")) {
    const module = c.modules![0]!;
    const certs = constant(module, "certs") as string;
    const call = () => b["crypto.x509.parse_certificates"]!(certs) as { Subject: { CommonName: string }; URIStrings: Json }[];
    if (c.want_error) {
      assert.throws(call, (e: Error) => e.message.includes(c.want_error!.replace(/^.*?: /, "")) || e.message.includes(c.want_error!), c.note);
    } else if (module.includes(".URIStrings")) {
      assert.deepEqual(call()[0]!.URIStrings, c.want_result![0]!.x, c.note);
    } else {
      assert.deepEqual(call().map((x) => x.Subject.CommonName), c.want_result![0]!.x, c.note);
    }
    checked++;
  }
  assert.equal(checked, 10);
});

test("crypto.x509.parse_certificate_request reads the subject (conformance)", { skip: dir ? false : "shared/opa-conformance not found" }, () => {
  let checked = 0;
  for (const c of casesOf("cryptox509parsecertificaterequest")) {
    const csr = constant(c.modules![0]!, "csr") as string;
    const call = () => b["crypto.x509.parse_certificate_request"]!(csr) as { Subject: { CommonName: string } };
    if (c.want_error) assert.throws(call, (e: Error) => e.message.includes(c.want_error!), c.note);
    else assert.equal(call().Subject.CommonName, c.want_result![0]!.x, c.note);
    checked++;
  }
  assert.ok(checked >= 4);
});
