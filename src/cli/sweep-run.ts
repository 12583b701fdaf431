import type { RegionChoice } from '../engine/regions.js';
import { parseShard, type Shard } from '../engine/shard.js';
import type { SelectedAccount } from '../engine/selection.js';
import type { FanOutStats, FanOutTarget, Job, TargetResult } from '../engine/types.js';
import type { Credentials } from '../credentials/types.js';
import type { Broker } from '../sessions/broker-contract.js';
import type { OrgInventory } from '../engine/org-inventory.js';
import { selectionProfile } from './account-selection.js';
import type { CliContext } from './cli-context.js';
import { sessionWithAccount } from './source-session.js';
import { checkEngineFlags, engineOptions, type EngineFlags } from './fanout/engine-options.js';
import { howItEnded } from './fanout/fan-out-end.js';
import { printSweepFailure } from './fanout/print-result.js';
import { resolveRegionalSelection, type RegionalSelectionOpts } from './fanout/regional-selection.js';
import { regionTargets } from './fanout/region-targets.js';
import { streamResults } from './fanout/stream-results.js';

/** The flags every built-in sweep (`certs`, `audit trust`, `ami`) takes: `run`'s selection and engine settings. */
export interface SweepOpts extends RegionalSelectionOpts, Omit<EngineFlags, 'stsRate'> {
  /** `--shard i/n`: only the accounts of that shard (a CI matrix job). */
  shard?: string;
}

/** What a sweep runs over: the accounts, the regions and the source session, asked for once. */
export interface SweepSetup {
  broker: Broker;
  profile: string;
  plan: ReturnType<Broker['plan']>;
  accounts: SelectedAccount[];
  /** The Organizations inventory, when the selection needed it (`--org`, `--ou`, `--tag`). */
  inventory?: OrgInventory;
  /** `--regions` with `mustInclude` added to the listed ones; `all` is asked of each account when the sweep runs. */
  regions: RegionChoice;
  /** Where each account is asked for its enabled regions, and the selection reads Organizations. */
  checkRegion: string;
  session: Credentials;
  /** Parsed `--shard`. */
  shard?: Shard;
}

/**
 * Checks the flags, resolves the selection and the regions (`mustInclude`
 * is added to the listed ones, with or without `all`: us-east-1 for
 * CloudFront's certificates) and obtains the source session once, before
 * any account: a source that cannot give one fails the command with its
 * own error. No account is asked for its regions yet: {@link runSweep} does.
 */
export async function sweepSetup(cli: CliContext, opts: SweepOpts, sweep: { mustInclude?: string[] } = {}): Promise<SweepSetup> {
  checkEngineFlags(opts);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const { profile, defaulted } = selectionProfile(cli, opts);
  const { broker, plan, accounts, inventory, regions, checkRegion } = await resolveRegionalSelection(cli, opts, { profile, defaulted }, sweep.mustInclude);
  // With its account id: sweeps tell our accounts from strangers' by it.
  const session = await sessionWithAccount(broker, profile, plan);
  return { broker, profile, plan, accounts, ...(inventory ? { inventory } : {}), regions, checkRegion, session, ...(shard ? { shard } : {}) };
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions<T> {
  /**
   * Default: every account × its regions, as `run` has them (see
   * `regionTargets`: `all` and listed opt-in regions are asked of each
   * account). A sweep of a global service passes one target per account.
   */
  targets?: FanOutTarget[];
  /** Called for each target that succeeded, as it arrives (print it, or collect it). */
  onValue: (r: TargetResult<T>) => void;
  /** Session name prefix, e.g. `rolehop-certs`. */
  sessionName: string;
  /** Let running targets finish on Ctrl-C (see `StreamPlan.drain`); the outcome is then returned, marked `interrupted`. */
  drain?: boolean;
}

/** What a sweep that ran to the end gave besides its values. */
export interface SweepOutcome<T> {
  stats: FanOutStats;
  /** The targets it could not cover, in the order they finished (already printed). */
  failed: TargetResult<T>[];
  /** With `drain`: Ctrl-C stopped it; `stats.total - stats.started` targets were not started. */
  interrupted?: boolean;
}

/**
 * Runs a sweep's job on `run`'s engine with a progress bar on a terminal
 * (not with `--json`). Without `o.targets`, each account is first asked
 * for its regions when the choice needs it, on the same credential pool as
 * the job (one AssumeRole per account); accounts that cannot be asked get a
 * warning on stderr. Each failed target (a listed region an account has not
 * enabled among them) is printed as it arrives ({@link printSweepFailure})
 * and returned; each other one goes to `o.onValue`. Returns undefined when
 * stdout was closed or the command was interrupted (the caller exits
 * 141/130 without a summary), except that with `o.drain` an interrupted
 * sweep returns its outcome marked `interrupted`.
 */
export async function runSweep<T>(
  cli: CliContext,
  opts: SweepOpts,
  setup: SweepSetup,
  job: Job<T>,
  o: RunSweepOptions<T>,
): Promise<SweepOutcome<T> | undefined> {
  const engine = engineOptions(cli, opts, {
    broker: setup.broker,
    profile: setup.profile,
    sourceSession: setup.session,
    endpoints: setup.plan.endpoints,
    ...(setup.shard ? { shard: setup.shard } : {}),
    sessionName: o.sessionName,
  });
  const failed: TargetResult<T>[] = [];
  const stats = await streamResults(cli, engine, job, {
    targets: (shared) => o.targets ?? regionTargets(cli, setup, shared),
    onResult: (r) => {
      if (r.ok) {
        o.onValue(r);
        return;
      }
      failed.push(r);
      printSweepFailure(cli, r);
    },
    ...(o.drain ? { drain: true } : {}),
  });
  const end = howItEnded(cli);
  if (end === 'finished') return { stats, failed };
  return end === 'interrupted' && o.drain ? { stats, failed, interrupted: true } : undefined;
}
