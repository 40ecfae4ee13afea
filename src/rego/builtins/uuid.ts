// uuid.rfc4122 (a random v4 UUID) and uuid.parse.
import { randomUUID } from "node:crypto";
import { str } from "./args.js";
import type { ObjectValue } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const UUID = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

function parseUUID(s: string): ObjectValue | undefined {
  const m = UUID.exec(s);
  if (!m) return undefined;
  // braces must pair up, and only the canonical dashed form takes them
  if (s.includes("{") !== s.endsWith("}")) return undefined;
  const hex = (m[1]! + m[2] + m[3] + m[4] + m[5]).toLowerCase();
  const bytes = Buffer.from(hex, "hex");
  const version = bytes[6]! >> 4;
  const v = bytes[8]!;
  const variant = (v & 0x80) === 0 ? "Reserved, NCS backward compatibility" : (v & 0xc0) === 0x80 ? "RFC4122" : (v & 0xe0) === 0xc0 ? "Reserved, Microsoft Corporation backward compatibility" : "Reserved, future definition";
  const out: ObjectValue = { version, variant };
  if (variant === "RFC4122" && (version === 1 || version === 2)) {
    // 60-bit timestamp in 100ns units since 1582-10-15
    const timeLow = BigInt("0x" + hex.slice(0, 8));
    const timeMid = BigInt("0x" + hex.slice(8, 12));
    const timeHi = BigInt("0x" + hex.slice(12, 16)) & 0x0fffn;
    const ts = (timeHi << 48n) | (timeMid << 32n) | timeLow;
    const unixNs = (ts - 0x01b21dd213814000n) * 100n;
    out["time"] = Number(unixNs);
    out["clocksequence"] = ((bytes[8]! & 0x3f) << 8) | bytes[9]!;
    out["nodeid"] = [...bytes.subarray(10)].map((b) => b.toString(16).padStart(2, "0")).join("-");
    out["macvariables"] = (bytes[10]! & 2 ? "local" : "global") + ":" + (bytes[10]! & 1 ? "multicast" : "unicast");
    if (version === 2) {
      out["id"] = Number(timeLow);
      out["domain"] = ["Person", "Group", "Org"][bytes[9]!] ?? `Domain${bytes[9]}`;
    }
  }
  return out;
}

/**
 * OPA returns the same UUID for the same key within one query; the module
 * keeps that promise (it caches nondeterministic builtins per evaluation:
 * wasm/runtime/ndcache.ts), so every call that reaches the host is new.
 */
export function uuidBuiltins(): Record<string, BuiltinImpl> {
  return {
    "uuid.rfc4122"(k) {
      str(k, 1);
      return randomUUID();
    },
    "uuid.parse": (s) => parseUUID(str(s, 1)),
  };
}
