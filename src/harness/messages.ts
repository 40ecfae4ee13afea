// The words every adapter uses for writ's answers, so a denial reads the
// same in every harness and always says which rules and which decision.
import type { DecideResponse } from "../decide/types.js";

function because(r: DecideResponse): string {
  const reasons = r.reasons.length ? r.reasons.join("; ") : "no reason given";
  const rules = r.rule_ids.length ? ` [${r.rule_ids.join(", ")}]` : "";
  return `${reasons}${rules}`;
}

export function denyText(r: DecideResponse): string {
  return `writ denied this: ${because(r)} (decision ${r.decision_id})`;
}

/** approve shown as the harness's own permission prompt */
export function askText(r: DecideResponse): string {
  const id = r.approval ? `approval ${r.approval.id}, ` : "";
  return `writ asks a human to approve this: ${because(r)} (${id}decision ${r.decision_id})`;
}

/** approve where the harness has no prompt: a denial that says how to
 *  grant the approval and that a retry of the same action then passes */
export function approvalDenyText(r: DecideResponse, url: string | undefined): string {
  const base = `writ needs a human to approve this first: ${because(r)} (decision ${r.decision_id}).`;
  if (!r.approval) return `${base} writ gave no approval id; ask an operator.`;
  const where = (url ?? "$WRIT_URL").replace(/\/$/, "");
  return (
    `${base} Approval ${r.approval.id} waits until ${r.approval.expires_at}. ` +
    `An operator grants it with: curl -X POST ${where}/v1/approvals/${r.approval.id} ` +
    `-H "authorization: Bearer $WRIT_OPERATOR_TOKEN" -H "content-type: application/json" -d '{"grant":true}' ` +
    `— then retry exactly the same action.`
  );
}

/** no answer from writ */
export function blockText(why: string): string {
  return `writ blocked this: there is no decision (${why}). writ fails closed: nothing runs until writ answers.`;
}
