import type { Credentials } from '../credentials/types.js';
import { isRolehopError } from '../errors.js';
import type { Logger } from '../io/context.js';
import type { SessionMeta } from './session-index.js';

/** What a held session was obtained for: enough to say so and to clear it. */
export type HeldMeta = Pick<SessionMeta, 'profile' | 'profiles' | 'mfa'>;

interface Held {
  credentials: Credentials;
  meta: HeldMeta;
  expiresAt: number;
}

/**
 * Sessions STS issued that the session cache could not store (full disk,
 * read-only home, a data key that could not be saved). They cost an STS
 * call, maybe a single-use MFA code, so instead of being lost they serve the
 * command that asked and stay in this process's memory until they expire:
 * a server, the agent, `run` or a library caller do not ask again. The first
 * failure is a warning (other processes will ask again); later ones are
 * debug lines, so a fan-out over 1,000 accounts warns once.
 */
export class UncachedSessions {
  readonly #held = new Map<string, Held>();
  #warned = false;

  constructor(private readonly logger: Logger) {}

  /** The held session for `key` with more than `minTtlMs` left at `now`, if any. */
  get(key: string, now: number, minTtlMs: number): Credentials | undefined {
    const h = this.#held.get(key);
    return h && h.expiresAt - now > minTtlMs ? h.credentials : undefined;
  }

  /** Holds a session whose cache write failed with `cause`, and tells the user once. */
  keep(key: string, meta: HeldMeta, credentials: Credentials, expiresAt: number, cause: unknown): void {
    this.#held.set(key, { credentials, meta, expiresAt });
    const why = isRolehopError(cause) ? `${cause.message}.${cause.hint ? ` ${cause.hint}` : ''}` : `${(cause as Error)?.message ?? String(cause)}.`;
    const next = meta.mfa ? 'the next rolehop command will ask for an MFA code again' : 'the next rolehop command will call STS again';
    const message = `The session for "${meta.profile}" could not be cached: ${why} It serves this command; ${next}.`;
    if (this.#warned) return this.logger.debug(message);
    this.#warned = true;
    this.logger.warn(message);
  }

  /** Drops a held session once the cache has it. */
  stored(key: string): void {
    this.#held.delete(key);
  }

  /** Drops every held session that `match` accepts. */
  clear(match: (meta: HeldMeta) => boolean): void {
    for (const [key, h] of this.#held) if (match(h.meta)) this.#held.delete(key);
  }
}
