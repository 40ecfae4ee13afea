// `npm run bench:stages`: what one decision costs, stage by stage, in this
// process, with the real parts writ serves with (credentials, ajv validator,
// the example bundle in the OPA Wasm SDK, the audit log on disk with its
// syncs, the Ed25519 signer). Three views:
//   1. each stage alone, timed over many runs (median µs per call), in the
//      order a decision goes through them;
//   2. whole decisions through answerDecide (everything but HTTP), one at a
//      time (latency) and 64 at a time (throughput), signing on this thread
//      and on the signing thread;
//   3. the same with a trivial policy (one constant decision): the service's
//      own cost apart from the policy's.
// Numbers on a shared machine move with its load: the load average is
// printed with them, and the views are repeated (BENCH_ROUNDS, default 3;
// the median round is shown).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { buildExampleBundle } from "../src/contract/example.js";
import { loadBundleEngine } from "../src/engine/bundle-file.js";
import { writeTrivialBundle } from "./trivial-bundle.js";
import { threadCpu } from "./proc-cpu.js";
import { exampleRequest } from "./example-request.js";
import { Service } from "../src/server/service.js";
import { answerDecide } from "../src/server/decide-route.js";
import { decideRequestValidator } from "../src/server/validate.js";
import { canonicalJson, sha256Hex } from "../src/decide/canonical.js";
import { policyInput } from "../src/decide/input.js";
import { verdictFromResultSet } from "../src/decide/verdict.js";
import { encodeEntry } from "../src/audit/entry.js";
import type { PolicyEngine } from "../src/engine/engine.js";
import type { DecideRequest, DecideResponse } from "../src/decide/types.js";
import type { DecisionClaims } from "../src/sign/decision.js";
import { claimsJson } from "../src/sign/claims-json.js";
import { responseJson } from "../src/decide/response-json.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const load = () => loadavg()[0].toFixed(2);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** median over rounds of the mean µs per call of `f`, run `n` times a round */
function perCall(f: (i: number) => unknown, n: number): number {
  for (let i = 0; i < Math.min(n, 500); i++) f(i); // warm-up
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f(i);
    rounds.push(((performance.now() - t0) * 1000) / n);
  }
  return median(rounds);
}

async function perCallAsync(f: (i: number) => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < Math.min(n, 100); i++) await f(i);
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await f(i);
    rounds.push(((performance.now() - t0) * 1000) / n);
  }
  return median(rounds);
}

