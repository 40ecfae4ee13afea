// Holds the engine decisions use now and swaps it atomically: a new bundle is
// loaded and verified completely before the reference changes, so a decision
// sees either the old bundle or the new one, never a mix; when loading or
// verifying fails the old engine stays. Swaps and refusals are reported so the
// service can audit them.
import { watchFile, unwatchFile } from "node:fs";
import type { PolicyEngine } from "./engine.js";

export type EngineEvent =
  | { kind: "loaded"; revision: string; digest: string; previous?: { revision: string; digest: string } }
  | { kind: "rejected"; error: string; kept?: { revision: string; digest: string } };

export class EngineHolder {
  private watched: string | undefined;
  private reloading: Promise<EngineEvent> | undefined;
  private again = false;

  private constructor(
    public current: PolicyEngine,
    private readonly load: () => Promise<PolicyEngine>,
    private readonly onEvent: (e: EngineEvent) => void,
  ) {}

  /** Loads the first engine; throws (refusing to start) when that fails. */
  static async start(load: () => Promise<PolicyEngine>, onEvent: (e: EngineEvent) => void = () => {}): Promise<EngineHolder> {
    const engine = await load();
    const holder = new EngineHolder(engine, load, onEvent);
    onEvent({ kind: "loaded", revision: engine.revision, digest: engine.digest });
    return holder;
  }

  /** Loads again; swaps on success, keeps the current engine on failure.
   *  Concurrent calls coalesce (a change during a load triggers one more). */
  reload(): Promise<EngineEvent> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      let event: EngineEvent;
      do {
        this.again = false;
        const previous = { revision: this.current.revision, digest: this.current.digest };
        try {
          const engine = await this.load();
          if (engine.digest === previous.digest) {
            event = { kind: "loaded", revision: engine.revision, digest: engine.digest, previous };
            continue; // same bundle: nothing to swap or report
          }
          this.current = engine;
          event = { kind: "loaded", revision: engine.revision, digest: engine.digest, previous };
        } catch (err) {
          event = { kind: "rejected", error: err instanceof Error ? err.message : String(err), kept: previous };
        }
        this.onEvent(event);
      } while (this.again);
      this.reloading = undefined;
      return event!;
    })();
    return this.reloading;
  }

  /** Reloads whenever the file changes (stat polling: survives editors and
   *  `mv new.tar.gz bundle.tar.gz`, which replace the inode). */
  watch(path: string, intervalMs = 500): void {
    this.watched = path;
    watchFile(path, { interval: intervalMs, persistent: false }, (cur, prev) => {
      if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) void this.reload();
    });
  }

  close(): void {
    if (this.watched) unwatchFile(this.watched);
  }
}
