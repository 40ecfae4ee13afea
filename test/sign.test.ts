import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Keyring } from "../src/sign/keyring.js";
import { DecisionSigner, verifyDecisionJws, type DecisionClaims } from "../src/sign/decision.js";
import { claimsJson } from "../src/sign/claims-json.js";
import { tempDir } from "./support/service.js";

const claims = (over: Partial<DecisionClaims> = {}): DecisionClaims => {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: "writ", jti: "d-1", iat, exp: iat + 300, sub: "agent-1", sid: "s1", action_digest: "ab".repeat(32),
    decision: "allow", reasons: ["ok"], rule_ids: ["r"], bundle: { revision: "r1", digest: "cd".repeat(32) }, audit: { seq: 7, hash: "ef".repeat(32) }, ...over,
  };
};

test("a decision JWS verifies against the JWKS and carries every bound claim", async () => {
  const ring = Keyring.ephemeral();
  const jws = new DecisionSigner(ring).sign(claims());
  const r = await verifyDecisionJws(jws, ring.jwks());
  assert.equal(r.kid, ring.current.kid);
  assert.equal(r.expired, false);
  assert.deepEqual(r.claims, claims({ iat: r.claims.iat, exp: r.claims.exp }));
});

test("a JWS with any byte of its payload changed does not verify", async () => {
  const ring = Keyring.ephemeral();
  const jws = new DecisionSigner(ring).sign(claims());
  const [h, p, s] = jws.split(".");
  const forged = Buffer.from(Buffer.from(p, "base64url").toString().replace('"allow"', '"deny"')).toString("base64url");
  await assert.rejects(verifyDecisionJws(`${h}.${forged}.${s}`, ring.jwks()));
});

test("a JWS from another key does not verify", async () => {
  const jws = new DecisionSigner(Keyring.ephemeral()).sign(claims());
  await assert.rejects(verifyDecisionJws(jws, Keyring.ephemeral().jwks()));
});

test("an expired decision still verifies, marked expired", async () => {
  const ring = Keyring.ephemeral();
  const jws = new DecisionSigner(ring).sign(claims({ iat: 1000, exp: 1300 }));
  const r = await verifyDecisionJws(jws, ring.jwks());
  assert.equal(r.expired, true);
});

test("rotation: new decisions use the new kid, old ones still verify, keys persist", async () => {
  const dir = tempDir("writ-keys-");
  const ring = Keyring.open(join(dir, "keys"));
  const signer = new DecisionSigner(ring);
  const old = signer.sign(claims());
  const oldKid = ring.current.kid;
  ring.rotate();
  const fresh = signer.sign(claims());
  assert.notEqual(ring.current.kid, oldKid);
  const reopened = Keyring.open(join(dir, "keys"));
  assert.equal(reopened.current.kid, ring.current.kid);
  assert.equal(reopened.jwks().keys.length, 2);
  assert.equal((await verifyDecisionJws(old, reopened.jwks())).kid, oldKid);
  assert.equal((await verifyDecisionJws(fresh, reopened.jwks())).kid, ring.current.kid);
  rmSync(dir, { recursive: true });
});

test("the signing thread signs batches of concurrent decisions; after it stops, signing falls back to this thread", async () => {
  const ring = Keyring.ephemeral();
  const signer = new DecisionSigner(ring);
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => signer.signAsync(claims({ jti: `d-${i}` }))));
  for (let i = 0; i < many.length; i++) assert.equal((await verifyDecisionJws(many[i], ring.jwks())).claims.jti, `d-${i}`);
  // Ed25519 is deterministic: the thread's signature equals this thread's
  assert.equal(many[3], signer.sign(claims({ jti: "d-3", iat: (await verifyDecisionJws(many[3], ring.jwks())).claims.iat, exp: (await verifyDecisionJws(many[3], ring.jwks())).claims.exp })));
  await signer.close();
  const after = await signer.signAsync(claims({ jti: "late" }));
  assert.equal((await verifyDecisionJws(after, ring.jwks())).claims.jti, "late");
});

test("more signatures asked for than the ring holds: every ticket still yields a valid JWS", async () => {
  const ring = Keyring.ephemeral();
  const signer = new DecisionSigner(ring);
  const tickets = Array.from({ length: 2500 }, (_, i) => signer.request(claims({ jti: `d-${i}` })));
  signer.flushBatch();
  // collected out of order, some long after their slot was reused
  const order = tickets.map((_, i) => i).reverse();
  const jwks = ring.jwks();
  for (const i of order) {
    const jws = signer.collect(tickets[i]);
    if (i % 97 === 0) assert.equal((await verifyDecisionJws(jws, jwks)).claims.jti, `d-${i}`);
    else assert.equal(jws, signer.sign(claims({ jti: `d-${i}`, iat: JSON.parse(Buffer.from(jws.split(".")[1], "base64url").toString()).iat, exp: JSON.parse(Buffer.from(jws.split(".")[1], "base64url").toString()).exp })));
  }
  await signer.close();
});

