import { ErrorCodes, RolehopError } from '../errors.js';

/** Bounds of a retry loop; injectable so tests run in milliseconds. */
export interface RetryBounds {
  /** Give up once this much time has passed since the first attempt. */
  timeoutMs: number;
  /** Pause after the first failure; doubles up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Time as the retry loop sees it. */
export interface RetryTime {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A real, abortable sleep. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RolehopError(ErrorCodes.ABORTED, 'Interrupted'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new RolehopError(ErrorCodes.ABORTED, 'Interrupted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Outcome of {@link retryUntil}: the value, or the last error after the bound. */
export type RetryResult<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

/**
 * Calls `attempt` until it resolves, `retryable(error)` says no, or the
 * time bound is spent (at least one attempt is always made). Exponential
 * backoff without jitter: one client polling its own key needs no spread.
 * Never throws; an abort of `signal` ends the loop with that error.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  opts: { bounds: RetryBounds; time: RetryTime; retryable: (e: unknown) => boolean; signal?: AbortSignal },
): Promise<RetryResult<T>> {
  const start = opts.time.now();
  let delay = opts.bounds.initialDelayMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      return { ok: true, value: await attempt(), attempts };
    } catch (e) {
      const elapsed = opts.time.now() - start;
      if (!opts.retryable(e) || elapsed + delay > opts.bounds.timeoutMs || opts.signal?.aborted) return { ok: false, error: e, attempts };
      try {
        await opts.time.sleep(delay, opts.signal);
      } catch (abort) {
        return { ok: false, error: abort, attempts };
      }
      delay = Math.min(delay * 2, opts.bounds.maxDelayMs);
    }
  }
}
