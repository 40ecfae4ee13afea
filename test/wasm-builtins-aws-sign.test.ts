// providers.aws.sign_req: native for the request (kept as given, sets and
// all, with only its headers replaced), the host's for the signing; through
// writ's compiler and the SDK with writ's host builtins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostBuiltins } from "../src/rego/builtins/host.js";
import { compileOut, evalOut } from "./support/out-policy.js";


const CONFIG = '{"aws_access_key": "MYAWSACCESSKEYGOESHERE", "aws_secret_access_key": "MYAWSSECRETACCESSKEYGOESHERE", "aws_service": "s3", "aws_region": "us-east-1"}';
const T = "1451311705000000000";
const AUTH = "AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=";

test("a set in the body stays a set; the signature is over its JSON (OPA conformance)", async () => {
  const expected = `{
    "body": {"example": {1, 2, 3, 4}},
    "headers": {
      "Authorization": "${AUTH}5fb06ab1cfd74c8fcb3af95b8cce696708cf6155d971dac10f254d79799c6e88",
      "host": "example.com",
      "x-amz-content-sha256": "bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07",
      "x-amz-date": "20151228T140825Z",
    },
    "method": "get",
    "url": "http://example.com",
  }`;
  const req = '{"method": "get", "url": "http://example.com", "body": {"example": {1, 2, 3, 4}}}';
  assert.equal(await evalOut(`out := providers.aws.sign_req(${req}, ${CONFIG}, ${T}) == ${expected}`), true);
  const r = `r := providers.aws.sign_req(${req}, ${CONFIG}, ${T})\n`;
  assert.deepEqual(await evalOut(`${r}out := [is_set(r.body.example), r.body.example == {1, 2, 3, 4}, object.keys(r) == {"body", "headers", "method", "url"}]`), [true, true, true]);
  // a set built at run time from input, and one nested in an array
  assert.deepEqual(
    await evalOut(`s := {x | some x in input.xs}\nr := providers.aws.sign_req({"method": "get", "url": "http://example.com", "body": [s, {"k": s}]}, ${CONFIG}, ${T})\nout := [r.body == [{1, 2, 3, 4}, {"k": {1, 2, 3, 4}}], r.headers["x-amz-content-sha256"]]`, { xs: [4, 3, 2, 1, 2] }),
    [true, await hostSha('[[1,2,3,4],{"k":[1,2,3,4]}]')],
  );
});

/** x-amz-content-sha256 the host computes for a JSON body. */
async function hostSha(json: string): Promise<string> {
  const r = hostBuiltins["providers.aws.sign_req"]!({ method: "get", url: "http://example.com", body: JSON.parse(json) }, JSON.parse(CONFIG), Number(T)) as { headers: Record<string, string> };
  return r.headers["x-amz-content-sha256"]!;
}

test("without sets the answer is the host's", async () => {
  const req = { method: "post", url: "https://example.com/a/b?x=1", headers: { "Content-Type": "application/json", foo: "bar" }, body: { a: [1, "two", null, { b: true }] }, timeout: "3s" };
  for (const config of [JSON.parse(CONFIG), { ...JSON.parse(CONFIG), aws_service: "execute-api", disable_payload_signing: true, aws_session_token: "tok" }]) {
    const want = hostBuiltins["providers.aws.sign_req"]!(req, config, Number(T));
    assert.deepEqual(await evalOut(`out := providers.aws.sign_req(input.req, input.config, ${T})`, { req, config }), want);
  }
  // headers are replaced when present, added when not; other fields kept as given
  assert.deepEqual(
    await evalOut(`r := providers.aws.sign_req({"method": "get", "url": "http://example.com", "headers": {"foo": "bar", "authorization": "x", "n": 1}, "timeout": "1s"}, ${CONFIG}, ${T})\nout := [object.keys(r), object.keys(r.headers), r.headers.foo, r.headers.n, r.timeout]`),
    [["headers", "method", "timeout", "url"], ["Authorization", "authorization", "foo", "host", "n", "x-amz-content-sha256", "x-amz-date"], "bar", "", "1s"],
  );
});

test("raw_body is signed instead of body, and both are kept", async () => {
  const expected = `{
    "body": {"example": {1, 2, 3, 4}},
    "headers": {
      "Authorization": "${AUTH}5bf26e169cb8b02330dba39d53932532438fc856c2f10537689a09ed807c7195",
      "host": "example.com",
      "x-amz-content-sha256": "22906461e2a98a3e780d0fd260e341bed5e544661e97c5936fc7f3af11aaad8b",
      "x-amz-date": "20151228T140825Z",
    },
    "method": "get",
    "raw_body": "{\\"example\\": {1, 2, 3, 4}}",
    "url": "http://example.com",
  }`;
  const req = '{"method": "get", "url": "http://example.com", "body": {"example": {1, 2, 3, 4}}, "raw_body": "{\\"example\\": {1, 2, 3, 4}}"}';
  assert.equal(await evalOut(`out := providers.aws.sign_req(${req}, ${CONFIG}, ${T}) == ${expected}`), true);
  // a raw_body that is no string signs as the empty body (OPA's stringFromTerm), and stays as given
  const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  assert.deepEqual(
    await evalOut(`r := providers.aws.sign_req({"method": "get", "url": "http://example.com", "body": {"a": 1}, "raw_body": input.raw}, ${CONFIG}, ${T})\nout := [r.headers["x-amz-content-sha256"], r.raw_body]`, { raw: 7 }),
    [empty, 7],
  );
});

test("operand errors are the host's, as before", async () => {
  const cases: [string, unknown, RegExp][] = [
    [`providers.aws.sign_req(input.x, ${CONFIG}, ${T})`, { x: "nope" }, /providers\.aws\.sign_req: operand 1 must be object but got string/],
    [`providers.aws.sign_req({"url": "http://example.com"}, ${CONFIG}, ${T})`, {}, /operand 1 missing required request parameters\(s\): \{"method"\}/],
    [`providers.aws.sign_req({"method": "get", "url": "http://example.com", "bogus": 1}, ${CONFIG}, ${T})`, {}, /operand 1 invalid request parameters\(s\): \{"bogus"\}/],
    [`providers.aws.sign_req({"method": "get", "url": "http://example.com"}, input.c, ${T})`, { c: { aws_service: "s3" } }, /operand 2 missing required AWS config parameters\(s\): \{"aws_access_key", "aws_region", "aws_secret_access_key"\}/],
    [`providers.aws.sign_req({"method": "get", "url": "http://example.com"}, ${CONFIG}, input.t)`, { t: 1.5 }, /eval_type_error: providers\.aws\.sign_req: operand 3 could not convert time_ns value into a unix timestamp/],
  ];
  for (const [call, input, re] of cases) {
    const p = await compileOut(`out := ${call}`, true);
    assert.throws(() => p.evaluate(input, "p/out"), (e: unknown) => re.test(String((e as Error).message ?? e)), call);
    // without strict errors the call is undefined
    assert.equal(await evalOut(`out := ${call}`, input), undefined, call);
  }
});
