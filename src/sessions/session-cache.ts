import type { Credentials } from '../credentials/types.js';
import type { Logger } from '../io/context.js';
import { unseal } from './seal.js';
import { writeSealedEntry } from './sealed-entry.js';
import { SessionIndex, type SessionMeta } from './session-index.js';

export type { SessionMeta };

/**
 * The on-disk session cache (see {@link SessionIndex} for its files and
 * their metadata): one file per cache key under
 * `<rolehopHome>/sessions`, metadata in clear, credentials sealed with the
 * store's data key (AES-256-GCM, the key name as AAD). Writers hold the key's
 * lock; readers need none because files are replaced atomically.
 */
export class SessionCache extends SessionIndex {
  constructor(
    dir: string,
    private readonly logger: Logger,
  ) {
    super(dir);
  }

  /**
   * Credentials of an entry with more than `minTtlMs` of life left at `now`,
   * or undefined. Decryption failures (data key replaced, tampering) are
   * misses: the step is simply fetched again.
   */
  read(key: string, dataKey: Buffer, now: number, minTtlMs: number): Credentials | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    if (Date.parse(e.meta.expiresAt) - now <= minTtlMs) return undefined;
    try {
      const c = JSON.parse(unseal(dataKey, e, key)) as Credentials & { expiration?: string };
      return { ...c, ...(c.expiration ? { expiration: new Date(c.expiration) } : {}) } as Credentials;
    } catch {
      this.logger.debug(`session-cache: entry ${key} did not decrypt; treating as a miss`);
      return undefined;
    }
  }

  /** Whether an entry exists with more than `minTtlMs` left (no decryption). */
  isFresh(key: string, now: number, minTtlMs: number): boolean {
    const m = this.meta(key);
    return !!m && Date.parse(m.expiresAt) - now > minTtlMs;
  }

  /** Seals and atomically writes an entry. Rejects with ERR_VAULT_IO (full disk, read-only, ...). */
  async write(key: string, meta: SessionMeta, creds: Credentials, dataKey: Buffer): Promise<void> {
    await writeSealedEntry(this.path(key), meta, JSON.stringify(creds), dataKey, key, 'the session cache entry');
  }
}
