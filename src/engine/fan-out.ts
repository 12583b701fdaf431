import { setMaxListeners } from 'node:events';
import type { AssumePort, StsTarget } from '../aws/sts-port.js';
import type { Endpoints } from '../config/plan.js';
import { mapAwsError } from '../aws/map-error.js';
import { ErrorCodes, isRolehopError } from '../errors.js';
import { lazyBroker, type BrokerSource } from './broker-source.js';
import { isRetryableAwsError as isRetryable } from '../aws/map-error.js';
import { isThrottle, withAwsRetries } from '../aws/retry.js';
import type { JitterOptions } from '../async/retry.js';
import { CredentialPool } from './credential-pool.js';
import { createSharedHandler, type SharedHandler } from './http.js';
import { JournalWriter, readJournal, unitKey } from './journal.js';
import { roleArnFor } from '../aws/partition.js';
import { createRetryStrategy } from './retry-strategy.js';
import { inShard, type Shard } from './shard.js';
import {
  isCommandOutcome,
  type ClientConstructor,
  type FanOutStats,
  type FanOutTarget,
  type Job,
  type JobContext,
  type ResultError,
  type TargetResult,
} from './types.js';

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
  /** Role name (or ARN) to assume in each account; default OrganizationAccountAccessRole. */
  role?: string;
  externalId?: string;
  roleSessionName?: string;
  /** A pool to share with other sweeps or `forAccount` handles. */
  pool?: CredentialPool;
  /** STS port (tests, custom transports); default the SDK on the shared handler. */
  sts?: AssumePort | ((target: StsTarget) => AssumePort);
  /** Units in flight at once; default 32. */
  concurrency?: number;
  /** Per-target timeout (credentials + job); none by default. */
  timeoutMs?: number;
  signal?: AbortSignal;
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
  /** NDJSON journal: units done in it are skipped, finished units are appended. */
  journal?: string;
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

/** A running sweep: iterate it for results as they finish. */
export interface FanOutRun<T> extends AsyncIterable<TargetResult<T>> {
  /** Live counters. */
  readonly stats: FanOutStats;
  /** Runs to the end and returns every result (completion order). */
  all(): Promise<TargetResult<T>[]>;
}

const ENDPOINT_KEYS: Record<string, keyof Endpoints> = { STSClient: 'sts', IAMClient: 'iam', OrganizationsClient: 'organizations' };

function errorOf(e: unknown, stage: ResultError['stage']): ResultError {
  const err = isRolehopError(e)
    ? e
    : typeof e === 'object' && e !== null && ('$metadata' in e || '$fault' in e)
      ? mapAwsError(e, stage === 'credentials' ? 'AssumeRole' : 'Job')
      : undefined;
  if (err) {
    const awsCode = err.details?.awsCode;
    return { code: err.code, message: err.message, stage, ...(typeof awsCode === 'string' ? { awsCode } : {}) };
  }
  const message = e instanceof Error ? e.message : String(e);
  const code = typeof (e as { code?: unknown })?.code === 'string' && /^ERR_/.test((e as { code: string }).code) ? (e as { code: string }).code : 'ERR_JOB';
  return { code, message, stage };
}

