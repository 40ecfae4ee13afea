// Prometheus text exposition, kept by hand: a few counters and one
// histogram do not need a client library, and the hot path only does an
// array increment.
const BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export class Metrics {
  readonly decisions: Record<string, number> = { allow: 0, deny: 0, approve: 0 };
  readonly errors = new Map<number, number>();
  private readonly bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  private count = 0;
  private sum = 0;

  observeDecision(verdict: string | undefined, status: number, seconds: number): void {
    if (status === 200 && verdict) this.decisions[verdict] = (this.decisions[verdict] ?? 0) + 1;
    else this.errors.set(status, (this.errors.get(status) ?? 0) + 1);
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        this.bucketCounts[i]++;
        break;
      }
    }
  }

  /** Renders the registry plus gauges read at scrape time, and the audit
   *  log's group-commit histogram. */
  render(
    gauges: { name: string; help: string; value: number; labels?: Record<string, string> }[],
    commits?: { batches: number; entries: number; seconds: number; buckets: number[]; bounds: number[] },
  ): string {
    const out: string[] = [];
    if (commits) {
      out.push("# HELP writ_audit_commit_seconds Time a group commit took from write to durable (the answers of its batch wait for it).", "# TYPE writ_audit_commit_seconds histogram");
      let cum = 0;
      commits.bounds.forEach((le, i) => {
        cum += commits.buckets[i];
        out.push(`writ_audit_commit_seconds_bucket{le="${le}"} ${cum}`);
      });
      out.push(`writ_audit_commit_seconds_bucket{le="+Inf"} ${commits.batches}`, `writ_audit_commit_seconds_sum ${commits.seconds}`, `writ_audit_commit_seconds_count ${commits.batches}`);
      out.push("# HELP writ_audit_committed_entries_total Entries made durable by group commits.", "# TYPE writ_audit_committed_entries_total counter", `writ_audit_committed_entries_total ${commits.entries}`);
    }
    out.push("# HELP writ_decisions_total Decisions answered, by verdict.", "# TYPE writ_decisions_total counter");
    for (const [v, n] of Object.entries(this.decisions)) out.push(`writ_decisions_total{decision="${v}"} ${n}`);
    out.push("# HELP writ_decide_errors_total Decide requests answered with an error status.", "# TYPE writ_decide_errors_total counter");
    for (const [s, n] of this.errors) out.push(`writ_decide_errors_total{status="${s}"} ${n}`);
    out.push("# HELP writ_decide_duration_seconds Time from request to answer inside the service.", "# TYPE writ_decide_duration_seconds histogram");
    let cumulative = 0;
    BUCKETS.forEach((le, i) => {
      cumulative += this.bucketCounts[i];
      out.push(`writ_decide_duration_seconds_bucket{le="${le}"} ${cumulative}`);
    });
    out.push(`writ_decide_duration_seconds_bucket{le="+Inf"} ${this.count}`);
    out.push(`writ_decide_duration_seconds_sum ${this.sum}`, `writ_decide_duration_seconds_count ${this.count}`);
    // samples of one gauge (by labels) share its HELP and TYPE lines, which
    // the text format allows once per metric (callers list them together)
    const described = new Set<string>();
    for (const g of gauges) {
      const labels = g.labels ? "{" + Object.entries(g.labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",") + "}" : "";
      if (!described.has(g.name)) {
        described.add(g.name);
        out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
      }
      out.push(`${g.name}${labels} ${g.value}`);
    }
    return out.join("\n") + "\n";
  }
}
