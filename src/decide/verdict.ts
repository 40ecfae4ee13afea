// Turning the policy's result set into one verdict. The decision entrypoint
// returns a PolicyDecision (or a list of them, one per layer); several combine
// deny > approve > allow with reasons and rule ids pooled. Anything else —
// undefined, malformed, an unknown verb — is a deny: no matching allow means
// deny, and nothing malformed may turn into an allow.
import type { PolicyDecision, Verdict } from "./types.js";

const RANK: Record<Verdict, number> = { allow: 0, approve: 1, deny: 2 };

export function verdictFromResultSet(resultSet: unknown): PolicyDecision {
  if (!Array.isArray(resultSet) || resultSet.length === 0) {
    return deny("no policy decision: the decision rule is undefined for this input", "writ.no_decision");
  }
  const decisions: PolicyDecision[] = [];
  for (const binding of resultSet) {
    const value = (binding as { result?: unknown } | null)?.result;
    const list = Array.isArray(value) ? value : [value];
    for (const d of list) {
      const parsed = asDecision(d);
      if (!parsed) return deny("malformed policy decision", "writ.malformed_decision");
      decisions.push(parsed);
    }
  }
  if (decisions.length === 1) return decisions[0];
  let verdict: Verdict = "allow";
  const reasons: string[] = [];
  const ruleIds: string[] = [];
  const labels: string[] = [];
  for (const d of decisions) {
    if (RANK[d.decision] > RANK[verdict]) verdict = d.decision;
  }
  for (const d of decisions) {
    // an allow's reasons don't explain a deny
    if (d.decision !== verdict) continue;
    reasons.push(...d.reasons);
    ruleIds.push(...d.rule_ids);
  }
  if (verdict === "allow") for (const d of decisions) labels.push(...(d.labels ?? []));
  return { decision: verdict, reasons, rule_ids: ruleIds, ...(labels.length ? { labels } : {}) };
}

function asDecision(v: unknown): PolicyDecision | undefined {
  if (!v || typeof v !== "object") return undefined;
  const d = v as Record<string, unknown>;
  if (d.decision !== "allow" && d.decision !== "deny" && d.decision !== "approve") return undefined;
  const reasons = stringList(d.reasons);
  const ruleIds = stringList(d.rule_ids);
  const labels = d.labels === undefined ? [] : stringList(d.labels);
  if (!reasons || !ruleIds || !labels) return undefined;
  return { decision: d.decision, reasons, rule_ids: ruleIds, ...(labels.length ? { labels } : {}) };
}

// Rego sets arrive as arrays; absent means empty
function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return undefined;
  for (const s of v) if (typeof s !== "string") return undefined;
  return v as string[];
}

export function deny(reason: string, ruleId: string): PolicyDecision {
  return { decision: "deny", reasons: [reason], rule_ids: [ruleId] };
}
