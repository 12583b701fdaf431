import { doublingDelay, retry, type RetryTime } from '../async/retry.js';
import { ErrorCodes, RolehopError } from '../errors.js';

/** Bounds of a retry loop; injectable so tests run in milliseconds. */
export interface RetryBounds {
  /** Give up once this much time has passed since the first attempt. */
  timeoutMs: number;
  /** Pause after the first failure; doubles up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Outcome of {@link retryUntil}: the value, or the last error after the bound. */
export type RetryResult<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

/**
 * The shared {@link retry} as a rotation step wants it: never throws, and
 * reports how many attempts were made, because a failed step still has to
 * record them and clean up. Doubling backoff without jitter: one client
 * polling its own key needs no spread. An abort of `signal` during a wait
 * ends the loop with a RolehopError `ERR_ABORTED` ("Interrupted"), whatever
 * reason the signal carries, so the rotation's messages name the abort.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  opts: { bounds: RetryBounds; time: RetryTime; retryable: (e: unknown) => boolean; signal?: AbortSignal },
): Promise<RetryResult<T>> {
  let attempts = 0;
  try {
    const value = await retry(
      (n) => {
        attempts = n;
        return attempt();
      },
      {
        retryIf: opts.retryable,
        delayMs: doublingDelay(opts.bounds.initialDelayMs, opts.bounds.maxDelayMs),
        timeoutMs: opts.bounds.timeoutMs,
        time: interruptible(opts.time),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
    return { ok: true, value, attempts };
  } catch (error) {
    return { ok: false, error, attempts };
  }
}

/** `time` whose sleep, when the signal aborts, rejects with "Interrupted" instead of the signal's reason. */
function interruptible(time: RetryTime): RetryTime {
  return {
    now: () => time.now(),
    sleep: (ms, signal) =>
      time.sleep(ms, signal).catch((e: unknown) => {
        throw signal?.aborted && e === signal.reason ? new RolehopError(ErrorCodes.ABORTED, 'Interrupted') : e;
      }),
  };
}
