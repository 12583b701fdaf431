import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { storageError } from '../io/storage-error.js';
import { readSealedEntry, type SealedEntry } from './sealed-entry.js';

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

/**
 * The session cache's files and their clear metadata: what `list` shows and
 * `clear` removes. Reading or removing entries needs neither the data key
 * nor node:crypto (the credentials stay sealed; see `SessionCache`).
 */
export class SessionIndex {
  constructor(protected readonly dir: string) {}

  protected path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** An entry's file, parsed, or undefined (missing or unreadable: a miss, never an error). Its credentials stay sealed. */
  protected entry(key: string): SealedEntry<SessionMeta> | undefined {
    return readSealedEntry<SessionMeta>(this.path(key));
  }

  /** Metadata of an entry, or undefined (missing or unreadable: a miss, never an error). */
  meta(key: string): SessionMeta | undefined {
    return this.entry(key)?.meta;
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
 * unlocking anything (and without loading the broker or node:crypto).
 */
export function listSessions(rolehopHome: string): ReturnType<SessionIndex['list']> {
  return new SessionIndex(join(rolehopHome, 'sessions')).list();
}
