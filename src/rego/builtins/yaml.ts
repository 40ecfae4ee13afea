// yaml.* via the `yaml` package in YAML 1.1 mode, the dialect of the Go
// library OPA uses (so `yes`/`no`/`on`/`off` are booleans, as in OPA).
import { parse, parseAllDocuments, stringify } from "yaml";
import { str } from "./args.js";
import { builtinError } from "./errors.js";
import type { Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const parseOptions = { version: "1.1", merge: true, uniqueKeys: false, maxAliasCount: 1000 } as const;

function unmarshal(s: string): Value {
  const docs = parseAllDocuments(s, parseOptions);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const err = d.errors[0];
    if (err) throw builtinError(`yaml: line ${err.linePos?.[0]?.line ?? 1}: ${err.message.split("\n")[0]}`);
  }
  if (list.length === 0) return null;
  // like the Go library: the first document only
  return (list[0]!.toJS({ maxAliasCount: 1000 }) ?? null) as Value;
}

export const yamlBuiltins: Record<string, BuiltinImpl> = {
  "yaml.unmarshal": (s) => unmarshal(str(s, 1)),
  "yaml.is_valid"(s) {
    if (typeof s !== "string") return false;
    try {
      unmarshal(s);
      return true;
    } catch {
      return false;
    }
  },
  "yaml.marshal": (v) => stringify(v, { sortMapEntries: true, indentSeq: false, lineWidth: 0, version: "1.1" }),
};

void parse;
