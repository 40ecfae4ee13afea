// One hook process: read the payload on stdin, ask writ, answer on stdout
// and the exit code. Whatever goes wrong — stdin that never closes, a
// crash, a rejected promise — the process still ends with the harness's
// blocking answer, because the harness would take a crash (exit 1) or a
// timeout as "go ahead".
import { readFileSync, writeSync } from "node:fs";
import { answerHook, safeBlock, type Adapter, type HookAnswer, type HookOptions } from "./adapter.js";
import { fileApprovalMemory } from "./approval-memory.js";
import { httpDecider, preconnect, type DecideFn } from "./client.js";

export interface RunHookOptions extends HookOptions {
  url: string;
  token?: string;
  timeoutMs: number;
  /** the event, for harnesses that do not put it in the payload */
  hookEvent?: string;
  /** answer with this decider instead of HTTP (tests) */
  decide?: DecideFn;
  /** remember approvals across processes (default true) */
  rememberApprovals?: boolean;
}

/** Runs the hook and exits the process with the answer. */
export async function runHook(adapter: Adapter, o: RunHookOptions): Promise<never> {
  let done = false;
  const finish = (a: HookAnswer): never => {
    if (!done) {
      done = true;
      write(1, a.stdout);
      write(2, a.stderr);
    }
    process.exit(a.exitCode);
  };
  const fail = (why: string) => finish(safeBlock(adapter, why, undefined));
  process.on("uncaughtException", (e) => fail(`writ hook crashed: ${e.message}`));
  process.on("unhandledRejection", (e) => fail(`writ hook crashed: ${e instanceof Error ? e.message : String(e)}`));
  // a watchdog past writ's own timeout: stdin that never closes, anything
  const watchdog = setTimeout(() => fail(`the hook did not finish within ${o.timeoutMs + 1000} ms`), o.timeoutMs + 1000);
  watchdog.unref();

  // the connection to writ opens while the payload is read and normalized
  if (!o.decide) preconnect(o.url);
  const text = await readStdin();
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    const event = o.hookEvent;
    return finish(safeBlock(adapter, `the hook payload on stdin is not JSON (${text.length} bytes)`, event));
  }
  const decide = o.decide ?? httpDecider({ url: o.url, token: o.token, timeoutMs: o.timeoutMs });
  const memory = o.rememberApprovals === false ? undefined : fileApprovalMemory();
  const answer = await answerHook(adapter, payload, decide, o, memory, o.hookEvent);
  return finish(answer);
}

/** All of stdin. A blocking read of fd 0 is the fastest way; a stdin left
 *  non-blocking by the parent (EAGAIN) is read as a stream instead. */
async function readStdin(): Promise<string> {
  try {
    return readFileSync(0, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function write(fd: number, s: string): void {
  let buf = Buffer.from(s);
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") continue;
      return; // EPIPE: nobody is listening any more
    }
  }
}
