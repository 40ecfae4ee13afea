// Optional forwarding of audit entries to an HTTP sink (e.g. a log
// collector on another machine, out of the agent's reach). Entries go after
// they are durable, in batches, as a JSON array (POST, application/json);
// a failed POST is retried with back-off. The local log stays the record:
// the queue is bounded and its overflow is counted, not kept.
export class AuditForwarder {
  private queue: string[] = [];
  private sending = false;
  private timer: NodeJS.Timeout;
  private backoffMs = 0;
  forwarded = 0;
  dropped = 0;
  lastError: string | undefined;

  constructor(
    private readonly url: string,
    private readonly opts: { batch?: number; intervalMs?: number; maxQueue?: number; headers?: Record<string, string> } = {},
  ) {
    this.timer = setInterval(() => void this.send(), opts.intervalMs ?? 1000);
    this.timer.unref();
  }

  get pending(): number {
    return this.queue.length;
  }

  push(lines: string[]): void {
    const max = this.opts.maxQueue ?? 100_000;
    for (const l of lines) {
      if (this.queue.length >= max) this.dropped++;
      else this.queue.push(l);
    }
  }

  async send(): Promise<void> {
    if (this.sending || this.queue.length === 0) return;
    if (this.backoffMs > 0) {
      this.backoffMs = Math.max(0, this.backoffMs - (this.opts.intervalMs ?? 1000));
      return;
    }
    this.sending = true;
    const batch = this.queue.slice(0, this.opts.batch ?? 500);
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...this.opts.headers },
        body: "[" + batch.map((l) => l.trimEnd()).join(",") + "]",
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`sink answered ${res.status}`);
      this.queue.splice(0, batch.length);
      this.forwarded += batch.length;
      this.lastError = undefined;
      this.backoffMs = 0;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.backoffMs = Math.min(60_000, Math.max(1000, this.backoffMs * 2 || 1000));
    } finally {
      this.sending = false;
    }
  }

  /** Tries once more to empty the queue, then stops. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.backoffMs = 0;
    await this.send();
  }
}
