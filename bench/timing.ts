// Shared timing helpers for the start-up benchmarks.
import { spawnSync } from 'node:child_process';

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One command to time: binary, arguments and its complete environment. */
export interface Timed {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

function once(t: Timed): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(t.cmd, t.args, { env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${t.args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

/**
 * Median wall times (ms) of several commands run in turn, A B C A B C ...,
 * `runs` times each after two warm-up rounds: on a shared, noisy machine a
 * slow spell then hits every command alike, so their ratios stay honest.
 */
export function timeInterleaved(commands: Timed[], runs: number): number[] {
  const samples = commands.map(() => [] as number[]);
  for (let i = 0; i < runs + 2; i++) {
    commands.forEach((c, j) => {
      const ms = once(c);
      if (i >= 2) samples[j]!.push(ms); // warm-up rounds fill the page cache
    });
  }
  return samples.map(median);
}

/** Median wall time (ms) of `runs` runs of one command, after two warm-up runs; throws on a failed run. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  return timeInterleaved([{ cmd, args, env }], runs)[0]!;
}
