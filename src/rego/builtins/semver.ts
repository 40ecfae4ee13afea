// semver.* per SemVer 2.0.0 (no leading "v"), precedence as the spec defines.
import { str } from "./args.js";
import { builtinError } from "./errors.js";
import type { BuiltinImpl } from "./types.js";

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Version {
  core: [bigint, bigint, bigint];
  pre: string[];
}

function parseVersion(s: string): Version | undefined {
  const m = SEMVER.exec(s);
  if (!m) return undefined;
  return { core: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] ? m[4].split(".") : [] };
}

function compareIdent(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! < b.core[i]! ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const c = compareIdent(a.pre[i]!, b.pre[i]!);
    if (c !== 0) return c;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

export const semverBuiltins: Record<string, BuiltinImpl> = {
  "semver.is_valid": (v) => typeof v === "string" && parseVersion(v) !== undefined,
  "semver.compare"(a, b) {
    const x = str(a, 1);
    const y = str(b, 2);
    const va = parseVersion(x);
    if (!va) throw builtinError(`operand 1: string ${JSON.stringify(x)} is not a valid SemVer`);
    const vb = parseVersion(y);
    if (!vb) throw builtinError(`operand 2: string ${JSON.stringify(y)} is not a valid SemVer`);
    return compareVersions(va, vb);
  },
};
