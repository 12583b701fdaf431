/**
 * Coalesces concurrent calls per key: while a call for `key` is running, every
 * further `run(key, …)` gets the same promise instead of starting another.
 * Once it settles (either way) the key is free again, so a failure is never
 * cached. Nothing is remembered beyond the running call: callers that want a
 * result kept keep it themselves.
 *
 * This is the one single-flight of the code base (broker refreshes, the
 * agent's requests, the engine's AssumeRole per account, the servers'
 * credential memo).
 */
export class SingleFlight<K, V> {
  readonly #running = new Map<K, Promise<V>>();

  /** The running call for `key`, or `fn()` started as that call. */
  run(key: K, fn: () => Promise<V>): Promise<V> {
    const running = this.#running.get(key);
    if (running) return running;
    const started = fn().finally(() => {
      if (this.#running.get(key) === started) this.#running.delete(key);
    });
    this.#running.set(key, started);
    return started;
  }

  /** Whether a call for `key` is running. */
  has(key: K): boolean {
    return this.#running.has(key);
  }

  /** How many keys have a running call. */
  get size(): number {
    return this.#running.size;
  }

  /** Forgets every running call (they go on; later callers start afresh). */
  clear(): void {
    this.#running.clear();
  }
}
