// json.*: Go's encoding/json output (sorted keys, HTML-safe escapes),
// json.filter/json.remove over OPA's path syntax, and JSON Patch.
import { arr, obj, str } from "./args.js";
import { builtinError, operandError } from "./errors.js";
import { compareStrings, isObject, numberText, typeName, valuesEqual, type ObjectValue, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

/** A string as Go's json.Marshal writes it (HTML characters and U+2028/9 escaped). */
export function goJSONString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

/** Go's json.Marshal / MarshalIndent of a JSON value. */
export function goJSON(v: Value | undefined, indent?: { prefix: string; indent: string }, depth = 0): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "boolean":
      return String(v);
    case "number":
    case "bigint":
      return numberText(v);
    case "string":
      return goJSONString(v);
  }
  const nl = indent ? "\n" + indent.prefix + indent.indent.repeat(depth + 1) : "";
  const end = indent ? "\n" + indent.prefix + indent.indent.repeat(depth) : "";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return "[" + v.map((x) => nl + goJSON(x, indent, depth + 1)).join(",") + end + "]";
  }
  const keys = Object.keys(v).sort(compareStrings);
  if (keys.length === 0) return "{}";
  const sep = indent ? ": " : ":";
  return "{" + keys.map((k) => nl + goJSONString(k) + sep + goJSON(v[k], indent, depth + 1)).join(",") + end + "}";
}

function marshalWithOptions(value: Value, options: ObjectValue): string {
  let indent = "\t";
  let prefix = "";
  let implicitPretty = false;
  let explicit: boolean | undefined;
  for (const key of Object.keys(options)) {
    const v = options[key];
    switch (key) {
      case "prefix":
      case "indent":
        if (typeof v !== "string") throw operandError(2, `key ${JSON.stringify(key)} failed cast to string: operand 0 must be string but got ${typeName(v)}`);
        if (key === "prefix") prefix = v;
        else indent = v;
        implicitPretty = true;
        break;
      case "pretty":
        if (typeof v !== "boolean") throw operandError(2, `key ${JSON.stringify(key)} failed cast to bool`);
        explicit = v;
        break;
      default:
        throw operandError(2, `object contained unknown key ${JSON.stringify(key)}`);
    }
  }
  const pretty = explicit ?? implicitPretty;
  return pretty ? prefix + goJSON(value, { prefix, indent }) : goJSON(value);
}

type Path = string[];

function parsePath(p: Value): Path {
  if (typeof p === "string") {
    if (p === "") return [];
    return p
      .replace(/^\/+/, "")
      .split("/")
      .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  if (Array.isArray(p)) return p.map((s) => (typeof s === "string" ? s : JSON.stringify(s)));
  throw operandError(2, `must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`);
}

function jsonPaths(v: Value): Path[] {
  if (!Array.isArray(v)) throw operandError(2, `must be one of {set, array} but got ${typeName(v)}`);
  return v.map(parsePath);
}

/** Paths as a tree: {a: {b: null}} for a/b; null marks a leaf. */
type PathTree = { [k: string]: PathTree | null };

function pathsToTree(paths: Path[]): PathTree {
  const root: PathTree = {};
  for (const path of paths) {
    if (path.length === 0) continue;
    let node = root;
    let done = false;
    for (let i = 0; i < path.length - 1 && !done; i++) {
      const k = path[i]!;
      const child = node[k];
      if (child === undefined) node = node[k] = {};
      else if (child === null) done = true;
      else node = child;
    }
    if (!done) node[path[path.length - 1]!] = null;
  }
  return root;
}

function filterValue(v: Value, filter: PathTree | null): Value {
  if (filter === null) return v;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const sub = filter[String(i)];
      if (sub !== undefined) out.push(filterValue(x, sub));
    });
    return out;
  }
  if (isObject(v)) {
    const out: ObjectValue = {};
    for (const k of Object.keys(filter)) if (k in v) out[k] = filterValue(v[k]!, filter[k]!);
    return out;
  }
  return v;
}

