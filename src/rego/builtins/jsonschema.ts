// json.verify_schema / json.match_schema: ajv (JSON Schema draft-07, the
// default of the Go library OPA uses) checks that a schema is one, with
// gojsonschema's words for what is wrong; documents are validated as
// gojsonschema does (gojsonschema.ts).
import { Ajv, type ValidateFunction } from "ajv";
import { schemaErrors } from "./gojsonschema.js";
import { builtinError } from "./errors.js";
import { goJSON } from "./json.js";
import { isObject, type Value } from "./values.js";
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
    try {
      compile(schema);
    } catch (e) {
      throw builtinError((e as Error).message);
    }
    const errors = schemaErrors(schema, doc);
    return [errors.length === 0, errors];
  },
};
