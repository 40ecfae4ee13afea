// The request schema, compiled once by ajv into a validator function. All
// errors are collected so a 400 lists every problem at once.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { DecideRequest } from "../decide/types.js";

const schemaUrl = new URL("../../../schemas/decide-request.json", import.meta.url);

let compiled: ValidateFunction<DecideRequest> | undefined;

export function decideRequestValidator(): ValidateFunction<DecideRequest> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    compiled = ajv.compile<DecideRequest>(JSON.parse(readFileSync(schemaUrl, "utf8")));
  }
  return compiled;
}

export function describeErrors(errors: ErrorObject[] | null | undefined): { path: string; message: string }[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath || "/",
    message:
      e.keyword === "additionalProperties"
        ? `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
        : e.keyword === "enum"
          ? `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
          : (e.message ?? e.keyword),
  }));
}
