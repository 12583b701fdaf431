import { sleep } from '../async/sleep.js';

/**
 * A token bucket sized so that no 1-second window ever holds more than
 * `ratePerSecond` calls: capacity B = ceil(rate / 10) and refill rate
 * (rate - B)/s, so a full burst plus one second of refill is exactly `rate`.
 * That keeps a sweep under the STS quota (600/s per caller account and STS
 * region) with the default 500 even when other tools share the account.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly refillPerMs: number;
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('rate must be positive');
    this.capacity = Math.max(1, Math.ceil(ratePerSecond / 10));
    const refill = ratePerSecond > this.capacity ? ratePerSecond - this.capacity : ratePerSecond;
    this.refillPerMs = refill / 1000;
    this.tokens = this.capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.refillPerMs);
    this.last = t;
  }

  /** Waits for one token. Callers are served in arrival order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await sleep(Math.ceil((1 - this.tokens) / this.refillPerMs), signal);
      }
    });
    // A caller that aborts must not block the ones behind it.
    this.queue = turn.catch(() => {});
    return turn;
  }
}

/** One bucket per key (caller account + STS region), created on first use. */
export class RateLimiters {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly ratePerSecond: number) {}

  /** The bucket of `key`. */
  for(key: string): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(this.ratePerSecond);
      this.buckets.set(key, b);
    }
    return b;
  }
}
