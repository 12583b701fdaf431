import { parseRegions } from '../engine/regions.js';
import { fanOut } from '../engine/fan-out.js';
import { parseShard, type Shard } from '../engine/shard.js';
import { toTargets, type SelectedAccount } from '../engine/selection.js';
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
  regions: string[];
  session: Credentials;
  /** Parsed `--shard`. */
  shard?: Shard;
}

/**
 * Checks the flags, resolves the selection and the regions (`mustInclude`
 * is added: us-east-1 for CloudFront's certificates) and obtains the source
 * session once, before any account: a source that cannot give one fails
 * the command with its own error.
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
  const given = parseRegions(opts.regions, plan.region, { allowNew: !!opts.allowNewRegions });
  const regions = [...new Set([...given, ...(sweep.mustInclude ?? [])])];
  const { accounts, inventory } = await resolveSelection(cli, spec, {
    broker,
    profile,
    plan,
    region: regions[0],
    ...(opts.refreshOrg ? { refresh: true } : {}),
  });
  // With its account id: sweeps tell our accounts from strangers' by it.
  const session = await sessionWithAccount(broker, profile, plan);
  return { broker, profile, plan, accounts, ...(inventory ? { inventory } : {}), regions, session, ...(shard ? { shard } : {}) };
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions<T> {
  /** Default: every account × every region. A sweep of a global service passes one target per account. */
  targets?: FanOutTarget[];
  /** Called for each result as it arrives (print it, or collect it). */
  onResult: (r: TargetResult<T>) => void;
  /** Session name prefix, e.g. `rolehop-certs`. */
  sessionName: string;
}

/**
 * Runs a sweep's job on `run`'s engine with a progress bar on a terminal
 * (not with `--json`). Failed targets are results (the caller reports them);
 * the stats say how many. Returns undefined when stdout was closed or the
 * command was interrupted (the caller exits 141/130 without a summary).
 */
export async function runSweep<T>(cli: CliContext, opts: SweepOpts, setup: SweepSetup, job: Job<T>, o: RunSweepOptions<T>): Promise<FanOutStats | undefined> {
  const showBar = cli.screen.canShowStatus && !cli.json;
  const { startProgress } = showBar ? await import('./output/run-progress.js') : { startProgress: undefined };
  let progress: RunProgress | undefined;
  const run = fanOut(o.targets ?? toTargets(setup.accounts, setup.regions), job, {
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
}
