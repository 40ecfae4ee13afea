// The request schema, compiled once by ajv into a validator function. All
// errors are collected so a 400 lists every problem at once.
import type { ErrorObject, ValidateFunction } from "ajv";
import type { DecideRequest } from "../decide/types.js";
import { validator } from "../contract/schemas.js";

/** The decide-request validator from schemas/ (JSON Schema 2020-12). */
export function decideRequestValidator(): ValidateFunction<DecideRequest> {
  return validator("decide-request") as ValidateFunction<DecideRequest>;
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
