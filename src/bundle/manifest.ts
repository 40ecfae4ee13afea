// `/.manifest`: parsing with checks (OPA's validateAndInjectDefaults, the parts
// that matter to writ), and the root-containment rules.
import type { BundleManifest } from "./types.js";
import { BundleError } from "./errors.js";

export const MANIFEST_FILE = ".manifest";

/** A manifest from the file's bytes; an absent file is OPA's default
 *  (`revision: ""`, `roots: [""]`). */
export function parseManifest(bytes: Uint8Array | undefined): BundleManifest {
  if (!bytes) return { revision: "", roots: [""] };
  let m: unknown;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new BundleError(`.manifest: not valid JSON (${(err as Error).message})`, [{ file: MANIFEST_FILE, problem: "malformed" }]);
  }
  const bad = (why: string): never => {
    throw new BundleError(`.manifest: ${why}`, [{ file: MANIFEST_FILE, problem: "malformed", detail: why }]);
  };
  if (!m || typeof m !== "object" || Array.isArray(m)) return bad("not a JSON object");
  const raw = m as Record<string, unknown>;
  const revision = raw.revision ?? "";
  if (typeof revision !== "string") bad("revision is not a string");
  const roots = raw.roots ?? [""];
  if (!Array.isArray(roots) || roots.some((r) => typeof r !== "string")) bad("roots is not a list of strings");
  const manifest: BundleManifest = { revision: revision as string, roots: (roots as string[]).map((r) => r.replace(/^\/+|\/+$/g, "")) };
  for (let i = 0; i < manifest.roots.length; i++) {
    for (let j = i + 1; j < manifest.roots.length; j++) {
      if (rootContains(manifest.roots[i]!, manifest.roots[j]!) || rootContains(manifest.roots[j]!, manifest.roots[i]!)) {
        bad(`manifest has overlapped roots: '${manifest.roots[i]}' and '${manifest.roots[j]}'`);
      }
    }
  }
  if (raw.wasm !== undefined) {
    if (!Array.isArray(raw.wasm)) bad("wasm is not a list");
    const seen = new Set<string>();
    manifest.wasm = (raw.wasm as unknown[]).map((w) => {
      const e = w as { entrypoint?: unknown; module?: unknown };
      if (!e || typeof e.entrypoint !== "string" || typeof e.module !== "string") return bad("wasm entries need entrypoint and module strings");
      if (seen.has(e.entrypoint)) bad(`wasm entrypoint ${e.entrypoint} appears more than once`);
      seen.add(e.entrypoint);
      if (!rootsContain(manifest.roots, e.entrypoint)) bad(`wasm entrypoint ${e.entrypoint} is outside the bundle roots`);
      return { ...(w as object), entrypoint: e.entrypoint, module: e.module };
    });
  }
  if (raw.rego_version !== undefined) {
    if (raw.rego_version !== 0 && raw.rego_version !== 1) bad("rego_version must be 0 or 1");
    manifest.rego_version = raw.rego_version as 0 | 1;
  }
  if (raw.metadata !== undefined) {
    if (!raw.metadata || typeof raw.metadata !== "object" || Array.isArray(raw.metadata)) bad("metadata is not an object");
    manifest.metadata = raw.metadata as Record<string, unknown>;
  }
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in manifest) && k !== "wasm") (manifest as unknown as Record<string, unknown>)[k] = v; // keep OPA fields writ does not use (file_rego_versions, …)
  }
  return manifest;
}

/** OPA's rootContains: "" contains everything; otherwise segment prefix. */
export function rootContains(root: string, path: string): boolean {
  if (root === "") return true;
  const r = root.split("/");
  const p = path.replace(/^\/+/, "").split("/");
  if (r.length > p.length) return false;
  return r.every((seg, i) => seg === p[i]);
}

export function rootsContain(roots: string[], path: string): boolean {
  return roots.some((r) => rootContains(r, path));
}
