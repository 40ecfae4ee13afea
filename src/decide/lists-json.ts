// A decision's reasons and rule ids as JSON text, made once per decision:
// the audit record, the signed claims and the answer each carry both lists,
// and JSON.stringify of them was ~0.8 µs a copy on the hot path.
export interface VerdictListsJson {
  reasons: string;
  rule_ids: string;
}

export function verdictListsJson(v: { reasons: string[]; rule_ids: string[] }): VerdictListsJson {
  return { reasons: JSON.stringify(v.reasons), rule_ids: JSON.stringify(v.rule_ids) };
}