test("a job the signing thread has not started is signed where it is collected; one it has finished is taken from it", async () => {
  const ring = Keyring.ephemeral();
  const signer = new DecisionSigner(ring);
  const jwks = ring.jwks();
  // never handed to the thread: collect signs it here at once
  const first = signer.request(claims({ jti: "unpublished" }));
  assert.equal((await verifyDecisionJws(signer.collect(first), jwks)).claims.jti, "unpublished");
  assert.deepEqual(signer.signed, { thread: 0, here: 1 });
  // handed over and given time (the thread starts on the first request):
  // sooner or later collect finds the thread's signature
  for (let i = 0; i < 500 && signer.signed.thread === 0; i++) {
    const ticket = signer.request(claims({ jti: `published-${i}` }));
    signer.flushBatch();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal((await verifyDecisionJws(signer.collect(ticket), jwks)).claims.jti, `published-${i}`);
  }
  assert.equal(signer.signed.thread, 1);
  await signer.close();
});

test("a discarded ticket is forgotten: nothing is kept for it, and it cannot be collected", async () => {
  const ring = Keyring.ephemeral();
  const signer = new DecisionSigner(ring);
  const ticket = signer.request(claims({ jti: "never answered" }));
  signer.flushBatch();
  signer.discard(ticket);
  assert.equal(signer.settled(ticket), undefined);
  assert.throws(() => signer.collect(ticket), /unknown signing ticket/);
  await signer.close();
});

test("settled waits, without blocking the loop, for the thread to sign a job it was handed; collect then takes the thread's signature", async () => {
  const ring = Keyring.ephemeral();
  const signer = new DecisionSigner(ring);
  const ticket = signer.request(claims({ jti: "awaited" }));
  // not handed to the thread yet: nothing to wait for
  assert.equal(signer.settled(ticket), undefined);
  signer.flushBatch();
  // each wait ends when the thread signs or after a short while (the thread
  // may still be starting): wait until there is nothing left to wait for
  let waits = 0;
  for (let w = signer.settled(ticket); w && waits < 2000; w = signer.settled(ticket), waits++) await w;
  assert.equal((await verifyDecisionJws(signer.collect(ticket), ring.jwks())).claims.jti, "awaited");
  assert.deepEqual(signer.signed, { thread: 1, here: 0 });
  // a collected ticket has nothing to wait for
  assert.equal(signer.settled(ticket), undefined);
  await signer.close();
});

test("claims JSON is exactly JSON.stringify of the claims, whatever their strings", () => {
  const odd = ['quote " and \\ backslash', "é 中文 🎉", "\u0000\u001f", "\ud800", "x".repeat(100)];
  const variants: DecisionClaims[] = [claims(), claims({ approval_id: "apv_1" }), claims({ reasons: [], rule_ids: [] })];
  for (const s of odd) variants.push(claims({ sub: s, sid: s, reasons: [s, "ok"], rule_ids: [s], bundle: { revision: s, digest: s }, approval_id: s }));
  for (const c of variants) assert.equal(claimsJson(c), JSON.stringify(c));
});

test("Ed25519: the hot-path signer (libsodium when installed) gives node:crypto's bytes, which verify", async () => {
  const { generateKeyPairSync, sign, verify } = await import("node:crypto");
  const { ed25519Signer, ed25519Backend } = await import("../src/sign/ed25519.js");
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signWith = ed25519Signer(privateKey);
  for (const text of ["", "a", "x".repeat(700), "ünïcödé ✓", "eyJhbGciOiJFZERTQSJ9.eyJqdGkiOiJkLTEifQ"]) {
    const message = Buffer.from(text);
    const sig = signWith(message);
    assert.deepEqual(sig, sign(null, message, privateKey), `same signature for ${JSON.stringify(text.slice(0, 20))}`);
    assert.ok(verify(null, message, publicKey, sig));
  }
  // a view into shared memory (how the signing thread passes its jobs)
  const shared = new Uint8Array(new SharedArrayBuffer(64));
  shared.set(Buffer.from("shared bytes"), 4);
  assert.deepEqual(signWith(shared.subarray(4, 16)), sign(null, Buffer.from("shared bytes"), privateKey));
  assert.match(ed25519Backend(), /^(libsodium|node:crypto)$/);
});
