// `writ audit verify` and `writ audit export`.
import { parseArgs } from "node:util";
import { createWriteStream, existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "../command.js";
import { verifyAuditLog } from "../../audit/verify.js";
import { opaEvents } from "../../audit/export.js";
import { loadPublicKeyFile, type PublicKeySet } from "../../sign/public-keys.js";

const help = `usage: writ audit verify DIR --key PUB.pem [--key …] [--json]
       writ audit export DIR --format opa [--out FILE] [--array]

DIR is a service data dir (its audit/ is used) or an audit dir.

verify   recomputes every entry's hash, the chain and the signed checkpoints;
         names each modified, deleted, reordered, inserted or truncated entry
         by seq. --key takes PEM public keys or a JWKS file (repeatable, for
         rotated keys). Exit 0 when intact, 1 when not.
export   writes OPA decision-log events, one JSON object per line (or one
         JSON array with --array), to FILE or stdout.`;

function auditDirOf(dir: string): string {
  return existsSync(join(dir, "audit", "segments")) ? join(dir, "audit") : dir;
}

const command: Command = {
  help,
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        key: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
        format: { type: "string", default: "opa" },
        out: { type: "string" },
        array: { type: "boolean", default: false },
      },
    });
    const dir = positionals[0];
    if (!dir || (sub !== "verify" && sub !== "export")) {
      process.stderr.write(`${help}\n`);
      return 2;
    }
    const auditDir = auditDirOf(dir);
    if (!existsSync(join(auditDir, "segments"))) {
      process.stderr.write(`writ audit: no audit log in ${dir}\n`);
      return 2;
    }
    if (sub === "verify") {
      if (!values.key?.length) {
        process.stderr.write("writ audit verify: --key is required (the service's public key; a key stored beside the log proves nothing)\n");
        return 2;
      }
      const keys: PublicKeySet = new Map();
      for (const k of values.key) for (const [kid, key] of loadPublicKeyFile(k)) keys.set(kid, key);
      const report = verifyAuditLog(auditDir, keys);
      if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
      else {
        // consecutive seqs with the same finding print as one range
        const ps = report.problems;
        for (let i = 0; i < ps.length; ) {
          let j = i;
          while (j + 1 < ps.length && ps[j + 1].kind === ps[i].kind && ps[j + 1].detail === ps[i].detail && ps[j + 1].seq === ps[j].seq + 1) j++;
          process.stdout.write(`seq ${ps[i].seq}${j > i ? `..${ps[j].seq}` : ""}: ${ps[i].kind} — ${ps[i].detail}\n`);
          i = j + 1;
        }
        process.stdout.write(
          report.ok
            ? `ok: ${report.entries} entries, last seq ${report.lastSeq}, ${report.checkpoints} signed checkpoints verified\n`
            : `FAILED: ${report.problems.length} problem(s) in ${report.entries} entries\n`,
        );
      }
      return report.ok ? 0 : 1;
    }
    if (values.format !== "opa") {
      process.stderr.write(`writ audit export: unknown format "${values.format}" (known: opa)\n`);
      return 2;
    }
    const out = values.out ? createWriteStream(values.out) : process.stdout;
    let n = 0;
    if (values.array) out.write("[");
    for (const ev of opaEvents(auditDir)) {
      const text = JSON.stringify(ev);
      out.write(values.array ? (n ? "," : "") + text : text + "\n");
      n++;
    }
    if (values.array) out.write("]\n");
    if (values.out) await new Promise<void>((r) => (out as NodeJS.WritableStream).end(r));
    process.stderr.write(`writ audit export: ${n} decision event(s)\n`);
    return 0;
  },
};
export default command;