async function withService<T>(loadEngine: () => Promise<PolicyEngine>, signingThread: boolean, f: (svc: Service, authorization: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), "writ-stages-"));
  const svc = await Service.start({ dataDir, loadEngine, noListen: true, signingThread });
  try {
    return await f(svc, "Bearer " + svc.credentials.issue("coder"));
  } finally {
    await svc.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const out = (label: string, us: number, note = "") => process.stdout.write(`  ${label.padEnd(44)} ${us.toFixed(1).padStart(8)} µs${note ? "   " + note : ""}\n`);

async function stages(svc: Service, authorization: string): Promise<void> {
  process.stdout.write(`1. stages alone (example bundle; load ${load()})\n`);
  const text = exampleRequest("stages-0");
  const body = JSON.parse(text) as DecideRequest;
  const validate = decideRequestValidator();
  const { request_id: _r, approval_id: _a, agent_id: _g, ...action } = body;
  const canon = canonicalJson(action);
  const principal = svc.credentials.authenticate(authorization) as { id: string; role: "agent" };
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const session = svc.state.sessions.get(principal.id, body.session_id, now);
  const input = policyInput(canon, principal, session, now, nowMs);
  const engine = svc.engine.current;
  const resultSet = engine.evaluate(input);
  const verdict = verdictFromResultSet(resultSet);
  const record = { decision_id: crypto.randomUUID(), agent: principal.id, session: body.session_id, action_digest: sha256Hex(canon), ...verdict, bundle: { revision: engine.revision, digest: engine.digest } };
  const claims: DecisionClaims = { iss: "writ", jti: record.decision_id, iat: 1, exp: 301, sub: principal.id, sid: body.session_id, action_digest: record.action_digest, decision: verdict.decision, reasons: verdict.reasons, rule_ids: verdict.rule_ids, bundle: record.bundle, audit: { seq: 1, hash: "0".repeat(64) } };
  const claimsText = claimsJson(claims);
  const jws = svc.signer.signJson(claimsText);
  const answer: DecideResponse = { decision: verdict.decision, reasons: verdict.reasons, rule_ids: verdict.rule_ids, decision_id: record.decision_id, bundle: record.bundle, audit: claims.audit, jws };
  const rows: [string, number][] = [
    ["auth (token hash + lookup)", perCall(() => svc.credentials.authenticate(authorization), 20000)],
    ["body JSON.parse", perCall(() => JSON.parse(text), 20000)],
    ["schema validation (ajv)", perCall(() => validate(body), 20000)],
    ["canonical JSON of the action", perCall(() => canonicalJson(action), 20000)],
    ["action digest (SHA-256)", perCall(() => sha256Hex(canon), 20000)],
    ["session read", perCall((i) => svc.state.sessions.get(principal.id, body.session_id + (i & 1023), now), 20000)],
    ["policy input assembly", perCall(() => policyInput(canon, principal, session, now, nowMs), 20000)],
    ["policy evaluation (SDK)", perCall(() => engine.evaluate(input), 2000)],
    ["verdict from the result set", perCall(() => verdictFromResultSet(resultSet), 20000)],
    ["audit entry (record JSON + chain hash)", perCall(() => encodeEntry(1, now, "0".repeat(64), "decision", JSON.stringify(record).slice(0, -1) + ',"input":' + canon + "}"), 20000)],
    ["claims JSON", perCall(() => claimsJson(claims), 20000)],
    ["Ed25519 JWS on this thread", perCall(() => svc.signer.signJson(claimsText), 2000)],
    ["response JSON", perCall(() => responseJson(answer), 20000)],
  ];
  let sum = 0;
  for (const [label, us] of rows) {
    out(label, us);
    sum += us;
  }
  // one entry made durable at a time: what a lone caller waits for
  const durable = await perCallAsync(() => svc.audit.append("bench", '{"bench":true}').durable, 300);
  out("audit append, durable (write + sync), alone", durable);
  out("sum of the stages", sum + durable);
}

async function whole(svc: Service, authorization: string, label: string): Promise<void> {
  let n = 0;
  const one = () => answerDecide(svc, authorization, () => Promise.resolve(exampleRequest(`whole-${n++ & 2047}`)));
  const first = await one();
  if (first.status !== 200 || !first.body.includes('"decision":"allow"')) throw new Error(`unexpected answer: ${first.status} ${first.body.slice(0, 200)}`);
  const cpu0 = threadCpu(process.pid);
  const c1 = await perCallAsync(one, 1000);
  const cpu1 = threadCpu(process.pid);
  const n1 = 1100 + 1000 * ROUNDS;
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const perWorker = 200;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 64 }, async () => {
      for (let i = 0; i < perWorker; i++) await one();
    }));
    rates.push((64 * perWorker) / ((performance.now() - t0) / 1000));
  }
  const cpu2 = threadCpu(process.pid);
  const n64 = 64 * 200 * ROUNDS;
  const cpu = (a?: { main: number; others: number }, b?: { main: number; others: number }, n = 1) => (a && b ? `cpu/decision: main ${((b.main - a.main) / n).toFixed(0)} µs, other threads ${((b.others - a.others) / n).toFixed(0)} µs` : "");
  out(`${label}: c1 mean latency`, c1, `${cpu(cpu0, cpu1, n1)}   load ${load()}`);
  process.stdout.write(`  ${(label + ": c64 decisions/s").padEnd(44)} ${median(rates).toFixed(0).padStart(8)}      ${cpu(cpu1, cpu2, n64)}   load ${load()}\n`);
}

const engineFrom = (b: { bundlePath: string; publicKeyPath: string }) => () => loadBundleEngine(b.bundlePath, { publicKey: readFileSync(b.publicKeyPath, "utf8") });
const example = engineFrom(await buildExampleBundle());
const trivialDir = mkdtempSync(join(tmpdir(), "writ-trivial-"));
const trivialEngine = engineFrom(await writeTrivialBundle(trivialDir));
process.stdout.write(`load average at start ${load()}; ${ROUNDS} rounds, median shown\n`);
await withService(example, false, stages);
process.stdout.write(`2. whole decisions in process (answerDecide: no HTTP), example bundle\n`);
await withService(example, false, (svc, a) => whole(svc, a, "sign on this thread"));
await withService(example, true, (svc, a) => whole(svc, a, "sign on the signing thread"));
process.stdout.write(`3. the same, trivial policy\n`);
await withService(trivialEngine, false, (svc, a) => whole(svc, a, "sign on this thread"));
await withService(trivialEngine, true, (svc, a) => whole(svc, a, "sign on the signing thread"));
rmSync(trivialDir, { recursive: true, force: true });
process.exit(0);
