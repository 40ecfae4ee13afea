// Builtins a project adds to Rego, as OPA users add Go functions with
// rego.RegisterBuiltin (trivy's `result.new`, conftest's `parse_config`, …):
// an ES module declares each one in the shape of an OPA capabilities file
// entry and implements it in JavaScript.
//
//   export const builtins = [{
//     name: "cidr.is_public",
//     decl: { type: "function", args: [{ type: "string" }], result: { type: "boolean" } },
//     impl: (cidr) => …,          // values in, value out; throw for an error
//   }];
//
// Declaring makes the compiler accept calls (and `with` replacements) of the
// name; the implementation joins the SDK's custom-builtins map. A module may
// also export `data`, an object `writ test` puts below the tests' data. Arguments
// arrive as the SDK passes them (sets as arrays); an implementation that
// throws makes the call undefined, as a Go builtin's error does in OPA.
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { builtinCatalog, type BType, type BuiltinInfo } from "./catalog.js";
import { wrapBuiltin, type HostBuiltin } from "./host.js";
import type { BuiltinImpl } from "./types.js";

export interface BuiltinExtension {
  name: string;
  decl: { type: "function"; args: BType[]; result?: BType; variadic?: BType };
  impl: (...args: never[]) => unknown;
  nondeterministic?: boolean;
}

export class ExtensionError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function check(file: string, b: unknown): BuiltinExtension {
  const e = b as Partial<BuiltinExtension>;
  const where = `${file}: builtin ${JSON.stringify(e?.name)}`;
  if (typeof e?.name !== "string" || !NAME.test(e.name)) throw new ExtensionError(`${where}: name must be a dotted Rego name`);
  if (e.decl?.type !== "function" || !Array.isArray(e.decl.args)) throw new ExtensionError(`${where}: decl must be {type: "function", args: [...], result}`);
  if (typeof e.impl !== "function") throw new ExtensionError(`${where}: impl must be a function`);
  return e as BuiltinExtension;
}

/** Imports the modules (paths relative to `cwd`) and returns their builtins. */
export async function importBuiltinExtensions(files: string[], cwd = process.cwd()): Promise<BuiltinExtension[]> {
  const out: BuiltinExtension[] = [];
  for (const f of files) {
    const abs = isAbsolute(f) ? f : resolve(cwd, f);
    const mod = (await import(pathToFileURL(abs).href)) as { builtins?: unknown };
    if (!Array.isArray(mod.builtins)) throw new ExtensionError(`${f}: exports no \`builtins\` array`);
    for (const b of mod.builtins) out.push(check(f, b));
  }
  return out;
}

/** The `data` the modules export, merged: what a project's own test command
 *  puts in the store beside its builtins (regal's data.internal, …). */
export async function importExtensionData(files: string[], cwd = process.cwd()): Promise<Record<string, unknown>> {
  let data: Record<string, unknown> = {};
  for (const f of files) {
    const mod = (await import(pathToFileURL(isAbsolute(f) ? f : resolve(cwd, f)).href)) as { data?: unknown };
    if (mod.data !== undefined) {
      if (mod.data === null || typeof mod.data !== "object" || Array.isArray(mod.data)) throw new ExtensionError(`${f}: \`data\` must be an object`);
      data = { ...data, ...(mod.data as Record<string, unknown>) };
    }
  }
  return data;
}

/** Adds the declarations to the catalog the compiler reads. A name OPA
 *  already defines is refused: the extension would change what standard
 *  Rego means. Declaring the same extension twice is harmless. */
export function declareBuiltins(exts: BuiltinExtension[]): void {
  for (const e of exts) {
    const known = builtinCatalog[e.name];
    if (known && !extensionNames.has(e.name)) throw new ExtensionError(`builtin ${e.name} is already defined by Rego`);
    const info: BuiltinInfo = { name: e.name, args: e.decl.args, ...(e.decl.result ? { result: e.decl.result } : {}), ...(e.decl.variadic ? { variadic: e.decl.variadic } : {}), ...(e.nondeterministic ? { nondeterministic: true } : {}) };
    builtinCatalog[e.name] = info;
    extensionNames.add(e.name);
  }
}

const extensionNames = new Set<string>();

/** The implementations as SDK custom builtins (errors → undefined). */
export function extensionHostBuiltins(exts: BuiltinExtension[]): Record<string, HostBuiltin> {
  return Object.fromEntries(exts.map((e) => [e.name, wrapBuiltin(e.name, e.impl as unknown as BuiltinImpl, false)]));
}
