import { ErrorCodes, RolehopError } from '../errors.js';

/** Default idle timeout of the agent. */
export const DEFAULT_IDLE_TIMEOUT_MS = 3600_000;

const UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/**
 * Parses `--idle-timeout`: a number with an optional unit `s`, `m`, `h` or
 * `d` (seconds without one), or combinations such as `1h30m`. `0` means
 * never. ERR_USAGE otherwise.
 */
export function parseIdleTimeout(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const parts = [...t.matchAll(/(\d+)([smhd])/g)];
  if (!t || parts.map((p) => p[0]).join('') !== t) {
    throw new RolehopError(ErrorCodes.USAGE, `"${text}" is not a duration`, { hint: 'Use e.g. 90s, 30m, 1h, 1h30m, or 0 for no timeout.' });
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]!]!, 0);
}

/**
 * The agent's idle timer: {@link touch} (re)starts it, and `onIdle` runs once
 * `timeoutMs` pass without another touch. A timeout of 0 never fires and has
 * no expiry.
 */
export class IdleTimer {
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #onIdle: () => void;
  #timer: NodeJS.Timeout | undefined;
  #expiresAt: number | undefined;

  constructor(timeoutMs: number, now: () => number, onIdle: () => void) {
    this.#timeoutMs = timeoutMs;
    this.#now = now;
    this.#onIdle = onIdle;
  }

  /** When the timer fires unless touched before (epoch ms); undefined without a timeout. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  /** Restarts the countdown. */
  touch(): void {
    if (!this.#timeoutMs) return;
    clearTimeout(this.#timer);
    this.#expiresAt = this.#now() + this.#timeoutMs;
    this.#timer = setTimeout(this.#onIdle, this.#timeoutMs);
  }

  /** Stops the countdown for good. */
  cancel(): void {
    clearTimeout(this.#timer);
  }
}
