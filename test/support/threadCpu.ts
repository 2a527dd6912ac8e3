import * as fs from 'fs';

/**
 * CPU time of this process's main thread alone, in milliseconds, without its worker threads
 * (`process.cpuUsage()` counts them all): B4 judges what the extension host's main thread spends
 * while the page worker reads pages. Read from Linux's per-thread statistics (10 ms ticks);
 * undefined elsewhere.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * TICK_MS : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ is 100 on every Linux build Node supports. */
const TICK_MS = 10;
