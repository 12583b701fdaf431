// What the sweeps benchmark runs each sweep over, shared by the engine's
// side and the ceiling's (which must not load rolehop's jobs): the sweeps,
// their flags and their (account, region) targets.
import type { FanOutTarget } from '../../src/engine/types.js';

/** The sweeps measured, in report order. */
export const SWEEP_JOBS = ['audit-trust', 'certs', 'ami-create', 'ami-prune'] as const;
/** One of {@link SWEEP_JOBS}. */
export type SweepJobName = (typeof SWEEP_JOBS)[number];

/** Regions of every per-region sweep: us-east-1 (which `certs` always adds) and one other. */
export const BENCH_REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** `certs --days`. */
export const BENCH_DAYS = 30;
/** `ami prune --keep`. */
export const BENCH_KEEP = 1;
/** `ami create --filter`: the tag seed.ts puts on the instances to back up. */
export const BENCH_FILTER = { key: 'backup', value: 'daily' } as const;

/**
 * The targets of sweep `name` as its command makes them: one per account
 * in us-east-1 for `audit trust` (IAM is global), every account x
 * {@link BENCH_REGIONS} (account by account) for the others.
 */
export function sweepTargets(name: SweepJobName, accounts: readonly string[]): FanOutTarget[] {
  if (name === 'audit-trust') return accounts.map((account) => ({ account, region: 'us-east-1' }));
  return accounts.flatMap((account) => BENCH_REGIONS.map((region) => ({ account, region })));
}
