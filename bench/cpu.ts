// CPU time (user + system) for the benchmarks, read from Linux /proc.
// The kernel keeps these counters in nanoseconds and converts them to clock
// ticks (normally 10 ms) only when the file is read, so a single reading is
// coarse but the mean of many before/after differences is not.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks: number | undefined;

/** Clock ticks per second of /proc's time fields (`getconf CLK_TCK`; 100 when it cannot be asked). */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      ticks = Number.isFinite(n) && n > 0 ? n : 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** Fields 3.. of /proc/<pid>/stat, or undefined when it cannot be read (not Linux, process gone). */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may hold spaces.
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** A process's CPU split, in ms. */
export interface CpuMs {
  userMs: number;
  systemMs: number;
}

function pair(fields: string[] | undefined, userField: number): CpuMs {
  // fields[0] is field 3 of the stat line, hence the offset.
  const tick = 1000 / clockTicksPerSecond();
  if (!fields) return { userMs: NaN, systemMs: NaN };
  return { userMs: Number(fields[userField - 3]) * tick, systemMs: Number(fields[userField - 2]) * tick };
}

/**
 * CPU used so far by this process's waited-for children (and the children
 * they waited for): fields 16 and 17 of /proc/self/stat, cutime and cstime.
 * A child counts only once it has been reaped, so take the difference around
 * a spawnSync call. NaN when /proc is not available.
 */
export function childrenCpuMs(): CpuMs {
  return pair(statFields('self'), 16);
}

/**
 * CPU used so far by the running process `pid` itself (all its threads):
 * fields 14 and 15 of /proc/<pid>/stat, utime and stime. NaN when the
 * process is gone or /proc is not available.
 */
export function processCpuMs(pid: number): CpuMs {
  return pair(statFields(pid), 14);
}

/** userMs + systemMs. */
export function totalMs(c: CpuMs): number {
  return c.userMs + c.systemMs;
}