function removeValue(v: Value, tree: PathTree | null | undefined): Value | undefined {
  if (tree === undefined) return v;
  if (tree === null) return undefined;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const r = removeValue(x, tree[String(i)]);
      if (r !== undefined) out.push(r);
    });
    return out;
  }
  if (isObject(v)) {
    const out: ObjectValue = {};
    for (const k of Object.keys(v)) {
      const r = removeValue(v[k]!, tree[k]);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return v;
}

// ---- JSON Patch (RFC 6902) over OPA's path syntax ----

class PatchError extends Error {}

function clone(v: Value): Value {
  return v === null || typeof v !== "object" ? v : JSON.parse(JSON.stringify(v));
}

function getAt(doc: Value, path: Path): Value {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      const i = Number(seg);
      // array indexes are decimal without leading zeros (RFC 6901)
      if (!/^(0|[1-9]\d*)$/.test(seg) || i >= cur.length) throw new PatchError("path not found");
      cur = cur[i]!;
    } else if (isObject(cur) && seg in cur) cur = cur[seg]!;
    else throw new PatchError("path not found");
  }
  return cur;
}

function insertAt(doc: Value, path: Path, value: Value): Value {
  if (path.length === 0) return value;
  const parent = getAt(doc, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : Number(last);
    if (!/^(0|[1-9]\d*|-)$/.test(last) || i > parent.length) throw new PatchError("index out of range");
    parent.splice(i, 0, value);
  } else if (isObject(parent)) parent[last] = value;
  else throw new PatchError("cannot insert into a scalar");
  return doc;
}

function deleteAt(doc: Value, path: Path): Value {
  if (path.length === 0) return null;
  const parent = getAt(doc, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^(0|[1-9]\d*)$/.test(last) || i >= parent.length) throw new PatchError("index out of range");
    parent.splice(i, 1);
  } else if (isObject(parent) && last in parent) delete parent[last];
  else throw new PatchError("path not found");
  return doc;
}

function applyPatch(target: Value, ops: Value[]): Value {
  let doc = clone(target);
  for (const o of ops) {
    if (!isObject(o)) throw new PatchError("not an object");
    const op = o["op"];
    if (typeof op !== "string" || !["add", "remove", "replace", "move", "copy", "test"].includes(op)) throw new PatchError("bad op");
    if (!("path" in o)) throw new PatchError("missing path");
    const path = parsePath(o["path"]!);
    const need = (k: string): Value => {
      if (!(k in o)) throw new PatchError(`missing '${k}'`);
      return o[k]!;
    };
    switch (op) {
      case "add":
        doc = insertAt(doc, path, clone(need("value")));
        break;
      case "remove":
        doc = deleteAt(doc, path);
        break;
      case "replace":
        doc = insertAt(deleteAt(doc, path), path, clone(need("value")));
        break;
      case "move": {
        const from = parsePath(need("from"));
        const chunk = clone(getAt(doc, from));
        doc = insertAt(deleteAt(doc, from), path, chunk);
        break;
      }
      case "copy": {
        const from = parsePath(need("from"));
        doc = insertAt(doc, path, clone(getAt(doc, from)));
        break;
      }
      case "test":
        if (!valuesEqual(getAt(doc, path), need("value"))) throw new PatchError("test failed");
        break;
    }
  }
  return doc;
}

export const jsonBuiltins: Record<string, BuiltinImpl> = {
  "json.marshal": (v) => goJSON(v),
  "json.marshal_with_options": (v, o) => marshalWithOptions(v!, obj(o, 2)),
  "json.unmarshal"(s) {
    try {
      return JSON.parse(str(s, 1)) as Value;
    } catch (e) {
      throw builtinError((e as Error).message);
    }
  },
  "json.is_valid"(s) {
    if (typeof s !== "string") return false;
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  },
  "json.filter"(o, paths) {
    const source = obj(o, 1);
    return filterValue(source, pathsToTree(jsonPaths(paths!)));
  },
  "json.remove"(o, paths) {
    const source = obj(o, 1);
    return removeValue(source, pathsToTree(jsonPaths(paths!)));
  },
  "json.patch"(target, ops) {
    const list = arr(ops, 2);
    // OPA answers nothing (not even in strict mode) for a patch that does not apply
    try {
      return applyPatch(target!, list);
    } catch {
      return undefined;
    }
  },
};
