import { setMaxListeners } from 'node:events';
import type { AssumePort, StsTarget } from '../aws/sts-port.js';
import type { Endpoints } from '../config/plan.js';
import { roleArnFor } from '../aws/partition.js';
import { isThrottle } from '../aws/retry.js';
import type { JitterOptions } from '../async/retry.js';
import { lazyBroker, type BrokerSource } from './broker-source.js';
import { CredentialPool } from './credential-pool.js';
import type { Credentials } from '../credentials/types.js';
import { createSharedHandler, type SharedHandler } from '../aws/http.js';
import { JournalWriter, readJournal, unitKey } from './journal.js';
import { inShard, type Shard } from './shard.js';
import { slidingWindow } from './sliding-window.js';
import { runTarget } from './target-unit.js';
import type { FanOutStats, FanOutTarget, Job, TargetResult } from './types.js';

/** Default role: what Organizations creates in every account it creates. */
export const DEFAULT_ROLE = 'OrganizationAccountAccessRole';
/** Default concurrency: tens, like awsrun (10) and botocove (20); moto saturates near 8. */
export const DEFAULT_CONCURRENCY = 32;

/** Options of {@link fanOut}. */
export interface FanOutOptions<T = unknown> {
  /** Source of the MFA session; required unless `pool` is given. */
  broker?: BrokerSource;
  /** Source profile; default "default". */
  profile?: string;
  /** The source profile's session, if the caller already has it: used while it has life left, so the broker is not asked twice. */
  sourceSession?: Credentials;
  /** Role name (or ARN) to assume in each account; default OrganizationAccountAccessRole. */
  role?: string;
  externalId?: string;
  roleSessionName?: string;
  /** A pool to share with other sweeps or `forAccount` handles. */
  pool?: CredentialPool;
  /**
   * Drop each account's credentials from the pool once its last target is
   * done. Default: true for the pool the sweep builds itself, false for a
   * `pool` passed in (others may still need it).
   */
  releaseCredentials?: boolean;
  /** STS port (tests, custom transports); default the SDK on the shared handler. */
  sts?: AssumePort | ((target: StsTarget) => AssumePort);
  /** Units in flight at once; default 32. */
  concurrency?: number;
  /** Per-target timeout (credentials + job); none by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Once aborted, no further target is launched, but running ones are not
   * aborted: for jobs that change things and watch this signal themselves,
   * finishing the change they are in (Ctrl-C in `ami create`). `signal` still
   * stops everything at once.
   */
  drain?: AbortSignal;
  /** Runs of a job that failed with a retryable error (throttling, 5xx); default 6. */
  jobAttempts?: number;
  /** Attempts per SDK call made through `ctx.client`, and per AssumeRole; default 8. */
  callAttempts?: number;
  /** Client-side AssumeRole rate per (caller account, STS region); default 500/s. */
  stsRatePerSecond?: number;
  /** STS region override. */
  stsRegion?: string;
  /** Keep only this shard of the accounts. */
  shard?: Shard;
  /**
   * NDJSON journal: units done in it are skipped. A unit's outcome is
   * appended once the consumer has taken its result (asked for the next
   * one, or let the iteration end), so a result the consumer failed to
   * write is never recorded as done.
   */
  journal?: string;
  /**
   * Turns each job's value into the result's value (the CLI makes it JSON
   * here, see `jsonValue`); a throw makes that target fail with the error.
   */
  prepareValue?: (value: T) => T;
  /** Custom endpoints for clients built by `ctx.client` (moto, VPC endpoints). */
  endpoints?: Endpoints;
  /** A handler to share; default one keep-alive handler with maxSockets >= concurrency. */
  handler?: SharedHandler;
  backoff?: JitterOptions;
  /** Called once the work list is known. */
  onStart?: (stats: FanOutStats) => void;
  /** Called for every result, in completion order (alternative to iterating). */
  onResult?: (result: TargetResult<T>) => void;
  /** Called on every retry (progress displays). */
  onRetry?: (what: 'assume' | 'call' | 'job', account: string, error: unknown) => void;
}

/**
 * The credential pool {@link fanOut} builds when it is given none: made
 * apart so that sweeps run one after the other (asking each account for its
 * regions, then the job) share it, and so one AssumeRole per account. Throws
 * a TypeError without `options.broker`.
 */
export function createSweepPool(
  options: Pick<
    FanOutOptions,
    'broker' | 'profile' | 'sourceSession' | 'sts' | 'stsRegion' | 'stsRatePerSecond' | 'externalId' | 'roleSessionName' | 'callAttempts' | 'backoff'
  >,
  handler: SharedHandler,
): CredentialPool {
  const src = options.broker;
  if (!src) throw new TypeError('fanOut needs a broker or a pool');
  return new CredentialPool({
    broker: lazyBroker(src),
    profile: options.profile ?? 'default',
    ...(options.sourceSession ? { sourceSession: options.sourceSession } : {}),
    handler,
    ...(options.sts ? { sts: options.sts } : {}),
    ...(options.stsRegion ? { stsRegion: options.stsRegion } : {}),
    ...(options.stsRatePerSecond ? { ratePerSecond: options.stsRatePerSecond } : {}),
    ...(options.externalId ? { externalId: options.externalId } : {}),
    ...(options.roleSessionName ? { roleSessionName: options.roleSessionName } : {}),
    ...(options.callAttempts ? { maxAttempts: options.callAttempts } : {}),
    ...options.backoff,
    onRetry: () => {},
  });
}

