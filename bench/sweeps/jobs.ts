// The four built-in sweeps as the sweeps benchmark runs them on the engine:
// each job built with the options its command gives it (the benchmark's
// flags are in targets.ts), with the command's session-name prefix.
import type { FanOutTarget, Job } from '../../src/engine/types.js';
import { trustAuditJob } from '../../src/sweeps/trust/trust-job.js';
import { certsJob } from '../../src/sweeps/certs/certs-job.js';
import { amiCreateJob, amiPruneJob, newRunId, parseInstanceFilters } from '../../src/sweeps/ami/index.js';
import { BENCH_DAYS, BENCH_FILTER, BENCH_KEEP, sweepTargets, type SweepJobName } from './targets.js';

/** What the engine child runs for one sweep. */
export interface SweepJobSpec {
  job: Job<unknown[]>;
  targets: FanOutTarget[];
  /** The command's session-name prefix (`rolehop-certs`, …). */
  sessionName: string;
}

/**
 * The sweep `name` over `accounts`, built as its command builds it with
 * `--days 30`, `--filter tag:backup=daily --dry-run` or `--keep 1
 * --dry-run`; the trust audit knows every account as the organisation's.
 * `now` is the one clock of the run.
 */
export function sweepJob(name: SweepJobName, accounts: readonly string[], now: number): SweepJobSpec {
  const targets = sweepTargets(name, accounts);
  switch (name) {
    case 'audit-trust':
      return { job: trustAuditJob({ knownAccounts: new Set(accounts), allowedAccounts: new Set() }), targets, sessionName: 'rolehop-audit' };
    case 'certs':
      return { job: certsJob({ days: BENCH_DAYS, now: () => now, iamRegion: 'us-east-1' }), targets, sessionName: 'rolehop-certs' };
    case 'ami-create': {
      const filters = parseInstanceFilters([`tag:${BENCH_FILTER.key}=${BENCH_FILTER.value}`]);
      return { job: amiCreateJob({ filters, runId: newRunId(now), startedAt: now, dryRun: true }), targets, sessionName: 'rolehop-ami' };
    }
    case 'ami-prune':
      return { job: amiPruneJob({ keep: BENCH_KEEP, dryRun: true, now: () => now }), targets, sessionName: 'rolehop-ami' };
  }
}
