import { fullJitterDelay, retry, type JitterOptions } from '../async/retry.js';
import { isRetryableAwsError } from './map-error.js';

/** Options of {@link withAwsRetries}. */
export interface AwsRetryOptions extends JitterOptions {
  /** Total attempts including the first; default 8. */
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Called before each wait, with the retry number (1-based) and the error. */
  onRetry?: (retry: number, error: unknown) => void;
  /** Which errors to retry; default {@link isRetryableAwsError}. */
  retryIf?: (e: unknown) => boolean;
}

/**
 * Runs an AWS call until it succeeds, fails with an error that is not worth
 * retrying, or uses up `maxAttempts`, waiting with full jitter in between.
 * Independent of any SDK client's retry quota, so mass throttling slows a
 * sweep down instead of failing it.
 */
export function withAwsRetries<T>(fn: (attempt: number) => Promise<T>, opts: AwsRetryOptions = {}): Promise<T> {
  return retry(fn, {
    retryIf: opts.retryIf ?? isRetryableAwsError,
    delayMs: (n) => fullJitterDelay(n, opts),
    maxAttempts: opts.maxAttempts ?? 8,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  });
}

/** True when an AWS error (raw SDK or mapped RolehopError) is throttling rather than a server or network fault. */
export function isThrottle(e: unknown): boolean {
  const err = e as { name?: string; details?: { awsCode?: string; httpStatus?: number }; $metadata?: { httpStatusCode?: number } };
  const name = err?.details?.awsCode ?? err?.name ?? '';
  const status = err?.details?.httpStatus ?? err?.$metadata?.httpStatusCode;
  return /throttl|limitexceeded|toomanyrequests|slowdown/i.test(name) || status === 429;
}
