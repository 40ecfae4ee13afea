// Checking a bundle against its `.signatures.json` as OPA's reader does: the
// one JWS must verify with the key, the scope must match, and every file must
// be listed with a matching hash — no file more, no file less. Unlike OPA,
// which stops at the first problem, every problem is collected so that a
// tampered bundle names each file that was changed, added or removed.
import { hashBundleFile, isHashAlgorithm } from "./hash.js";
import { verifyCompact } from "./jws.js";
import { decodeSignaturesFile, parsePayload, SIGNATURES_FILE } from "./signatures.js";
import type { FileProblem } from "./errors.js";
import { loadVerificationKey, type VerificationKey } from "../sign/keys.js";
import type { KeyObject } from "node:crypto";

export interface VerifyOptions {
  /** must equal the payload's `scope` claim (both default to "") */
  scope?: string;
}

export interface VerifyReport {
  ok: boolean;
  problems: FileProblem[];
  /** from the JWS header (or the payload's `keyid`) */
  keyId?: string;
  algorithm?: string;
  /** files the signature covers and that matched */
  verified: string[];
}

export function verifyBundle(files: Map<string, Uint8Array>, key: VerificationKey | string | Uint8Array | KeyObject, options: VerifyOptions = {}): VerifyReport {
  const vkey = typeof key === "object" && "kind" in key ? key : loadVerificationKey(key);
  const problems: FileProblem[] = [];
  const verified: string[] = [];
  const sigFile = files.get(SIGNATURES_FILE);
  if (!sigFile) {
    return { ok: false, problems: [{ file: SIGNATURES_FILE, problem: "signature", detail: "bundle is not signed" }], verified };
  }
  let header: Record<string, unknown>;
  let payload;
  try {
    const token = decodeSignaturesFile(sigFile);
    const checked = verifyCompact(token, vkey);
    header = checked.header;
    payload = parsePayload(checked.payload);
  } catch (err) {
    return { ok: false, problems: [{ file: SIGNATURES_FILE, problem: "signature", detail: (err as Error).message }], verified };
  }
  const keyId = typeof header.kid === "string" ? header.kid : typeof payload.keyid === "string" ? payload.keyid : undefined;
  const algorithm = header.alg as string;
  if ((payload.scope ?? "") !== (options.scope ?? "")) {
    problems.push({ file: SIGNATURES_FILE, problem: "signature", detail: `scope mismatch: signed for ${JSON.stringify(payload.scope ?? "")}, expected ${JSON.stringify(options.scope ?? "")}` });
  }
  const listed = new Map<string, { hash: string; algorithm: string }>();
  for (const f of payload.files) listed.set(f.name.replace(/^\/+/, ""), f);
  for (const name of [...files.keys()].sort()) {
    if (name === SIGNATURES_FILE) continue;
    const entry = listed.get(name);
    if (!entry) {
      problems.push({ file: name, problem: "added", detail: "not included in the bundle signature" });
      continue;
    }
    listed.delete(name);
    if (!isHashAlgorithm(entry.algorithm)) {
      problems.push({ file: name, problem: "signature", detail: `unsupported hashing algorithm ${entry.algorithm}` });
      continue;
    }
    let actual: string;
    try {
      actual = hashBundleFile(name, files.get(name)!, entry.algorithm);
    } catch (err) {
      problems.push({ file: name, problem: "malformed", detail: `does not parse: ${(err as Error).message}` });
      continue;
    }
    if (actual.toLowerCase() !== entry.hash.toLowerCase()) {
      problems.push({ file: name, problem: "changed", detail: `digest mismatch (signed ${entry.hash.slice(0, 16)}…, found ${actual.slice(0, 16)}…)` });
    } else {
      verified.push(name);
    }
  }
  for (const name of [...listed.keys()].sort()) {
    problems.push({ file: name, problem: "removed", detail: "listed in the bundle signature but not in the bundle" });
  }
  return { ok: problems.length === 0, problems, ...(keyId ? { keyId } : {}), algorithm, verified };
}
