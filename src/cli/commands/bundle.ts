// `writ bundle inspect` and `writ bundle verify`.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import type { Command } from "../command.js";
import { readBundle, unpackFiles, verifyBundle, describeProblem, BundleError, SIGNATURES_FILE, decodeSignaturesFile, decodeCompact } from "../../bundle/index.js";
import { loadVerificationKeyFile } from "../../sign/keys.js";

const help = `usage: writ bundle inspect FILE [--key PUB.pem] [--json]
       writ bundle verify FILE --key PUB.pem [--scope SCOPE]

inspect   prints the manifest (revision, roots, entrypoints, metadata), every
          file with its size and SHA-256, the signature's algorithm and key id,
          and the contracts and manifests in the data. With --key the
          signature is verified too; without, it is shown but not checked.
verify    checks the signature and every file's hash. Exit 0 when intact;
          exit 1 naming each file that was changed, added or removed.

options:
  -k, --key FILE     public key PEM (Ed25519, RSA, EC, certificate) or HMAC secret file
      --scope SCOPE  the scope the signature must carry (default: none)
      --json         inspect: machine-readable output
  -h, --help         this text`;

function loadBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new BundleError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function signatureInfo(files: Map<string, Uint8Array>): { algorithm?: string; keyId?: string; files?: number; error?: string } | undefined {
  const sig = files.get(SIGNATURES_FILE);
  if (!sig) return undefined;
  try {
    const jws = decodeCompact(decodeSignaturesFile(sig));
    const payload = JSON.parse(jws.payload) as { files?: unknown[]; keyid?: string };
    return {
      algorithm: String(jws.header.alg),
      ...(typeof jws.header.kid === "string" ? { keyId: jws.header.kid } : payload.keyid ? { keyId: payload.keyid } : {}),
      files: payload.files?.length ?? 0,
    };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function inspect(path: string, keyPath: string | undefined, scope: string | undefined, json: boolean): number {
  const bytes = loadBytes(path);
  const bundle = readBundle(bytes, { allowUnsigned: true });
  let verification: { ok: boolean; problems: string[] } | undefined;
  if (keyPath) {
    const report = verifyBundle(bundle.files, loadVerificationKeyFile(keyPath), scope !== undefined ? { scope } : {});
    verification = { ok: report.ok, problems: report.problems.map(describeProblem) };
  }
  const writ = (bundle.data.writ ?? {}) as { contracts?: Record<string, unknown>; manifests?: Record<string, unknown> };
  const summary = {
    file: path,
    digest: bundle.digest,
    size: bytes.length,
    manifest: bundle.manifest,
    files: [...bundle.files].map(([name, data]) => ({ name, size: data.length, sha256: createHash("sha256").update(data).digest("hex") })),
    signature: signatureInfo(bundle.files) ?? null,
    verification: verification ?? null,
    contracts: Object.keys(writ.contracts ?? {}).sort(),
    manifests: Object.keys(writ.manifests ?? {}).sort(),
  };
  if (json) {
    process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
    return verification && !verification.ok ? 1 : 0;
  }
  const m = bundle.manifest;
  const lines = [
    `bundle     ${path} (${bytes.length} bytes, sha256 ${bundle.digest})`,
    `revision   ${m.revision || "(none)"}`,
    `roots      ${m.roots.map((r) => JSON.stringify(r)).join(", ")}`,
    `rego       v${m.rego_version ?? 1}`,
    ...(m.wasm ?? []).map((w) => `entrypoint ${w.entrypoint} → ${w.module}`),
    ...Object.entries(m.metadata ?? {}).map(([k, v]) => `metadata   ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`),
    `contracts  ${summary.contracts.join(", ") || "(none)"}`,
    `manifests  ${summary.manifests.join(", ") || "(none)"}`,
    summary.signature
      ? summary.signature.error
        ? `signature  unreadable: ${summary.signature.error}`
        : `signature  ${summary.signature.algorithm}, key ${summary.signature.keyId ?? "(no id)"}, ${summary.signature.files} files listed${verification ? "" : " (not verified: give --key)"}`
      : "signature  none (unsigned)",
    ...(verification ? [verification.ok ? "verified   yes" : `verified   NO\n${verification.problems.map((p) => `  ${p}`).join("\n")}`] : []),
    "files",
    ...summary.files.map((f) => `  ${String(f.size).padStart(9)}  ${f.sha256.slice(0, 16)}  ${f.name}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  return verification && !verification.ok ? 1 : 0;
}

function verify(path: string, keyPath: string, scope: string | undefined): number {
  const key = loadVerificationKeyFile(keyPath);
  const files = unpackFiles(loadBytes(path));
  const report = verifyBundle(files, key, scope !== undefined ? { scope } : {});
  if (!report.ok) {
    process.stderr.write(`writ bundle verify: ${path}: FAILED\n${report.problems.map((p) => `  ${describeProblem(p)}`).join("\n")}\n`);
    return 1;
  }
  // the whole reader too: manifest, data and roots must also be sound
  readBundle(loadBytes(path), { publicKey: key, ...(scope !== undefined ? { scope } : {}) });
  process.stdout.write(`${path}: verified (${report.algorithm}, key ${report.keyId ?? "(no id)"}, ${report.verified.length} files)\n`);
  return 0;
}

const command: Command = {
  help,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { key: { type: "string", short: "k" }, scope: { type: "string" }, json: { type: "boolean", default: false } },
      });
    } catch (err) {
      process.stderr.write(`writ bundle: ${(err as Error).message}\n\n${help}\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    const [action, file, ...rest] = positionals;
    if ((action !== "inspect" && action !== "verify") || !file || rest.length > 0) {
      process.stderr.write(`writ bundle: expected "inspect FILE" or "verify FILE --key PUB.pem"\n\n${help}\n`);
      return 2;
    }
    try {
      if (action === "inspect") return inspect(file, values.key, values.scope, values.json);
      if (!values.key) {
        process.stderr.write("writ bundle verify: --key PUB.pem is required\n");
        return 2;
      }
      return verify(file, values.key, values.scope);
    } catch (err) {
      if (err instanceof BundleError || (err instanceof Error && /PEM|key|ENOENT/.test(err.message))) {
        process.stderr.write(`writ bundle ${action}: ${file}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
export default command;
