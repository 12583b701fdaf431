// Shared timing helpers for the start-up benchmarks: wall time and CPU time
// (user + system) of commands run with spawnSync.
import { spawnSync } from 'node:child_process';
import { childrenCpuMs, clockTicksPerSecond, totalMs } from './cpu.js';

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The arithmetic mean of a list of numbers. */
export function mean(xs: number[]): number {
  return xs.reduce((a, x) => a + x, 0) / xs.length;
}

/** One command to time: binary, arguments and its complete environment. */
export interface Timed {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Runs before each timed run, outside the timing (emptying a cache). */
  before?: () => void;
}

/** What {@link measureInterleaved} reports for one command. */
export interface Measured {
  /** Median wall time, ms. */
  wallMs: number;
  /**
   * Mean CPU time (user + system) of the command's process and of the
   * processes it waited for, ms. A mean, not a median: Linux reports the
   * counters in clock ticks (10 ms at 100 Hz), too coarse for the median of
   * runs that take a few ticks, while the mean of many differences is not.
   */
  cpuMs: number;
  /** Mean user part of cpuMs, ms (the split is sampled by the kernel; the sum is exact). */
  userMs: number;
  /** Mean system part of cpuMs, ms. */
  systemMs: number;
  /** Mean CPU time the `daemonCpuMs` probe's process used during each run, ms; absent without a probe. */
  daemonCpuMs?: number;
}

/** Options of {@link measureInterleaved}. */
export interface MeasureOptions {
  /**
   * Cumulative CPU ms of a long-lived process the commands talk to (an
   * agent): read before and after every run, so its share is reported too.
   */
  daemonCpuMs?: () => number;
}

interface Sample {
  wallMs: number;
  userMs: number;
  systemMs: number;
  daemonMs: number;
}

function once(t: Timed, daemon: (() => number) | undefined): Sample {
  t.before?.();
  const d0 = daemon?.() ?? 0;
  const c0 = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(t.cmd, t.args, { env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  // spawnSync has reaped the child, so its CPU is in the counters now.
  const c1 = childrenCpuMs();
  const d1 = daemon?.() ?? 0;
  if (r.status !== 0) throw new Error(`${t.args.join(' ')} failed: ${r.stderr}`);
  return { wallMs, userMs: c1.userMs - c0.userMs, systemMs: c1.systemMs - c0.systemMs, daemonMs: d1 - d0 };
}

/**
 * Wall and CPU times of several commands run in turn, A B C A B C ...,
 * `runs` times each after two warm-up rounds: on a shared, noisy machine a
 * slow spell then hits every command alike, so their ratios stay honest.
 * Throws on a failed run. CPU is NaN where /proc is not available.
 */
export function measureInterleaved(commands: Timed[], runs: number, opts: MeasureOptions = {}): Measured[] {
  clockTicksPerSecond(); // ask getconf before the first timed run
  const samples = commands.map(() => [] as Sample[]);
  for (let i = 0; i < runs + 2; i++) {
    commands.forEach((c, j) => {
      const s = once(c, opts.daemonCpuMs);
      if (i >= 2) samples[j]!.push(s); // warm-up rounds fill the page cache
    });
  }
  return samples.map((xs) => {
    const userMs = mean(xs.map((s) => s.userMs));
    const systemMs = mean(xs.map((s) => s.systemMs));
    return {
      wallMs: median(xs.map((s) => s.wallMs)),
      cpuMs: totalMs({ userMs, systemMs }),
      userMs,
      systemMs,
      ...(opts.daemonCpuMs ? { daemonCpuMs: mean(xs.map((s) => s.daemonMs)) } : {}),
    };
  });
}

/** Median wall times (ms) only, as {@link measureInterleaved} measures them. */
export function timeInterleaved(commands: Timed[], runs: number): number[] {
  return measureInterleaved(commands, runs).map((m) => m.wallMs);
}

/** Median wall time (ms) of `runs` runs of one command, after two warm-up runs; throws on a failed run. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  return timeInterleaved([{ cmd, args, env }], runs)[0]!;
}
