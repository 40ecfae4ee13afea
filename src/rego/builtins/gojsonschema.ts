// json.match_schema's validation as OPA's copy of gojsonschema does it
// (internal/gojsonschema/validation.go): the same walk, the same error kinds,
// words and order, and the same score, by which a failed anyOf, oneOf or
// contains reports the errors of its closest branch only. Schemas reach here
// already checked (jsonschema.ts compiles them first).
import { RE2JS } from "re2js";
import { goJSON } from "./json.js";
import { isFormat } from "./jsonschema-formats.js";
import { isObject, typeName, type ObjectValue, type Value } from "./values.js";

type Schema = Value;

interface Result {
  errors: ObjectValue[];
  score: number;
}

const ROOT = "(Root)";

function fieldOf(path: string[]): string {
  return path.length === 0 ? ROOT : path.join(".");
}

/** addInternalError: the error, and a net -1 with the +1 of its step. */
function fail(r: Result, path: string[], type: string, desc: string): void {
  const field = fieldOf(path);
  r.errors.push({ desc, error: `${field}: ${desc}`, field, type });
  r.score -= 2;
}

function merge(into: Result, from: Result): void {
  into.errors.push(...from.errors);
  into.score += from.score;
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (isObject(x as Value) ? Object.fromEntries(Object.entries(x as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));

function jsonType(v: Value): string {
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeName(v);
}

function typesOf(s: ObjectValue): string[] | undefined {
  const t = s["type"];
  if (typeof t === "string") return [t];
  return Array.isArray(t) ? (t as string[]) : undefined;
}

function typeMatches(types: string[], v: Value): boolean {
  const t = jsonType(v);
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

const patterns = new Map<string, RE2JS>();

/** Go's regexp.MatchString (RE2), compiled once per pattern. */
function matches(pattern: string, s: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (patterns.size > 500) patterns.clear();
    patterns.set(pattern, re);
  }
  return re.matcher(s).find();
}

/** Go's %v of a big.Float made from the limit. */
const num = (v: Value | undefined): string => String(v);

class Validator {
  constructor(private readonly root: Schema) {}

  /** A local $ref: "#" or a JSON pointer into the root schema. */
  private resolve(ref: string): Schema | undefined {
    if (!ref.startsWith("#")) return undefined;
    let cur: unknown = this.root;
    for (const seg of ref.slice(1).split("/").slice(1)) {
      const k = decodeURIComponent(seg).replaceAll("~1", "/").replaceAll("~0", "~");
      cur = Array.isArray(cur) ? cur[Number(k)] : isObject(cur as Value) ? (cur as ObjectValue)[k] : undefined;
    }
    return cur as Schema | undefined;
  }

  sub(schema: Schema, doc: Value, path: string[]): Result {
    const r: Result = { errors: [], score: 0 };
    this.recursive(schema, doc, r, path);
    return r;
  }

  recursive(schema: Schema, doc: Value, r: Result, path: string[]): void {
    if (typeof schema === "boolean") {
      if (!schema) fail(r, path, "false", "False always fails validation");
      return;
    }
    if (!isObject(schema)) return;
    if (typeof schema["$ref"] === "string") {
      const target = this.resolve(schema["$ref"]);
      if (target !== undefined) this.recursive(target, doc, r, path);
      return;
    }
    const types = typesOf(schema);
    if (types && !typeMatches(types, doc)) {
      fail(r, path, "invalid_type", `Invalid type. Expected: ${types.join(", ")}, given: ${jsonType(doc)}`);
      return;
    }
    this.schemaKeywords(schema, doc, r, path);
    if (Array.isArray(doc)) {
      this.array(schema, doc, r, path);
      this.common(schema, doc, r, path);
    } else if (isObject(doc)) {
      this.object(schema, doc, r, path);
      this.common(schema, doc, r, path);
      const props = schema["properties"];
      if (isObject(props)) for (const k of Object.keys(props).sort()) if (k in doc) this.recursive(props[k]!, doc[k]!, r, [...path, k]);
    } else {
      if (typeof doc === "number") this.number(schema, doc, r, path);
      this.common(schema, doc, r, path);
      if (typeof doc === "string") this.string(schema, doc, r, path);
    }
    r.score++;
  }

  /** anyOf, oneOf, allOf, not, dependencies, if/then/else (validateSchema). */
  private schemaKeywords(s: ObjectValue, doc: Value, r: Result, path: string[]): void {
    const anyOf = s["anyOf"];
    if (Array.isArray(anyOf) && anyOf.length > 0) {
      let best: Result | undefined;
      let ok = false;
      for (const b of anyOf) {
        const res = this.sub(b, doc, path);
        if (res.errors.length === 0) {
          ok = true;
          break;
        }
        if (!best || res.score > best.score) best = res;
      }
      if (!ok) {
        fail(r, path, "number_any_of", "Must validate at least one schema (anyOf)");
        if (best) merge(r, best);
      }
    }
    const oneOf = s["oneOf"];
    if (Array.isArray(oneOf) && oneOf.length > 0) {
      let valid = 0;
      let best: Result | undefined;
      for (const b of oneOf) {
        const res = this.sub(b, doc, path);
        if (res.errors.length === 0) valid++;
        else if (valid === 0 && (!best || res.score > best.score)) best = res;
      }
      if (valid !== 1) {
        fail(r, path, "number_one_of", "Must validate one and only one schema (oneOf)");
        if (valid === 0 && best) merge(r, best);
      }
    }
    const allOf = s["allOf"];
    if (Array.isArray(allOf) && allOf.length > 0) {
      let valid = 0;
      for (const b of allOf) {
        const res = this.sub(b, doc, path);
        if (res.errors.length === 0) valid++;
        merge(r, res);
      }
      if (valid !== allOf.length) fail(r, path, "number_all_of", "Must validate all the schemas (allOf)");
    }
    if ("not" in s && this.sub(s["not"]!, doc, path).errors.length === 0) fail(r, path, "number_not", "Must not validate the schema (not)");
    const deps = s["dependencies"];
    if (isObject(deps) && isObject(doc)) {
      for (const key of Object.keys(doc).sort()) {
        const d = deps[key];
        if (d === undefined) continue;
        if (Array.isArray(d)) {
          for (const need of d) if (typeof need === "string" && !(need in doc)) fail(r, path, "missing_dependency", `Has a dependency on ${need}`);
        } else this.recursive(d, doc, r, path);
      }
    }
    if ("if" in s) {
      const cond = this.sub(s["if"]!, doc, path).errors.length === 0;
      const branch = cond ? s["then"] : s["else"];
      if (branch !== undefined) {
        const res = this.sub(branch, doc, path);
        if (res.errors.length > 0) {
          if (cond) fail(r, path, "condition_then", 'Must validate "then" as "if" was valid');
          else fail(r, path, "condition_else", 'Must validate "else" as "if" was not valid');
          merge(r, res);
        }
      }
    }
    r.score++;
  }

  /** const, enum, format. */
  private common(s: ObjectValue, doc: Value, r: Result, path: string[]): void {
    const field = fieldOf(path);
    if ("const" in s && canonical(doc) !== canonical(s["const"])) fail(r, path, "const", `${field} does not match: ${goJSON(s["const"])}`);
    const e = s["enum"];
    if (Array.isArray(e) && !e.some((x) => canonical(x) === canonical(doc))) {
      fail(r, path, "enum", `${field} must be one of the following: ${e.length ? e.map((x) => goJSON(x)).join(", ") : "(none)"}`);
    }
    const format = s["format"];
    if (typeof format === "string" && format !== "" && !isFormat(format, doc)) fail(r, path, "format", `Does not match format '${format}'`);
    r.score++;
  }

  private array(s: ObjectValue, doc: Value[], r: Result, path: string[]): void {
    const items = s["items"];
    if (Array.isArray(items)) {
      for (let i = 0; i < items.length && i < doc.length; i++) merge(r, this.sub(items[i]!, doc[i]!, [...path, String(i)]));
      if (items.length < doc.length) {
        const extra = s["additionalItems"];
        if (extra === false) fail(r, path, "array_no_additional_items", "No additional items allowed on array");
        else if (isObject(extra)) for (let i = items.length; i < doc.length; i++) merge(r, this.sub(extra, doc[i]!, [...path, String(i)]));
      }
    } else if (items !== undefined) {
      doc.forEach((v, i) => merge(r, this.sub(items, v, [...path, String(i)])));
    }
    if (typeof s["minItems"] === "number" && doc.length < s["minItems"]) fail(r, path, "array_min_items", `Array must have at least ${s["minItems"]} items`);
    if (typeof s["maxItems"] === "number" && doc.length > s["maxItems"]) fail(r, path, "array_max_items", `Array must have at most ${s["maxItems"]} items`);
    if (s["uniqueItems"] === true) {
      const seen = new Map<string, number>();
      doc.forEach((v, j) => {
        const key = canonical(v);
        const i = seen.get(key);
        if (i !== undefined) fail(r, path, "unique", `array items[${i},${j}] must be unique`);
        seen.set(key, j);
      });
    }
    if ("contains" in s) {
      let best: Result | undefined;
      let ok = false;
      for (let i = 0; i < doc.length; i++) {
        const res = this.sub(s["contains"]!, doc[i]!, [...path, String(i)]);
        if (res.errors.length === 0) {
          ok = true;
          break;
        }
        if (!best || res.score > best.score) best = res;
      }
      if (!ok) {
        fail(r, path, "contains", "At least one of the items must match");
        if (best) merge(r, best);
      }
    }
    r.score++;
  }

  private object(s: ObjectValue, doc: ObjectValue, r: Result, path: string[]): void {
    const n = Object.keys(doc).length;
    if (typeof s["minProperties"] === "number" && n < s["minProperties"]) fail(r, path, "array_min_properties", `Must have at least ${s["minProperties"]} properties`);
    if (typeof s["maxProperties"] === "number" && n > s["maxProperties"]) fail(r, path, "array_max_properties", `Must have at most ${s["maxProperties"]} properties`);
    const required = s["required"];
    if (Array.isArray(required)) {
      for (const p of required) {
        if (typeof p !== "string") continue;
        if (p in doc) r.score++;
        else fail(r, path, "required", `${p} is required`);
      }
    }
    const props = isObject(s["properties"]) ? s["properties"] : {};
    const patterns = isObject(s["patternProperties"]) ? s["patternProperties"] : {};
    const additional = s["additionalProperties"];
    for (const k of Object.keys(doc).sort()) {
      let matched = false;
      for (const [pattern, ps] of Object.entries(patterns)) {
        if (!matches(pattern, k)) continue;
        matched = true;
        merge(r, this.sub(ps, doc[k]!, [...path, k]));
      }
      if (matched) r.score++;
      if (k in props || matched) continue;
      if (additional === false) fail(r, path, "additional_property_not_allowed", `Additional property ${k} is not allowed`);
      else if (isObject(additional)) merge(r, this.sub(additional, doc[k]!, [...path, k]));
    }
    if ("propertyNames" in s) {
      for (const k of Object.keys(doc).sort()) {
        const res = this.sub(s["propertyNames"]!, k, path);
        if (res.errors.length > 0) {
          fail(r, path, "invalid_property_name", `Property name of "${k}" does not match`);
          merge(r, res);
        }
      }
    }
    r.score++;
  }

  private string(s: ObjectValue, doc: string, r: Result, path: string[]): void {
    const runes = [...doc].length;
    if (typeof s["minLength"] === "number" && runes < s["minLength"]) fail(r, path, "string_gte", `String length must be greater than or equal to ${s["minLength"]}`);
    if (typeof s["maxLength"] === "number" && runes > s["maxLength"]) fail(r, path, "string_lte", `String length must be less than or equal to ${s["maxLength"]}`);
    if (typeof s["pattern"] === "string" && !matches(s["pattern"], doc)) fail(r, path, "pattern", `Does not match pattern '${s["pattern"]}'`);
    r.score++;
  }

  private number(s: ObjectValue, doc: number, r: Result, path: string[]): void {
    const m = s["multipleOf"];
    if (typeof m === "number" && !Number.isInteger(doc / m)) fail(r, path, "multiple_of", `Must be a multiple of ${num(m)}`);
    // draft 4 writes exclusiveMaximum/Minimum as booleans beside the limit
    const exMax = s["exclusiveMaximum"] === true ? s["maximum"] : s["exclusiveMaximum"];
    const exMin = s["exclusiveMinimum"] === true ? s["minimum"] : s["exclusiveMinimum"];
    const max = s["exclusiveMaximum"] === true ? undefined : s["maximum"];
    const min = s["exclusiveMinimum"] === true ? undefined : s["minimum"];
    if (typeof max === "number" && doc > max) fail(r, path, "number_lte", `Must be less than or equal to ${num(max)}`);
    if (typeof exMax === "number" && doc >= exMax) fail(r, path, "number_lt", `Must be less than ${num(exMax)}`);
    if (typeof min === "number" && doc < min) fail(r, path, "number_gte", `Must be greater than or equal to ${num(min)}`);
    if (typeof exMin === "number" && doc <= exMin) fail(r, path, "number_gt", `Must be greater than ${num(exMin)}`);
    r.score++;
  }
}

/** The errors of validating `doc` against `schema`, in gojsonschema's order. */
export function schemaErrors(schema: Schema, doc: Value): ObjectValue[] {
  return new Validator(schema).sub(schema, doc, []).errors;
}