/** A running sweep: iterate it for results as they finish. */
export interface FanOutRun<T> extends AsyncIterable<TargetResult<T>> {
  /** Live counters. */
  readonly stats: FanOutStats;
  /** Runs to the end and returns every result (completion order). */
  all(): Promise<TargetResult<T>[]>;
}

/**
 * Runs `job` once per target, `concurrency` at a time in a sliding window
 * (no batch barriers), and streams one {@link TargetResult} per started
 * target as it finishes. Never fails on a target's error: failures are
 * results. Credentials come from one {@link CredentialPool}: one AssumeRole
 * per account reused across regions, one MFA session for the sweep.
 *
 * Abort (`signal`, or breaking out of the iteration) stops launching new
 * targets and aborts running ones promptly; they are reported with
 * `ERR_ABORTED`, targets never started are not reported (see
 * `stats.total - stats.started`). `drain` only stops the launching.
 */
export function fanOut<T>(targets: Iterable<FanOutTarget>, job: Job<T>, options: FanOutOptions<T> = {}): FanOutRun<T> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const stats: FanOutStats = {
    total: 0,
    outOfShard: 0,
    resumed: 0,
    started: 0,
    done: 0,
    ok: 0,
    failed: 0,
    running: 0,
    retries: 0,
    throttles: 0,
    assumeCalls: 0,
    byCode: {},
    aborted: false,
    startedAt: Date.now(),
  };
  const list = [...targets];

  async function* run(): AsyncGenerator<TargetResult<T>> {
    const stop = new AbortController();
    // One listener per running unit: concurrency is routinely above the default warning level of 10.
    setMaxListeners(0, stop.signal);
    const outer = options.signal;
    const onOuter = () => stop.abort(outer!.reason ?? new Error('aborted'));
    if (outer?.aborted) onOuter();
    outer?.addEventListener('abort', onOuter, { once: true });

    // Close what this sweep created, and only that: job clients use the handler even when a pool is passed.
    const ownHandler = !options.handler;
    const handler = options.handler ?? createSharedHandler({ maxSockets: Math.max(50, concurrency * 2) });
    const role = options.role ?? DEFAULT_ROLE;
    const backoff = options.backoff ?? {};
    const onRetry = (what: 'assume' | 'call' | 'job', account: string, e: unknown) => {
      stats.retries++;
      if (isThrottle(e)) stats.throttles++;
      options.onRetry?.(what, account, e);
    };
    const credentialPool = options.pool ?? createSweepPool(options, handler);

    const done = options.journal ? await readJournal(options.journal) : new Set<string>();
    const units: FanOutTarget[] = [];
    for (const t of list) {
      if (!inShard(t.account, options.shard)) stats.outOfShard++;
      else if (done.has(unitKey(t.account, t.region))) stats.resumed++;
      else units.push(t);
    }
    stats.total = units.length;
    // Targets left per role ARN: the last one done lets the pool forget that account.
    const release = options.releaseCredentials ?? !options.pool;
    const left = new Map<string, number>();
    const roleOf = (u: FanOutTarget) => roleArnFor(u.account, u.role ?? role, u.region);
    if (release) for (const u of units) left.set(roleOf(u), (left.get(roleOf(u)) ?? 0) + 1);
    const unitDone = (u: FanOutTarget) => {
      if (!release) return;
      const arn = roleOf(u);
      const n = (left.get(arn) ?? 1) - 1;
      if (n > 0) left.set(arn, n);
      else {
        left.delete(arn);
        credentialPool.forget(arn);
      }
    };
    const journal = options.journal ? await JournalWriter.open(options.journal) : undefined;
    options.onStart?.(stats);

    const results = slidingWindow(
      units,
      (u) =>
        runTarget(u, {
          job,
          pool: credentialPool,
          handler,
          role,
          backoff,
          stop: stop.signal,
          onAssumeAttempt: () => void stats.assumeCalls++,
          onRetry,
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.jobAttempts !== undefined ? { jobAttempts: options.jobAttempts } : {}),
          ...(options.callAttempts !== undefined ? { callAttempts: options.callAttempts } : {}),
          ...(options.endpoints ? { endpoints: options.endpoints } : {}),
          ...(options.prepareValue ? { prepareValue: options.prepareValue } : {}),
        }).then((r) => {
          unitDone(u);
          return r;
        }),
      {
        concurrency,
        signal: options.drain ? AbortSignal.any([stop.signal, options.drain]) : stop.signal,
        onLaunch: () => {
          stats.running++;
          stats.started++;
        },
        onSettle: (r) => {
          stats.running--;
          stats.done++;
          if (r.ok) stats.ok++;
          else {
            stats.failed++;
            const code = r.error?.code ?? 'ERR_JOB';
            stats.byCode[code] = (stats.byCode[code] ?? 0) + 1;
          }
          options.onResult?.(r);
        },
        stopUnits: () => {
          stats.aborted = true;
          stop.abort(new Error('stopped'));
        },
      },
    );

    try {
      for await (const r of results) {
        yield r;
        // Back here only once the consumer took r without throwing.
        await journal?.record({ account: r.account, region: r.region, ok: r.ok, at: new Date().toISOString() }).catch(() => {});
      }
    } finally {
      if (stop.signal.aborted) stats.aborted = true;
      outer?.removeEventListener('abort', onOuter);
      stats.finishedAt = Date.now();
      await journal?.close();
      if (ownHandler) handler.close();
    }
  }

  return {
    stats,
    [Symbol.asyncIterator]: () => run(),
    async all() {
      const out: TargetResult<T>[] = [];
      for await (const r of run()) out.push(r);
      return out;
    },
  };
}
