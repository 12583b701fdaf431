import { sleep as realSleep } from './sleep.js';

/** Time as a retry loop sees it; injectable so tests run in milliseconds. */
export interface RetryTime {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock and an abortable timer. */
export const realTime: RetryTime = { now: () => Date.now(), sleep: realSleep };

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Which errors are worth another attempt. */
  retryIf: (error: unknown) => boolean;
  /** How long to wait before retry number `retry` (1-based). */
  delayMs: (retry: number) => number;
  /** Total attempts including the first; default unbounded (then set `timeoutMs`). */
  maxAttempts?: number;
  /** Give up once the next wait would end more than this long after the first attempt. */
  timeoutMs?: number;
  /** Stops the loop: no further attempt, and a running wait rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called before each wait with the retry number (1-based) and the error that caused it. */
  onRetry?: (retry: number, error: unknown) => void;
  /** Default {@link realTime}. */
  time?: RetryTime;
}

/**
 * Calls `fn(attempt)` (attempt is 1-based) until it resolves, and resolves
 * with its value. Rejects with the last error when that error is not
 * retryable, when `maxAttempts` or `timeoutMs` is spent, or when `signal` has
 * aborted; rejects with the signal's reason when it aborts during a wait. At
 * least one attempt is always made.
 *
 * This is the one retry loop of the code base; the AWS flavour (full jitter,
 * throttling and 5xx) is `withAwsRetries` in `aws/retry.ts`.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const time = opts.time ?? realTime;
  const max = Math.max(1, opts.maxAttempts ?? Number.POSITIVE_INFINITY);
  const start = time.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= max || opts.signal?.aborted || !opts.retryIf(e)) throw e;
      const delay = opts.delayMs(attempt);
      if (opts.timeoutMs !== undefined && time.now() - start + delay > opts.timeoutMs) throw e;
      opts.onRetry?.(attempt, e);
      await time.sleep(delay, opts.signal);
    }
  }
}

/** Settings of {@link fullJitterDelay}. */
export interface JitterOptions {
  /** The first retry waits up to this long (ms); default 100. */
  baseMs?: number;
  /** No wait exceeds this (ms); default 10,000. */
  capMs?: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): a uniform wait in [0, min(cap, base * 2^(retry-1))). It spreads a
 * herd of throttled callers best, which is the fan-out situation.
 */
export function fullJitterDelay(retryNumber: number, opts: JitterOptions = {}): number {
  const base = opts.baseMs ?? 100;
  const cap = opts.capMs ?? 10_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}

/**
 * Doubling backoff without jitter, from `initialMs` up to `maxMs`: for one
 * client polling its own state (an IAM key propagating), where there is no
 * herd to spread.
 */
export function doublingDelay(initialMs: number, maxMs: number): (retryNumber: number) => number {
  return (retryNumber) => Math.min(initialMs * 2 ** (retryNumber - 1), maxMs);
}
