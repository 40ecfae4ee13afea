// CPU time a process has used, split into its main thread and the rest
// (signing thread, libuv's pool, V8's helpers), from /proc (Linux). On a
// shared machine the CPU a request costs moves far less with the load than
// its latency or the rate does, so the benchmark reports it per decision.
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on Linux)
const TICK_US = 10_000;

function ticks(path: string): number {
  const stat = readFileSync(path, "utf8");
  // fields after the command name (which may hold spaces) in parentheses
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // utime + stime
}

/** microseconds of CPU used so far by the main thread and by all others,
 *  or undefined where /proc is not there */
export function threadCpu(pid: number): { main: number; others: number } | undefined {
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let t = 0;
      try {
        t = ticks(`/proc/${pid}/task/${tid}/stat`) * TICK_US;
      } catch {
        continue; // the thread ended meanwhile
      }
      if (Number(tid) === pid) main = t;
      else others += t;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}
