// CPU time a process has used, split into its main thread and the rest
// (signing thread, libuv's pool, V8's helpers), from /proc (Linux). On a
// shared machine the CPU a request costs moves far less with the load than
// its latency or the rate does, so the benchmark reports it per decision.
//
// The times come from /proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU,
// and nanoseconds spent runnable but waiting for one. utime/stime in
// /proc/<pid>/stat are sampled at the tick and under-counted a busy event
// loop by ~40% on the 2-core VM (59% against schedstat's exact 83%); they
// are the fallback where schedstat is missing.
import { readdirSync, readFileSync } from "node:fs";

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on Linux)
const TICK_US = 10_000;

/** [on a CPU, waiting for a CPU] in µs */
function threadTimes(dir: string): [number, number] {
  try {
    const [on, wait] = readFileSync(`${dir}/schedstat`, "utf8").split(" ").map(Number);
    if (Number.isFinite(on) && Number.isFinite(wait)) return [on / 1000, wait / 1000];
  } catch {
    // no schedstat (kernel without CONFIG_SCHED_INFO): ticks below
  }
  const stat = readFileSync(`${dir}/stat`, "utf8");
  // fields after the command name (which may hold spaces) in parentheses
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [(Number(f[11]) + Number(f[12])) * TICK_US, 0]; // utime + stime
}

/** microseconds of CPU used so far by the main thread and by all others,
 *  and how long the main thread was runnable but waited for a CPU (another
 *  thread or process had it), or undefined where /proc is not there */
export function threadCpu(pid: number): { main: number; others: number; mainWaited: number } | undefined {
  try {
    let main = 0;
    let others = 0;
    let mainWaited = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let t: [number, number];
      try {
        t = threadTimes(`/proc/${pid}/task/${tid}`);
      } catch {
        continue; // the thread ended meanwhile
      }
      if (Number(tid) === pid) [main, mainWaited] = t;
      else others += t[0];
    }
    return { main, others, mainWaited };
  } catch {
    return undefined;
  }
}
