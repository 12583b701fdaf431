import { createSharedHandler } from '../aws/http.js';
import { accountTargets, checkRegionFor } from '../engine/enabled-regions.js';
import { parseRegionChoice, type RegionChoice } from '../engine/regions.js';
import { createSweepPool, DEFAULT_CONCURRENCY, fanOut, type FanOutOptions } from '../engine/fan-out.js';
import { parseShard, type Shard } from '../engine/shard.js';
import type { SelectedAccount } from '../engine/selection.js';
import type { FanOutStats, FanOutTarget, Job, TargetResult } from '../engine/types.js';
import { safeSessionName } from '../config/session-name.js';
import type { Credentials } from '../credentials/types.js';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { Broker } from '../sessions/broker-contract.js';
import type { OrgInventory } from '../engine/org-inventory.js';
import { planOf, resolveSelection, selectionProfile, selectionSpec, type SelectionOpts } from './account-selection.js';
import type { CliContext } from './cli-context.js';
import { sessionWithAccount } from './source-session.js';
import { endedByClosedStdout } from './closed-stdout.js';
import type { RunProgress } from './output/run-progress.js';
import { uncheckedWarning } from './output/unchecked-regions.js';

/** The flags every built-in sweep (`certs`, `audit trust`, `ami`) takes: `run`'s selection and engine settings. */
export interface SweepOpts extends SelectionOpts {
  regions?: string;
  allowNewRegions?: boolean;
  role: string;
  externalId?: string;
  concurrency?: number;
  timeout?: number;
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
  if (opts.concurrency !== undefined && !(opts.concurrency >= 1))
    throw new RolehopError(ErrorCodes.USAGE, '--concurrency must be a positive integer', { hint: 'For example --concurrency 16.' });
  if (opts.timeout !== undefined && !(opts.timeout > 0))
    throw new RolehopError(ErrorCodes.USAGE, '--timeout must be a positive number of seconds', { hint: 'For example --timeout 120.' });
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const { profile, defaulted } = selectionProfile(cli, opts);
  const spec = await selectionSpec(cli, opts);
  const broker = await cli.broker();
  const plan = planOf(broker, profile, defaulted);
  const given = parseRegionChoice(opts.regions, plan.region, { allowNew: !!opts.allowNewRegions });
  const regions: RegionChoice = { all: given.all, listed: [...new Set([...given.listed, ...(sweep.mustInclude ?? [])])] };
  const checkRegion = checkRegionFor(regions, plan.region);
  const { accounts, inventory } = await resolveSelection(cli, spec, {
    broker,
    profile,
    plan,
    region: checkRegion,
    ...(opts.refreshOrg ? { refresh: true } : {}),
  });
  // With its account id: sweeps tell our accounts from strangers' by it.
  const session = await sessionWithAccount(broker, profile, plan);
  return { broker, profile, plan, accounts, ...(inventory ? { inventory } : {}), regions, checkRegion, session, ...(shard ? { shard } : {}) };
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions<T> {
  /**
   * Default: every account × its regions, as `run` has them (see
   * `accountTargets`: `all` and listed opt-in regions are asked of each
   * account). A sweep of a global service passes one target per account.
   */
  targets?: FanOutTarget[];
  /** Called for each result as it arrives (print it, or collect it). */
  onResult: (r: TargetResult<T>) => void;
  /** Session name prefix, e.g. `rolehop-certs`. */
  sessionName: string;
}

/**
 * Runs a sweep's job on `run`'s engine with a progress bar on a terminal
 * (not with `--json`). Without `o.targets`, each account is first asked
 * for its regions when the choice needs it, on the same credential pool as
 * the job (one AssumeRole per account); accounts that cannot be asked get a
 * warning on stderr. Failed targets (a listed region an account has not
 * enabled among them) are results (the caller reports them); the stats say
 * how many. Returns undefined when stdout was closed or the command was
 * interrupted (the caller exits 141/130 without a summary).
 */
export async function runSweep<T>(cli: CliContext, opts: SweepOpts, setup: SweepSetup, job: Job<T>, o: RunSweepOptions<T>): Promise<FanOutStats | undefined> {
  const engine = {
    broker: setup.broker,
    profile: setup.profile,
    sourceSession: setup.session,
    role: opts.role,
    roleSessionName: safeSessionName(`${o.sessionName}-${cli.userName}`),
    ...(opts.externalId ? { externalId: opts.externalId } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.timeout ? { timeoutMs: Math.round(opts.timeout * 1000) } : {}),
    ...(setup.shard ? { shard: setup.shard } : {}),
    endpoints: setup.plan.endpoints,
    signal: cli.signal,
  };
  // As in run: one handler and one pool for asking the accounts their regions and for the job.
  const handler = createSharedHandler({ maxSockets: Math.max(50, (opts.concurrency ?? DEFAULT_CONCURRENCY) * 2) });
  const pool = createSweepPool(engine, handler);
  let progress: RunProgress | undefined;
  try {
    const targets = o.targets ?? (await regionalTargets(cli, setup, { ...engine, pool, handler }));
    const showBar = cli.screen.canShowStatus && !cli.json;
    const { startProgress } = showBar ? await import('./output/run-progress.js') : { startProgress: undefined };
    const run = fanOut(targets, job, {
      ...engine,
      pool,
      handler,
      // The regions are known by now: nothing else needs an account's credentials after its last target.
      releaseCredentials: true,
      onStart: (stats) => {
        if (startProgress && stats.total > 0) progress = startProgress(cli.screen, stats);
      },
    });
    try {
      for await (const r of run) o.onResult(r);
    } finally {
      progress?.stop();
    }
    if (endedByClosedStdout() || cli.signal.aborted) return undefined;
    return run.stats;
  } finally {
    handler.close();
  }
}

/** Every account × its regions for the setup's choice, with the warning for accounts that could not be asked. */
async function regionalTargets(cli: CliContext, setup: SweepSetup, options: FanOutOptions<string[]>): Promise<FanOutTarget[]> {
  const { targets, unchecked } = await accountTargets(setup.accounts, setup.regions, setup.checkRegion, options);
  if (unchecked.length) cli.stderr.write(uncheckedWarning(unchecked, setup.regions));
  return targets;
}
