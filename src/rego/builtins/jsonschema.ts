// json.verify_schema / json.match_schema on ajv (JSON Schema draft-07, the
// default of the Go library OPA uses), with results and messages worded as
// that library (gojsonschema) words them.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { builtinError } from "./errors.js";
import { goJSON } from "./json.js";
import { isObject, typeName, type ObjectValue, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

const ajv = new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false });
const cache = new Map<string, ValidateFunction>();

const PRIMITIVES = "[array boolean integer number null object string]";

/** A schema or document given as JSON text or as an object; anything else
 *  is OPA's "wrong type" (astValueToJSONSchemaLoader), an error the caller
 *  reports as its builtin does. */
function jsonOperand(v: Value | undefined): Value {
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as Value;
    } catch {
      throw builtinError("invalid JSON string");
    }
  }
  if (isObject(v)) return v;
  throw builtinError("wrong type, expected string or object");
}

/** gojsonschema reads `$schema` only to pick a draft it knows (04, 06, 07)
 *  and validates any other (2019-09, 2020-12, …) as a hybrid of them, never
 *  fetching it; ajv would refuse a meta-schema it does not hold. */
function withoutUnknownMetaSchema(schema: Value): Value {
  if (!isObject(schema) || typeof schema["$schema"] !== "string" || ajv.getSchema(schema["$schema"])) return schema;
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

/** The first type keyword that names no JSON type, anywhere in the schema. */
function badType(schema: Value): string | undefined {
  const known = new Set(["array", "boolean", "integer", "number", "null", "object", "string"]);
  if (Array.isArray(schema)) {
    for (const s of schema) {
      const b = badType(s);
      if (b) return b;
    }
    return undefined;
  }
  if (!isObject(schema)) return undefined;
  const t = schema["type"];
  for (const x of Array.isArray(t) ? t : t === undefined ? [] : [t]) if (typeof x === "string" && !known.has(x)) return x;
  for (const [k, v] of Object.entries(schema)) {
    if (k === "enum" || k === "const" || k === "default" || k === "examples") continue;
    const b = badType(v);
    if (b) return b;
  }
  return undefined;
}

/** Compile, or explain (gojsonschema's words) why the schema is not valid. */
function compile(schema: Value): ValidateFunction {
  const key = goJSON(schema);
  let v = cache.get(key);
  if (v) return v;
  const bad = badType(schema);
  if (bad) throw new Error(`has a primitive type that is NOT VALID -- given: /${bad}/ Expected valid values are:${PRIMITIVES}`);
  v = ajv.compile(withoutUnknownMetaSchema(schema) as object);
  if (cache.size > 500) cache.clear();
  cache.set(key, v);
  return v;
}

/** OPA's copy of gojsonschema names the document's root "(Root)". */
const ROOT = "(Root)";

const fieldOf = (path: string): string => (path === "" ? ROOT : path.slice(1).split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~")).join("."));

function givenType(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeName(v);
}

function valueAt(doc: Value, path: string): unknown {
  let cur: unknown = doc;
  for (const seg of path === "" ? [] : path.slice(1).split("/")) {
    const k = seg.replaceAll("~1", "/").replaceAll("~0", "~");
    cur = Array.isArray(cur) ? cur[Number(k)] : isObject(cur) ? cur[k] : undefined;
  }
  return cur;
}

/** One ajv error as gojsonschema's {desc, error, field, type}. */
function describe(e: ErrorObject, doc: Value): ObjectValue | undefined {
  let field = fieldOf(e.instancePath);
  const p = e.params as Record<string, unknown>;
  let type: string;
  let desc: string;
  switch (e.keyword) {
    case "required":
      type = "required";
      desc = `${p["missingProperty"]} is required`;
      break;
    case "type": {
      type = "invalid_type";
      const expected = String(p["type"]).split(",").join(", ");
      desc = `Invalid type. Expected: ${expected}, given: ${givenType(valueAt(doc, e.instancePath))}`;
      break;
    }
    case "enum":
      type = "enum";
      desc = `${field} must be one of the following: ${(p["allowedValues"] as Value[]).map((x) => goJSON(x)).join(", ")}`;
      break;
    case "const":
      type = "const";
      desc = `${field} does not match: ${goJSON(p["allowedValue"] as Value)}`;
      break;
    case "additionalProperties":
      type = "additional_property_not_allowed";
      desc = `Additional property ${p["additionalProperty"]} is not allowed`;
      break;
    case "minLength":
      type = "string_gte";
      desc = `String length must be greater than or equal to ${p["limit"]}`;
      break;
    case "maxLength":
      type = "string_lte";
      desc = `String length must be less than or equal to ${p["limit"]}`;
      break;
    case "pattern":
      type = "pattern";
      desc = `Does not match pattern '${p["pattern"]}'`;
      break;
    case "minimum":
      type = "number_gte";
      desc = `Must be greater than or equal to ${p["limit"]}`;
      break;
    case "maximum":
      type = "number_lte";
      desc = `Must be less than or equal to ${p["limit"]}`;
      break;
    case "exclusiveMinimum":
      type = "number_gt";
      desc = `Must be greater than ${p["limit"]}`;
      break;
    case "exclusiveMaximum":
      type = "number_lt";
      desc = `Must be less than ${p["limit"]}`;
      break;
    case "multipleOf":
      type = "multiple_of";
      desc = `Must be a multiple of ${p["multipleOf"]}`;
      break;
    case "minItems":
      type = "array_min_items";
      desc = `Array must have at least ${p["limit"]} items`;
      break;
    case "maxItems":
      type = "array_max_items";
      desc = `Array must have at most ${p["limit"]} items`;
      break;
    case "uniqueItems":
      type = "unique";
      desc = `array items[${p["j"]},${p["i"]}] must be unique`;
      break;
    case "minProperties":
      type = "array_min_properties";
      desc = `Must have at least ${p["limit"]} properties`;
      break;
    case "maxProperties":
      type = "array_max_properties";
      desc = `Must have at most ${p["limit"]} properties`;
      break;
    case "anyOf":
      type = "number_any_of";
      desc = "Must validate at least one schema (anyOf)";
      break;
    case "oneOf":
      type = "number_one_of";
      desc = "Must validate one and only one schema (oneOf)";
      break;
    case "not":
      type = "number_not";
      desc = "Must not validate the schema (not)";
      break;
    case "if":
      type = p["failingKeyword"] === "else" ? "condition_else" : "condition_then";
      desc = p["failingKeyword"] === "else" ? 'Must validate "else" as "if" was not valid' : 'Must validate "then" as "if" was valid';
      break;
    case "contains":
      type = "contains";
      desc = "At least one of the items must match";
      break;
    case "dependencies":
    case "dependentRequired":
      type = "missing_dependency";
      desc = `Has a dependency on ${p["deps"]}`;
      break;
    case "format":
      type = "format";
      desc = `Does not match format '${p["format"]}'`;
      break;
    case "propertyNames":
      return undefined;
    default:
      type = e.keyword;
      desc = e.message ?? e.keyword;
  }
  if (field === "") field = ROOT;
  return { desc, error: `${field}: ${desc}`, field, type };
}

/** gojsonschema reports every repeated item of an array, each with the
 *  index it last appeared at before (ajv reports one pair). Items compare as
 *  their JSON with numbers normalized, so 1 and 1.0 are the same item. */
function duplicates(e: ErrorObject, doc: Value): ObjectValue[] {
  const items = valueAt(doc, e.instancePath);
  if (!Array.isArray(items)) return [];
  const field = fieldOf(e.instancePath);
  const seen = new Map<string, number>();
  const out: ObjectValue[] = [];
  items.forEach((item, j) => {
    const key = JSON.stringify(item, (_k, v: unknown) => (isObject(v as Value) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
    const i = seen.get(key);
    if (i !== undefined) {
      const desc = `array items[${i},${j}] must be unique`;
      out.push({ desc, error: `${field}: ${desc}`, field, type: "unique" });
    }
    seen.set(key, j);
  });
  return out;
}

export const jsonSchemaBuiltins: Record<string, BuiltinImpl> = {
  "json.verify_schema"(s) {
    let schema: Value;
    try {
      schema = jsonOperand(s);
      compile(schema);
    } catch (e) {
      return [false, `jsonschema: ${(e as Error).message}`];
    }
    return [true, null];
  },
  "json.match_schema"(d, s) {
    const doc = jsonOperand(d);
    const schema = jsonOperand(s);
    let validate: ValidateFunction;
    try {
      validate = compile(schema);
    } catch (e) {
      throw builtinError((e as Error).message);
    }
    if (validate(doc)) return [true, []];
    const errors = (validate.errors ?? []).flatMap((e) => (e.keyword === "uniqueItems" ? duplicates(e, doc) : [describe(e, doc)])).filter((x): x is ObjectValue => x !== undefined);
    return [false, errors];
  },
};
