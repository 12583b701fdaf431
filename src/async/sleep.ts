/**
 * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as
 * `signal` aborts (at once when it already has). The timer is cleared on
 * abort, so an aborted sleep keeps no event-loop reference. A wait of zero or
 * less resolves without a timer.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
