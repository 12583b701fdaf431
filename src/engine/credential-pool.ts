import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AssumePort, StsTarget } from '../aws/sts-port.js';
import { createStsPort } from '../aws/sts.js';
import type { Credentials } from '../credentials/types.js';
import { isRolehopError } from '../errors.js';
import type { Broker } from '../sessions/broker-contract.js';
import { isRetryableAwsError as isRetryable } from '../aws/map-error.js';
import { withAwsRetries } from '../aws/retry.js';
import type { JitterOptions } from '../async/retry.js';
import { SingleFlight } from '../async/single-flight.js';
import type { SharedHandler } from '../aws/http.js';
import { partitionOf, type Partition } from '../aws/partition.js';
import { RateLimiters } from './token-bucket.js';

/** Default client-side STS rate: below the 600/s quota, leaving room for other tools. */
export const DEFAULT_STS_RATE = 500;
/** Re-assume this long before role credentials expire. */
export const DEFAULT_REFRESH_AHEAD_MS = 10 * 60_000;
/** Ask the broker again when the MFA session has less than this left. */
const SESSION_MIN_TTL_MS = 15 * 60_000;

/** Options of {@link CredentialPool}. */
export interface CredentialPoolOptions extends JitterOptions {
  /** Where the source (MFA) session comes from. */
  broker: Broker;
  /** Source profile whose session assumes into every account. */
  profile: string;
  /**
   * The source session, when the caller already obtained it (the CLI does,
   * to fail a run once on a source error). Used while it has life left; the
   * broker is asked only after that.
   */
  sourceSession?: Credentials;
  /** STS for AssumeRole: a port, or a factory per STS target; default the SDK on `handler`. */
  sts?: AssumePort | ((target: StsTarget) => AssumePort);
  /** STS region; default the profile's region when in the role's partition, else the partition's main region. */
  stsRegion?: string;
  /** STS endpoint; default the profile plan's `endpoints.sts`. */
  stsEndpoint?: string;
  /** Shared keep-alive handler for the default STS port. */
  handler?: SharedHandler;
  /** AssumeRole calls per second per (caller account, STS region); default 500. */
  ratePerSecond?: number;
  /** Share limiters between pools that use the same caller. */
  limiters?: RateLimiters;
  /** Role session duration; default 3600 (the role-chaining maximum). */
  durationSeconds?: number;
  roleSessionName?: string;
  externalId?: string;
  refreshAheadMs?: number;
  /** Attempts per AssumeRole (engine retries on throttling/5xx); default 8. */
  maxAttempts?: number;
  /** Millisecond clock (credential expiry checks). */
  now?: () => number;
  /** Observers for progress counters and tests. */
  onRetry?: (what: 'assume', error: unknown) => void;
}

/** Watches the AssumeRole calls one {@link CredentialPool.get} starts (none when it joins a running one or hits the cache). */
export interface AssumeObserver {
  /** Called for every AssumeRole attempt sent. */
  onAttempt?: () => void;
  /** Called before every retry, with the error that caused it. */
  onRetry?: (error: unknown) => void;
}

interface Entry {
  credentials?: Credentials;
  /** A non-retryable failure is remembered so R regions cost one AssumeRole. */
  failure?: unknown;
}

const MAIN_REGION: Record<Partition, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

/**
 * Role credentials per (role ARN) for one source profile, in memory only.
 *
 * - One GetSessionToken at most: the broker's session is fetched once and
 *   reused until it nears expiry (the broker owns MFA, locks and the cache).
 * - One AssumeRole per role: concurrent callers share the in-flight call; the
 *   result is reused across regions and refreshed `refreshAheadMs` before it
 *   expires, re-assuming from the session (chained roles last 1 h at most).
 * - Every AssumeRole attempt takes a token from the (caller account, STS
 *   region) bucket and is retried with full jitter by the engine, not the SDK.
 * - No GetCallerIdentity, ever.
 */
export class CredentialPool {
  private readonly entries = new Map<string, Entry>();
  private readonly assuming = new SingleFlight<string, Credentials>();
  private session?: Credentials;
  private readonly sessionFlight = new SingleFlight<string, Credentials>();
  private readonly limiters: RateLimiters;
  private readonly ports = new Map<string, AssumePort>();
  private readonly now: () => number;
  private plan?: ReturnType<Broker['plan']> | null;
  /** AssumeRole calls sent (attempts included). */
  assumeCalls = 0;

  constructor(private readonly opts: CredentialPoolOptions) {
    this.limiters = opts.limiters ?? new RateLimiters(opts.ratePerSecond ?? DEFAULT_STS_RATE);
    this.now = opts.now ?? Date.now;
    this.session = opts.sourceSession;
  }

