// Builtins implemented in TypeScript and handed to the Wasm SDK as its
// custom-builtins map (third argument of `loadPolicy`).
//
// The SDK calls `fn(...args)` with JSON-decoded arguments and JSON-encodes
// what it gets back (undefined = no result). Each implementation throws a
// BuiltinError on failure; the wrapper here turns that into an undefined
// result (OPA's default) or, with strict builtin errors, into an Error whose
// message is OPA's "<class>: <name>: <message>".
import { BuiltinError } from "./errors.js";
import { exactNsBuiltins, exactNsHostName, hostAlias, sdkShadowedBuiltins } from "./aliases.js";
import type { BuiltinContext, BuiltinImpl } from "./types.js";
import type { Value } from "./values.js";
import { sprintfBuiltins } from "./sprintf.js";
import { stringBuiltins } from "./strings.js";
import { regexBuiltins } from "./regex.js";
import { globBuiltins } from "./glob.js";
import { unitBuiltins } from "./units.js";
import { numberBuiltins } from "./numbers.js";
import { encodingBuiltins } from "./encoding.js";
import { jsonBuiltins } from "./json.js";
import { yamlBuiltins } from "./yaml.js";
import { objectBuiltins } from "./objects.js";
import { semverBuiltins } from "./semver.js";
import { uuidBuiltins } from "./uuid.js";
import { graphBuiltins } from "./graph.js";
import { randBuiltins } from "./rand.js";
import { exactNsImpl, timeBuiltins } from "./time.js";
import { netBuiltins } from "./net.js";
import { cryptoBuiltins } from "./crypto.js";
import { jwtBuiltins } from "./jwt.js";
import { graphqlBuiltins } from "./graphql.js";
import { jsonSchemaBuiltins } from "./jsonschema.js";
import { miscBuiltins } from "./misc.js";
import { awsBuiltins } from "./aws.js";
import { httpBuiltins, lookupHost } from "./http.js";
import { coreBuiltins } from "./core.js";
import { regoBuiltins } from "./rego.js";

export type HostBuiltin = (...args: unknown[]) => unknown;

export interface HostBuiltinOptions {
  /** raise builtin errors instead of making the call undefined */
  strict?: boolean;
  /** network access a decision may use; both refused unless enabled */
  capabilities?: { http?: boolean; netLookup?: boolean };
  /** the evaluation's clock in ns since the epoch (time.now_ns); defaults to the wall clock */
  now?: () => bigint;
  /** receives print() output lines; without it print output is discarded (as OPA without a print hook) */
  print?: (message: string) => void;
}

const wallClock = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** Every host builtin implementation by name, for the given context. */
export function builtinImplementations(ctx: BuiltinContext): Record<string, BuiltinImpl> {
  return {
    ...coreBuiltins,
    ...stringBuiltins,
    ...sprintfBuiltins,
    ...regexBuiltins,
    ...globBuiltins,
    ...unitBuiltins,
    ...numberBuiltins,
    ...encodingBuiltins,
    ...jsonBuiltins,
    ...yamlBuiltins,
    ...objectBuiltins,
    ...semverBuiltins,
    ...uuidBuiltins(),
    ...graphBuiltins,
    ...randBuiltins(),
    ...timeBuiltins(ctx),
    ...netBuiltins({ netLookup: ctx.capabilities.netLookup, lookup: lookupHost }),
    ...cryptoBuiltins,
    ...jwtBuiltins(ctx),
    ...graphqlBuiltins,
    ...jsonSchemaBuiltins,
    ...miscBuiltins({ print: ctx.print }),
    ...awsBuiltins,
    ...httpBuiltins({ http: ctx.capabilities.http }),
    ...regoBuiltins,
  };
}

function containsBigint(v: unknown): boolean {
  if (typeof v === "bigint") return true;
  if (Array.isArray(v)) return v.some(containsBigint);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsBigint);
  return false;
}

const encoder = new TextEncoder();

/**
 * The SDK JSON.stringifies results, which cannot hold a bigint; it also
 * accepts an ArrayBuffer of JSON text as is, which keeps large integers
 * (nanosecond timestamps) exact.
 */
export function encodeResult(v: Value | undefined): unknown {
  if (v === undefined || !containsBigint(v)) return v;
  const text = JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `\u0000${x}\u0000` : x)).replace(/"\\u0000(-?\d+)\\u0000"/g, "$1");
  return encoder.encode(text).buffer;
}

/** Wrap an implementation for the SDK: error policy and result encoding. */
export function wrapBuiltin(name: string, impl: BuiltinImpl, strict: boolean): HostBuiltin {
  return (...args: unknown[]) => {
    try {
      const r = impl(...(args as Value[]));
      // scalars (the common case) need no scan for bigints
      return typeof r === "object" && r !== null ? encodeResult(r) : typeof r === "bigint" ? encodeResult(r) : r;
    } catch (e) {
      if (!strict) return undefined;
      const err = e instanceof BuiltinError ? e : new BuiltinError(e instanceof Error ? e.message : String(e));
      const out = new Error(err.format(name));
      (out as Error & { code?: string }).code = err.code;
      throw out;
    }
  };
}

export function createBuiltinContext(options: HostBuiltinOptions = {}): BuiltinContext {
  return {
    now: options.now ?? wallClock,
    capabilities: { http: options.capabilities?.http ?? false, netLookup: options.capabilities?.netLookup ?? false },
    ...(options.print ? { print: options.print } : {}),
  };
}

export function createHostBuiltins(options: HostBuiltinOptions = {}): Record<string, HostBuiltin> {
  const impls = builtinImplementations(createBuiltinContext(options));
  const strict = options.strict ?? false;
  const map = withAliases(Object.fromEntries(Object.entries(impls).map(([name, impl]) => [name, wrapBuiltin(name, impl, strict)])));
  // what the native time builtins call, erring under the builtin's own name
  for (const name of exactNsBuiltins) map[exactNsHostName(name)] = wrapBuiltin(name, exactNsImpl(name, impls[name]!), strict);
  return map;
}

export { hostAlias, sdkShadowedBuiltins };

function withAliases(map: Record<string, HostBuiltin>): Record<string, HostBuiltin> {
  for (const name of sdkShadowedBuiltins) if (map[name]) map[hostAlias(name)] = map[name];
  return map;
}

/** The default map: non-strict, no network, wall clock. */
export const hostBuiltins: Record<string, HostBuiltin> = createHostBuiltins();
