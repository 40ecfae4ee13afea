// The normalized actions of a conformance suite of the example kind
// (examples/acme/fixtures/*.yaml) as the policy inputs the decision
// pipeline builds: for tests and benchmarks that evaluate the bundle
// directly, without the service.
import type { PolicyInput } from "../decide/types.js";

export interface SuiteSetup {
  harness: string;
  agent: string;
  contract?: string;
  cwd?: string;
  model?: string;
  now: string;
  session: { id: string; labels?: string[]; spend?: PolicyInput["session"]["spend"] };
}

export interface SuiteActionEvent {
  name: string;
  harness?: string;
  agent?: string;
  contract?: string;
  now?: string;
  action: { event?: string; tool: string; action: unknown };
}

/** The input of one action event; `labels` are the session's labels so far
 *  (those the allowed actions before it added). */
export function suiteActionInput(setup: SuiteSetup, ev: SuiteActionEvent, labels: Iterable<string>): PolicyInput {
  return {
    action: {
      harness: ev.harness ?? setup.harness,
      session_id: setup.session.id,
      event: ev.action.event ?? "pre_tool_use",
      tool: ev.action.tool,
      action: ev.action.action,
      cwd: setup.cwd,
      model: setup.model,
      contract_id: ev.contract ?? setup.contract,
    },
    agent: { id: ev.agent ?? setup.agent },
    session: { id: setup.session.id, labels: [...labels], counters: {}, spend: setup.session.spend, started_at: setup.now },
    now: ev.now ?? setup.now,
  } as PolicyInput;
}

/** The input as JSON text with now_ns in exact digits, as
 *  src/decide/pipeline.ts writes it (a JS number cannot hold it). */
export function inputJsonWithNowNs(input: PolicyInput): string {
  return `${JSON.stringify(input).slice(0, -1)},"now_ns":${BigInt(Date.parse(input.now)) * 1000000n}}`;
}
