import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '../credentials/types.js';
import type { Logger } from '../io/context.js';
import { storageError } from '../io/storage-error.js';
import { unseal } from './seal.js';
import { readSealedEntry, writeSealedEntry, type SealedEntry } from './sealed-entry.js';

/** Non-secret facts about a cached session, readable without the data key. */
export interface SessionMeta {
  /** `session` (GetSessionToken) or `hop` / `assume` (AssumeRole). */
  kind: 'session' | 'hop' | 'assume';
  /** Profile the step belongs to. */
  profile: string;
  /** Every profile of the chain, source first: `clear PROFILE` removes an entry if it names PROFILE. */
  profiles: string[];
  roleArn?: string;
  accountId?: string;
  mfa: boolean;
  /** ISO time. */
  createdAt: string;
  /** ISO time the credentials expire. */
  expiresAt: string;
}

type Entry = SealedEntry<SessionMeta>;

/**
 * The on-disk session cache: one file per cache key under
 * `<rolehopHome>/sessions`, metadata in clear, credentials sealed with the
 * store's data key (AES-256-GCM, the key name as AAD). Writers hold the key's
 * lock; readers need none because files are replaced atomically.
 */
export class SessionCache {
  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** Metadata of an entry, or undefined (missing or unreadable: a miss, never an error). */
  meta(key: string): SessionMeta | undefined {
    return this.readEntry(key)?.meta;
  }

  private readEntry(key: string): Entry | undefined {
    return readSealedEntry<SessionMeta>(this.path(key));
  }

  /**
   * Credentials of an entry with more than `minTtlMs` of life left at `now`,
   * or undefined. Decryption failures (data key replaced, tampering) are
   * misses: the step is simply fetched again.
   */
  read(key: string, dataKey: Buffer, now: number, minTtlMs: number): Credentials | undefined {
    const e = this.readEntry(key);
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

  /** All entries' metadata with their keys. */
  list(): Array<{ key: string; meta: SessionMeta }> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: Array<{ key: string; meta: SessionMeta }> = [];
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      const key = n.slice(0, -5);
      const meta = this.meta(key);
      if (meta) out.push({ key, meta });
    }
    return out;
  }

  /** Removes entries whose metadata matches; returns how many. Throws ERR_VAULT_IO when one cannot be removed. */
  remove(match: (meta: SessionMeta) => boolean): number {
    let n = 0;
    for (const { key, meta } of this.list()) {
      if (!match(meta)) continue;
      try {
        rmSync(this.path(key), { force: true });
      } catch (e) {
        throw storageError(`Cannot remove the session cache entry ${this.path(key)}`, this.dir, e);
      }
      n++;
    }
    return n;
  }
}

/**
 * For `list`: the cached sessions' metadata under `rolehopHome`, without
 * unlocking anything (and without loading the broker).
 */
export function listSessions(rolehopHome: string, logger: Logger): ReturnType<SessionCache['list']> {
  return new SessionCache(join(rolehopHome, 'sessions'), logger).list();
}
