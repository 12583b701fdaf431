import { isRetryableAwsError } from '../aws/map-error.js';

/** Backoff settings shared by every retry loop of the engine. */
export interface BackoffOptions {
  /** First retry waits up to this long (ms); default 100. */
  baseMs?: number;
  /** No wait exceeds this (ms); default 10,000. */
  capMs?: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter):
 * a uniform wait in [0, min(cap, base * 2^retry)). `retry` starts at 1.
 * Full jitter spreads a herd of throttled callers best, which is exactly the
 * fan-out situation.
 */
export function fullJitterDelay(retry: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 100;
  const cap = opts.capMs ?? 10_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, retry - 1));
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}

/**
 * True for errors the engine retries: throttling codes (Throttling,
 * ThrottlingException, RequestLimitExceeded, TooManyRequestsException, ...),
 * HTTP 429 and 5xx, and network failures. Works on raw SDK errors and on
 * RolehopErrors from `mapAwsError` (which keep the AWS code in `details`).
 */
export function isRetryable(e: unknown): boolean {
  return isRetryableAwsError(e);
}

/** True when the error is throttling rather than a server or network fault. */
export function isThrottle(e: unknown): boolean {
  const err = e as { name?: string; details?: { awsCode?: string; httpStatus?: number }; $metadata?: { httpStatusCode?: number } };
  const name = err?.details?.awsCode ?? err?.name ?? '';
  const status = err?.details?.httpStatus ?? err?.$metadata?.httpStatusCode;
  return /throttl|limitexceeded|toomanyrequests|slowdown/i.test(name) || status === 429;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options of {@link withRetries}. */
export interface RetryLoopOptions extends BackoffOptions {
  /** Total attempts including the first; default 8. */
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Called before each wait, with the retry number (1-based) and the error. */
  onRetry?: (retry: number, error: unknown) => void;
  /** Which errors to retry; default {@link isRetryable}. */
  retryIf?: (e: unknown) => boolean;
}

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error, or uses up
 * `maxAttempts`. The engine's own loop, independent of any SDK client's
 * retry quota, so mass throttling slows a sweep down instead of failing it.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryLoopOptions = {}): Promise<T> {
  const max = Math.max(1, opts.maxAttempts ?? 8);
  const retryIf = opts.retryIf ?? isRetryable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= max || !retryIf(e) || opts.signal?.aborted) throw e;
      opts.onRetry?.(attempt, e);
      await sleep(fullJitterDelay(attempt, opts), opts.signal);
    }
  }
}
