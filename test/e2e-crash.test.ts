// Durable, then answer: a service killed with SIGKILL in the middle of a load
// run has every decision it answered in its audit log, and the log verifies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { tempDir, action } from "./support/service.js";
import { root } from "./support/policy.js";
import { AuditLog } from "../src/audit/log.js";
import { Keyring } from "../src/sign/keyring.js";
import { verifyAuditLog } from "../src/audit/verify.js";
import { readAllLines } from "../src/audit/segments.js";
import { keysFromJwks } from "../src/sign/public-keys.js";

test("SIGKILL during load loses no answered decision; the log verifies after restart", async () => {
  const dir = tempDir("writ-crash-");
  const child = spawn(process.execPath, [join(root, "dist/test/support/serve-child.js"), dir], { stdio: ["ignore", "pipe", "inherit"] });
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  const { url, token } = JSON.parse(String(first.value)) as { url: string; token: string };
  const jwks = (await (await fetch(url + "/.well-known/jwks.json")).json()) as { keys: unknown[] };

  const answered: { id: string; seq: number }[] = [];
  let killed = false;
  const worker = async (w: number) => {
    for (let i = 0; !killed && i < 2000; i++) {
      try {
        const res = await fetch(url + "/v1/decide", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(action({ session_id: `w${w}` })),
        });
        if (res.status === 200) {
          const j = (await res.json()) as { decision_id: string; audit: { seq: number } };
          answered.push({ id: j.decision_id, seq: j.audit.seq });
        }
        if (answered.length >= 400 && !killed) {
          killed = true;
          child.kill("SIGKILL");
        }
      } catch {
        // the connection died with the server: that request was not answered
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
  await new Promise((r) => (child.exitCode !== null || child.signalCode ? r(null) : child.once("exit", r)));
  assert.equal(child.signalCode, "SIGKILL");
  assert.ok(answered.length >= 400);

  // restart over the same data dir (recovers a torn tail if there is one)
  const log = AuditLog.open({ dir: join(dir, "audit"), keyring: Keyring.open(join(dir, "keys")) });
  await log.close();
  const inLog = new Map<string, number>();
  for (const line of readAllLines(join(dir, "audit"))) {
    const e = JSON.parse(line);
    if (e.type === "decision") inLog.set(e.data.decision_id, e.seq);
  }
  for (const a of answered) assert.equal(inLog.get(a.id), a.seq, `answered decision ${a.id} (seq ${a.seq}) is in the log`);
  const report = verifyAuditLog(join(dir, "audit"), keysFromJwks(jwks));
  assert.deepEqual(report.problems, []);
  rmSync(dir, { recursive: true });
});