/** Rejects with the signal's reason as soon as it aborts, whatever `p` does. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

class TimeoutMarker extends Error {}

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
 * `stats.total - stats.started`).
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
    let pool = options.pool;
    if (!pool) {
      const src = options.broker;
      if (!src) throw new TypeError('fanOut needs a broker or a pool');
      pool = new CredentialPool({
        broker: lazyBroker(src),
        profile: options.profile ?? 'default',
        handler,
        ...(options.sts ? { sts: options.sts } : {}),
        ...(options.stsRegion ? { stsRegion: options.stsRegion } : {}),
        ...(options.stsRatePerSecond ? { ratePerSecond: options.stsRatePerSecond } : {}),
        ...(options.externalId ? { externalId: options.externalId } : {}),
        ...(options.roleSessionName ? { roleSessionName: options.roleSessionName } : {}),
        ...(options.callAttempts ? { maxAttempts: options.callAttempts } : {}),
        ...backoff,
        onRetry: () => {},
      });
    }
    const credentialPool = pool;

    const done = options.journal ? await readJournal(options.journal) : new Set<string>();
    const units: FanOutTarget[] = [];
    for (const t of list) {
      if (!inShard(t.account, options.shard)) stats.outOfShard++;
      else if (done.has(unitKey(t.account, t.region))) stats.resumed++;
      else units.push(t);
    }
    stats.total = units.length;
    const journal = options.journal ? await JournalWriter.open(options.journal) : undefined;
    options.onStart?.(stats);

    const runUnit = async (u: FanOutTarget): Promise<TargetResult<T>> => {
      const t0 = performance.now();
      const unitAbort = new AbortController();
      setMaxListeners(0, unitAbort.signal);
      const timer = options.timeoutMs
        ? setTimeout(() => unitAbort.abort(new TimeoutMarker(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs)
        : undefined;
      const onStop = () => unitAbort.abort(stop.signal.reason);
      stop.signal.addEventListener('abort', onStop, { once: true });
      const signal = unitAbort.signal;
      const clients: { destroy?: () => void }[] = [];
      let attempts = 0;
      let retries = 0;
      let stage: ResultError['stage'] = 'credentials';
      const roleArn = roleArnFor(u.account, u.role ?? role, u.region);
      const base = { account: u.account, region: u.region, ...(u.name !== undefined ? { name: u.name } : {}) };
      const countRetry = (what: 'assume' | 'call' | 'job', e: unknown) => {
        retries++;
        onRetry(what, u.account, e);
      };
      try {
        // Counted per call: the pool is shared by every unit (and maybe other sweeps).
        const observer = { onAttempt: () => void stats.assumeCalls++, onRetry: (e: unknown) => countRetry('assume', e) };
        await raceAbort(credentialPool.get(roleArn, signal, observer), signal);
        stage = 'job';
        const strategy = createRetryStrategy({
          ...backoff,
          maxAttempts: options.callAttempts ?? 8,
          onRetry: (info) => countRetry('call', info.error ?? { name: info.errorType }),
        });
        const provider = credentialPool.provider(roleArn);
        const value = await withAwsRetries(
          (attempt) => {
            attempts = attempt;
            const ctx: JobContext = {
              account: u.account,
              region: u.region,
              name: u.name,
              roleArn,
              credentials: provider,
              signal,
              attempt,
              client<C>(ClientClass: ClientConstructor<C>, config?: Record<string, unknown>): C {
                const key = ENDPOINT_KEYS[ClientClass.name];
                const endpoint = key ? options.endpoints?.[key] : undefined;
                const c = new ClientClass({
                  region: u.region,
                  credentials: provider,
                  requestHandler: handler,
                  retryStrategy: strategy,
                  ...(endpoint ? { endpoint } : {}),
                  ...config,
                });
                clients.push(c as { destroy?: () => void });
                return c;
              },
            };
            return raceAbort(job(ctx), signal);
          },
          {
            ...backoff,
            maxAttempts: options.jobAttempts ?? 6,
            signal,
            retryIf: (e) => !signal.aborted && isRetryable(e),
            onRetry: (_n, e) => countRetry('job', e),
          },
        );
        const durationMs = Math.round(performance.now() - t0);
        if (isCommandOutcome(value)) {
          const ok = value.exitCode === 0;
          return {
            ...base,
            ok,
            exitCode: value.exitCode,
            durationMs,
            stdout: value.stdout,
            stderr: value.stderr,
            ...(ok ? {} : { error: { code: 'ERR_EXIT', message: value.signal ? `killed by ${value.signal}` : `exited with code ${value.exitCode}`, stage: 'job' as const } }),
            attempts,
            retries,
          };
        }
        return { ...base, ok: true, durationMs, ...(value !== undefined ? { value } : {}), attempts, retries };
      } catch (e) {
        const durationMs = Math.round(performance.now() - t0);
        let error: ResultError;
        if (signal.aborted && signal.reason instanceof TimeoutMarker) error = { code: ErrorCodes.TIMEOUT, message: signal.reason.message, stage };
        else if (signal.aborted) error = { code: ErrorCodes.ABORTED, message: 'stopped before finishing', stage };
        else error = errorOf(e, stage);
        return { ...base, ok: false, durationMs, error, attempts, retries };
      } finally {
        if (timer) clearTimeout(timer);
        stop.signal.removeEventListener('abort', onStop);
        // Ends any child process or request still tied to the unit.
        if (!signal.aborted) unitAbort.abort(new Error('unit finished'));
        for (const c of clients) {
          try {
            c.destroy?.();
          } catch {
            // best effort
          }
        }
      }
    };

    const ready: TargetResult<T>[] = [];
    let wake: (() => void) | undefined;
    let next = 0;
    const finish = (r: TargetResult<T>) => {
      stats.running--;
      stats.done++;
      if (r.ok) stats.ok++;
      else {
        stats.failed++;
        const code = r.error?.code ?? 'ERR_JOB';
        stats.byCode[code] = (stats.byCode[code] ?? 0) + 1;
      }
      ready.push(r);
      journal?.record({ account: r.account, region: r.region, ok: r.ok, at: new Date().toISOString() }).catch(() => {});
      options.onResult?.(r);
      launch();
      wake?.();
    };
    const launch = () => {
      while (stats.running < concurrency && next < units.length && !stop.signal.aborted) {
        const u = units[next++]!;
        stats.running++;
        stats.started++;
        void runUnit(u).then(finish);
      }
    };

    try {
      launch();
      while (stats.running > 0 || ready.length > 0) {
        if (ready.length) {
          yield ready.shift()!;
          continue;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      if (stats.running > 0 || next < units.length) {
        stats.aborted = true;
        stop.abort(new Error('stopped'));
        // Running units settle promptly (they race the abort); wait so the journal gets them.
        while (stats.running > 0) {
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      }
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
