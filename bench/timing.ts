// Shared timing helpers for the start-up benchmarks.
import { spawnSync } from 'node:child_process';

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time (ms) of `runs` runs of a command, after two warm-up runs; throws on a failed run. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  const out: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    if (i >= 2) out.push(ms); // warm-up runs fill the page cache
  }
  return median(out);
}
