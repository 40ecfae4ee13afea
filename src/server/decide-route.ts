// POST /v1/decide, independent of the HTTP framework: credential → body →
// JSON → schema → pipeline → metrics. The hono route and the direct
// node:http path (service.ts) both call this, so they answer identically.
import type { Service } from "./service.js";
import { BodyTooLarge } from "./body.js";
import { decideRequestValidator, describeErrors } from "./validate.js";

export interface RouteAnswer {
  status: number;
  body: string;
}

export async function answerDecide(svc: Service, authorization: string | undefined, readText: () => Promise<string>): Promise<RouteAnswer> {
  const started = performance.now();
  const done = (status: number, body: string, verdict?: string): RouteAnswer => {
    svc.metrics.observeDecision(verdict, status, (performance.now() - started) / 1000);
    return { status, body };
  };
  let principal = svc.credentials.authenticate(authorization);
  if (principal instanceof Promise) principal = await principal;
  if (!principal || principal.role !== "agent") return done(401, errorBody("an agent credential is required (Authorization: Bearer …)"));
  let text: string;
  try {
    text = await readText();
  } catch (err) {
    return done(err instanceof BodyTooLarge ? 413 : 400, errorBody((err as Error).message));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return done(400, JSON.stringify({ error: "body is not JSON", errors: [{ path: "/", message: (err as Error).message }] }));
  }
  const validate = decideRequestValidator();
  if (!validate(body)) {
    return done(400, JSON.stringify({ error: "request does not match schemas/decide-request.json", errors: describeErrors(validate.errors) }));
  }
  try {
    const out = await svc.decider.decide(principal, body);
    return done(out.status, out.body, out.verdict);
  } catch (err) {
    // nothing was signed and answered: fail closed
    return done(503, JSON.stringify({ decision: "deny", error: `internal error: ${(err as Error).message}` }), "deny");
  }
}

function errorBody(message: string): string {
  return JSON.stringify({ error: message });
}
