// The JSON Schemas in schemas/ (2020-12), compiled once with ajv. Every error
// is collected (allErrors) so a bad file reports all its problems at once.
import { readFileSync, readdirSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

/** schemas/ at the package root (this file runs from dist/src/contract). */
export const schemaDir = new URL("../../../schemas/", import.meta.url);

export type SchemaName =
  | "common"
  | "task-contract"
  | "capability-manifest"
  | "decide-request"
  | "decide-response"
  | "decision-log-entry"
  | "conformance-fixture";

// RFC 3339 date-time (the JSON Schema "date-time" format), checked without
// pulling in ajv-formats for a single format: a full date, a time, a zone,
// and a real calendar date.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
export function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || se > 60) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d >= 1 && d <= days;
}

/** How writ's schemas are compiled (strict catches schema typos; strictRequired
 *  would reject the `anyOf: [{required: [when]}, {required: [rego]}]` idiom). */
export const ajvOptions = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true } as const;

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();
// every (sub)schema object → its URI, so an error names the rule it broke
// wherever $refs led (ajv's own schemaPath is relative to the referenced
// schema's root when the reference is compiled separately)
const locations = new Map<object, string>();

function indexSchema(node: unknown, uri: string, pointer: string): void {
  if (!node || typeof node !== "object") return;
  if (!Array.isArray(node)) locations.set(node, `${uri}#${pointer}`);
  for (const [k, v] of Object.entries(node)) indexSchema(v, uri, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
}

function instance(): Ajv2020 {
  if (ajv) return ajv;
  // verbose: errors carry their parentSchema, located through `locations`.
  // The schemas are checked against the 2020-12 meta-schema by the tests
  // (test/schema.test.ts), not on every start: that, and ajv's code
  // optimizer, were two thirds of a cold `writ build` before compiling Rego.
  ajv = new Ajv2020({ ...ajvOptions, validateSchema: false, code: { optimize: false } });
  ajv.addFormat("date-time", { type: "string", validate: isDateTime });
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith(".json")).sort()) {
    const schema = JSON.parse(readFileSync(new URL(file, schemaDir), "utf8"));
    indexSchema(schema, schema.$id, "");
    ajv.addSchema(schema);
  }
  return ajv;
}

export function schemaId(name: SchemaName): string {
  return `urn:writ:schema:${name}`;
}

/** The compiled validator for one of writ's schemas. */
export function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const fn = instance().getSchema(schemaId(name));
    if (!fn) throw new Error(`schema ${name} not found in ${schemaDir.pathname}`);
    v = fn;
    compiled.set(name, v);
  }
  return v;
}

export type SchemaError = ErrorObject;

/** Validates; returns every error (empty when valid). */
export function validate(name: SchemaName, value: unknown): SchemaError[] {
  const v = validator(name);
  return v(value) ? [] : [...(v.errors ?? [])];
}

/** The absolute URI of the schema rule an error broke, e.g.
 *  urn:writ:schema:common#/$defs/budget/additionalProperties. */
export function schemaLocation(e: SchemaError): string {
  const at = e.parentSchema ? locations.get(e.parentSchema) : undefined;
  return at ? `${at}/${e.keyword}` : e.schemaPath;
}