  private async sessionCredentials(): Promise<Credentials> {
    const s = this.session;
    if (s && (!s.expiration || s.expiration.getTime() - this.now() > SESSION_MIN_TTL_MS)) return s;
    return this.sessionFlight.run(this.opts.profile, async () => {
      const r = await this.opts.broker.sessionCredentials(this.opts.profile);
      this.session = r.credentials;
      return r.credentials;
    });
  }

  private stsTarget(roleArn: string): StsTarget {
    const partition = (roleArn.split(':')[1] as Partition | undefined) ?? 'aws';
    if (this.plan === undefined) {
      try {
        this.plan = this.opts.broker.plan(this.opts.profile);
      } catch {
        this.plan = null;
      }
    }
    const plan = this.plan ?? undefined;
    const candidates = [this.opts.stsRegion, plan?.region].filter((r): r is string => !!r && partitionOf(r) === partition);
    const endpoint = this.opts.stsEndpoint ?? plan?.endpoints.sts;
    return { region: candidates[0] ?? MAIN_REGION[partition] ?? 'us-east-1', ...(endpoint ? { endpoint } : {}) };
  }

  private port(target: StsTarget): AssumePort {
    const sts = this.opts.sts;
    if (sts && typeof sts !== 'function') return sts;
    const key = `${target.region}|${target.endpoint ?? ''}`;
    let p = this.ports.get(key);
    if (!p) {
      if (sts) p = sts(target);
      else {
        if (!this.opts.handler) throw new Error('CredentialPool needs a handler or an sts port');
        p = createStsPort(target, { requestHandler: this.opts.handler, maxAttempts: 1 });
      }
      this.ports.set(key, p);
    }
    return p;
  }

  private fresh(c: Credentials | undefined): c is Credentials {
    return !!c && (!c.expiration || c.expiration.getTime() - this.now() > (this.opts.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS));
  }

  /**
   * Credentials for `roleArn`, assuming it at most once per lifetime.
   * `observer` sees the AssumeRole attempts and retries this call starts;
   * a call that joins a running AssumeRole or hits the cache sees none, so
   * every attempt is counted once, by the caller that caused it.
   */
  get(roleArn: string, signal?: AbortSignal, observer?: AssumeObserver): Promise<Credentials> {
    let e = this.entries.get(roleArn);
    if (!e) {
      e = {};
      this.entries.set(roleArn, e);
    }
    if (e.failure !== undefined) return Promise.reject(e.failure);
    if (this.fresh(e.credentials)) return Promise.resolve(e.credentials);
    const entry = e;
    return this.assuming.run(roleArn, () =>
      this.assume(roleArn, signal, observer).then(
        (c) => {
          entry.credentials = c;
          return c;
        },
        (err: unknown) => {
          // Aborts and exhausted retries may succeed later; denials will not.
          if (!signal?.aborted && !isRetryable(err) && isRolehopError(err)) entry.failure = err;
          throw err;
        },
      ),
    );
  }

  private async assume(roleArn: string, signal?: AbortSignal, observer?: AssumeObserver): Promise<Credentials> {
    const caller = await this.sessionCredentials();
    const target = this.stsTarget(roleArn);
    const port = this.port(target);
    const bucket = this.limiters.for(`${caller.accountId ?? this.opts.profile}|${target.region}`);
    const chained = !!caller.sessionToken;
    const duration = this.opts.durationSeconds ?? 3600;
    return withAwsRetries(
      async () => {
        await bucket.take(signal);
        this.assumeCalls++;
        observer?.onAttempt?.();
        return port.assumeRole(caller, {
          roleArn,
          roleSessionName: this.opts.roleSessionName ?? 'rolehop-fanout',
          durationSeconds: chained ? Math.min(duration, 3600) : duration,
          ...(this.opts.externalId ? { externalId: this.opts.externalId } : {}),
        });
      },
      {
        ...this.opts,
        maxAttempts: this.opts.maxAttempts ?? 8,
        ...(signal ? { signal } : {}),
        onRetry: (_n, err) => {
          observer?.onRetry?.(err);
          this.opts.onRetry?.('assume', err);
        },
      },
    );
  }

  /**
   * Drops what is kept for `roleArn` (its credentials, or a remembered
   * failure): the next {@link get} assumes it again. A sweep calls it once
   * an account's last target is done, so memory stays flat however many
   * accounts it goes through. A running AssumeRole is not affected.
   */
  forget(roleArn: string): void {
    this.entries.delete(roleArn);
  }

  /** An SDK v3 credential provider for `roleArn` that refreshes ahead of expiry. */
  provider(roleArn: string): AwsCredentialIdentityProvider {
    return async (): Promise<AwsCredentialIdentity> => {
      const c = await this.get(roleArn);
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
        // Tell the SDK to come back before our own refresh point.
        ...(c.expiration ? { expiration: new Date(c.expiration.getTime() - (this.opts.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS) + 5 * 60_000) } : {}),
        ...(c.accountId ? { accountId: c.accountId } : {}),
      };
    };
  }
}
