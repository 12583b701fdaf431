import { setMaxListeners } from 'node:events';
import type { Endpoints } from '../config/plan.js';
import { isRetryableAwsError as isRetryable } from '../aws/map-error.js';
import { withAwsRetries } from '../aws/retry.js';
import type { JitterOptions } from '../async/retry.js';
import { roleArnFor } from '../aws/partition.js';
import { ErrorCodes } from '../errors.js';
import type { AssumeObserver, CredentialPool } from './credential-pool.js';
import type { SharedHandler } from '../aws/http.js';
import { resultErrorOf } from './result-error.js';
import { createRetryStrategy } from './retry-strategy.js';
import { isCommandOutcome, type ClientConstructor, type FanOutTarget, type Job, type JobContext, type ResultError, type TargetResult } from './types.js';

/** What one target's run needs from its sweep. */
export interface UnitSetup<T> {
  job: Job<T>;
  pool: CredentialPool;
  handler: SharedHandler;
  /** The sweep's role, unless the target names its own. */
  role: string;
  backoff: JitterOptions;
  timeoutMs?: number;
  jobAttempts?: number;
  callAttempts?: number;
  endpoints?: Endpoints;
  /** Aborts every running unit (Ctrl-C, consumer break). */
  stop: AbortSignal;
  /** Sees the AssumeRole attempts this unit sends. */
  onAssumeAttempt: () => void;
  /** Sees every retry made for this unit. */
  onRetry: (what: 'assume' | 'call' | 'job', account: string, error: unknown) => void;
  /** Turns the job's value into the result's; a throw fails the target with that error. */
  prepareValue?: (value: T) => T;
}

const ENDPOINT_KEYS: Record<string, keyof Endpoints> = { STSClient: 'sts', IAMClient: 'iam', OrganizationsClient: 'organizations' };

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
 * Runs one target: role credentials from the pool, then the job (re-run on
 * retryable errors), its SDK clients on the shared handler with the
 * quota-free retry strategy. Never rejects: every outcome is a result, and
 * the unit's signal is aborted and its clients destroyed when it ends.
 */
export async function runTarget<T>(u: FanOutTarget, setup: UnitSetup<T>): Promise<TargetResult<T>> {
  if (u.notRun)
    return {
      account: u.account,
      region: u.region,
      ...(u.name !== undefined ? { name: u.name } : {}),
      ok: false,
      durationMs: 0,
      error: u.notRun,
      attempts: 0,
      retries: 0,
    };
  const t0 = performance.now();
  const unitAbort = new AbortController();
  setMaxListeners(0, unitAbort.signal);
  const timer = setup.timeoutMs ? setTimeout(() => unitAbort.abort(new TimeoutMarker(`timed out after ${setup.timeoutMs} ms`)), setup.timeoutMs) : undefined;
  const onStop = () => unitAbort.abort(setup.stop.reason);
  setup.stop.addEventListener('abort', onStop, { once: true });
  const signal = unitAbort.signal;
  const clients: { destroy?: () => void }[] = [];
  let attempts = 0;
  let retries = 0;
  let stage: ResultError['stage'] = 'credentials';
  const roleArn = roleArnFor(u.account, u.role ?? setup.role, u.region);
  const base = { account: u.account, region: u.region, ...(u.name !== undefined ? { name: u.name } : {}) };
  const countRetry = (what: 'assume' | 'call' | 'job', e: unknown) => {
    retries++;
    setup.onRetry(what, u.account, e);
  };
  try {
    // Counted per call: the pool is shared by every unit (and maybe other sweeps).
    const observer: AssumeObserver = { onAttempt: setup.onAssumeAttempt, onRetry: (e) => countRetry('assume', e) };
    await raceAbort(setup.pool.get(roleArn, signal, observer), signal);
    stage = 'job';
    const strategy = createRetryStrategy({
      ...setup.backoff,
      maxAttempts: setup.callAttempts ?? 8,
      onRetry: (info) => countRetry('call', info.error ?? { name: info.errorType }),
    });
    const provider = setup.pool.provider(roleArn);
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
            const endpoint = key ? setup.endpoints?.[key] : undefined;
            const c = new ClientClass({
              region: u.region,
              credentials: provider,
              requestHandler: setup.handler,
              retryStrategy: strategy,
              ...(endpoint ? { endpoint } : {}),
              ...config,
            });
            clients.push(c as { destroy?: () => void });
            return c;
          },
        };
        return raceAbort(setup.job(ctx), signal);
      },
      {
        ...setup.backoff,
        maxAttempts: setup.jobAttempts ?? 6,
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
        ...(ok
          ? {}
          : { error: { code: 'ERR_EXIT', message: value.signal ? `killed by ${value.signal}` : `exited with code ${value.exitCode}`, stage: 'job' as const } }),
        attempts,
        retries,
      };
    }
    const prepared = setup.prepareValue ? setup.prepareValue(value) : value;
    return { ...base, ok: true, durationMs, ...(prepared !== undefined ? { value: prepared } : {}), attempts, retries };
  } catch (e) {
    const durationMs = Math.round(performance.now() - t0);
    let error: ResultError;
    if (signal.aborted && signal.reason instanceof TimeoutMarker) error = { code: ErrorCodes.TIMEOUT, message: signal.reason.message, stage };
    else if (signal.aborted) error = { code: ErrorCodes.ABORTED, message: 'stopped before finishing', stage };
    else error = resultErrorOf(e, stage);
    return { ...base, ok: false, durationMs, error, attempts, retries };
  } finally {
    if (timer) clearTimeout(timer);
    setup.stop.removeEventListener('abort', onStop);
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
}
