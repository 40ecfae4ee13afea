// The data document of a bundle: every data.json / data.yaml merged at the
// path of its directory (OPA's reader; data.yml is not data).
import { parse as parseYaml } from "yaml";
import { BundleError } from "./errors.js";

export function isDataFile(name: string): boolean {
  const base = name.slice(name.lastIndexOf("/") + 1);
  return base === "data.json" || base === "data.yaml";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** OPA's merge.InterfaceMaps: objects merge key by key; anything else at the
 *  same path is a conflict. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>, at: string, file: string): void {
  for (const [k, v] of Object.entries(source)) {
    const here = target[k];
    if (here === undefined) {
      target[k] = v;
    } else if (isObject(here) && isObject(v)) {
      mergeInto(here, v, `${at}/${k}`, file);
    } else {
      throw new BundleError(`${file}: data at ${at}/${k} conflicts with another data file`, [{ file, problem: "malformed", detail: "conflicting data" }]);
    }
  }
}

export function mergeDataFiles(files: Map<string, Uint8Array>): Record<string, unknown> {
  const data: Record<string, unknown> = Object.create(null);
  const decoder = new TextDecoder();
  for (const name of [...files.keys()].filter(isDataFile).sort()) {
    const text = decoder.decode(files.get(name)!);
    let value: unknown;
    try {
      value = name.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      throw new BundleError(`${name}: does not parse (${(err as Error).message})`, [{ file: name, problem: "malformed" }]);
    }
    const dir = name.includes("/") ? name.slice(0, name.lastIndexOf("/")).split("/") : [];
    if (dir.length === 0 && !isObject(value)) throw new BundleError(`${name}: root data must be an object`, [{ file: name, problem: "malformed" }]);
    let wrapped: Record<string, unknown> = dir.length === 0 ? (value as Record<string, unknown>) : {};
    if (dir.length > 0) {
      let node = wrapped;
      dir.forEach((seg, i) => {
        if (i === dir.length - 1) node[seg] = value;
        else node = node[seg] = {} as Record<string, unknown>;
      });
    }
    mergeInto(data, wrapped, "", name);
    wrapped = {};
  }
  // a plain object again, for consumers that JSON-encode it
  return JSON.parse(JSON.stringify(data));
}
