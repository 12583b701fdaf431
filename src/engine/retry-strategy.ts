import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { fullJitterDelay, type JitterOptions } from '../async/retry.js';

/** Options of {@link createRetryStrategy}. */
export interface EngineRetryOptions extends JitterOptions {
  /** Attempts per SDK call including the first; default 8. */
  maxAttempts?: number;
  /** Called on every retry the strategy grants (progress counters). */
  onRetry?: (info: RetryErrorInfo) => void;
}

function token(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}

/**
 * An SDK v3 retry strategy for clients handed to jobs: full-jitter backoff on
 * throttling, transient and server errors, and **no retry quota**. The SDK's
 * standard strategy keeps 500 tokens per client and fails fast once mass
 * throttling has drained them, which would turn a throttled sweep into
 * failed targets; this one only bounds attempts per call.
 */
export function createRetryStrategy(opts: EngineRetryOptions = {}): RetryStrategyV2 {
  const max = Math.max(1, opts.maxAttempts ?? 8);
  return {
    async acquireInitialRetryToken() {
      return token(0, 0);
    },
    async refreshRetryTokenForRetry(previous, info) {
      const retry = previous.getRetryCount() + 1;
      if (retry >= max || info.errorType === 'CLIENT_ERROR') throw new Error('no retry');
      opts.onRetry?.(info);
      const hinted = info.retryAfterHint ? info.retryAfterHint.getTime() - Date.now() : 0;
      return token(retry, Math.max(hinted, fullJitterDelay(retry, opts)));
    },
    recordSuccess() {},
  };
}
