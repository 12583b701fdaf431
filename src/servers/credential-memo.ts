import { SingleFlight } from '../async/single-flight.js';
import type { Credentials } from '../credentials/types.js';
import { isRolehopError } from '../errors.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../io/context.js';

/**
 * Where a server gets its credentials: the integrator passes the broker
 * (`broker.credentials(profile, { minTtlSeconds })`), which caches, locks and
 * refreshes. `minTtlSeconds` is the lifetime the server needs the answer to
 * have, so the broker refreshes exactly when the server would ask again.
 */
export type CredentialSource = (opts: { minTtlSeconds: number }) => Promise<Credentials>;

/** Credentials as held by a server, with when they were obtained. */
export interface Snapshot {
  readonly credentials: Credentials;
  /** Epoch ms the source answered (IMDS `LastUpdated`). */
  readonly fetchedAt: number;
}

/** Options of {@link createCredentialMemo}. */
export interface CredentialMemoOptions {
  clock?: Clock;
  logger?: Logger;
  /**
   * Ask the source again when fewer than this many ms remain. Default: 20 min
   * (clients refresh at 15 min, so every answer outlives their window), but
   * at most half the credentials' lifetime so short sessions are not
   * re-fetched on every request. An explicit value is used as given.
   */
  refreshAheadMs?: number;
  /** After a failed refresh, keep serving still-valid credentials this long before trying again (default 10 s). */
  retryAfterMs?: number;
}

/** An in-memory front for a {@link CredentialSource}. */
export interface CredentialMemo {
  /** The held snapshot when it needs no refresh (the per-request fast path, synchronous). */
  fresh(): Snapshot | undefined;
  /** A usable snapshot: the held one, or a refreshed one (single-flight: concurrent callers share one source call). */
  get(): Promise<Snapshot>;
  /** How many times the source was called. */
  readonly sourceCalls: number;
}

export const DEFAULT_REFRESH_AHEAD_MS = 20 * 60_000;

/**
 * Holds the last credentials in memory so a warm server answers without
 * touching the broker (no file read, no decryption, no STS): the broker is
 * asked only when the held credentials enter the refresh window. A failed
 * refresh keeps serving the old credentials while they are still valid
 * (static stability, as SDKs do for IMDS) and is retried after `retryAfterMs`.
 */
export function createCredentialMemo(source: CredentialSource, opts: CredentialMemoOptions = {}): CredentialMemo {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const retryAfterMs = opts.retryAfterMs ?? 10_000;
  let held: Snapshot | undefined;
  // One key: every caller shares the one running refresh.
  const refreshing = new SingleFlight<'refresh', Snapshot>();
  let failedAt = -Infinity;
  let calls = 0;

  const aheadFor = (s: Snapshot | undefined): number => {
    if (opts.refreshAheadMs !== undefined) return opts.refreshAheadMs;
    const exp = s?.credentials.expiration?.getTime();
    if (s === undefined || exp === undefined) return DEFAULT_REFRESH_AHEAD_MS;
    return Math.min(DEFAULT_REFRESH_AHEAD_MS, Math.max(0, (exp - s.fetchedAt) / 2));
  };

  const needsRefresh = (s: Snapshot, now: number): boolean => {
    const exp = s.credentials.expiration?.getTime();
    return exp !== undefined && exp - now <= aheadFor(s);
  };

  const refresh = (): Promise<Snapshot> =>
    refreshing.run('refresh', async () => {
      calls++;
      const minTtlSeconds = Math.ceil(aheadFor(held) / 1000) + 60;
      try {
        const credentials = await source({ minTtlSeconds });
        held = { credentials, fetchedAt: clock.now() };
        failedAt = -Infinity;
        return held;
      } catch (e) {
        failedAt = clock.now();
        const exp = held?.credentials.expiration?.getTime();
        if (held && exp !== undefined && exp > clock.now()) {
          logger.warn(`credential refresh failed (${isRolehopError(e) ? e.code : 'error'}); serving the current credentials until they expire`);
          return held;
        }
        throw e;
      }
    });

  return {
    fresh() {
      return held && !needsRefresh(held, clock.now()) ? held : undefined;
    },
    async get() {
      const now = clock.now();
      if (held && !needsRefresh(held, now)) return held;
      const exp = held?.credentials.expiration?.getTime();
      if (held && exp !== undefined && exp > now && now - failedAt < retryAfterMs) return held;
      return refresh();
    },
    get sourceCalls() {
      return calls;
    },
  };
}
