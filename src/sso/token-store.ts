import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SsoSession } from '../config/sso-settings.js';
import type { Logger } from '../io/context.js';
import { storageError } from '../io/storage-error.js';
import { unseal } from '../sessions/seal.js';
import { readSealedEntry, writeSealedEntry, type SealedEntry } from '../sessions/sealed-entry.js';
import type { SsoFlow, SsoRegistration } from './types.js';

/** Non-secret facts about a stored login, readable without the data key. */
export interface SsoTokenMeta {
  session: string;
  startUrl: string;
  region: string;
  /** The flow of the last login: the next login uses it unless told otherwise. */
  flow: SsoFlow;
  /** ISO time the access token expires. */
  expiresAt: string;
  /** ISO time the client registration expires. */
  registrationExpiresAt: string;
  /** Whether a refresh token is kept. */
  refreshable: boolean;
  /** ISO time of the last login or refresh. */
  updatedAt: string;
}

/** The secret half of a stored login. */
export interface SsoTokenSecrets {
  accessToken: string;
  refreshToken?: string;
  registration: SsoRegistration;
}

/** A stored login, both halves. */
export interface SsoTokenRecord {
  meta: SsoTokenMeta;
  secrets: SsoTokenSecrets;
}

type Entry = SealedEntry<SsoTokenMeta>;

/**
 * The store key of a session: sha1 of its name (the sso-session name, or a
 * legacy profile's start URL), as the AWS CLI names its cache files, so any
 * name maps to a safe file name.
 */
export function ssoStoreKey(session: Pick<SsoSession, 'name'>): string {
  return createHash('sha1').update(session.name).digest('hex');
}

/**
 * IAM Identity Center logins on disk: one file per session under
 * `<rolehopHome>/sso`, metadata in clear, tokens and registration sealed
 * with the store's data key (AES-256-GCM, the key as AAD, as the session
 * cache does). Writers hold the session's lock; readers need none because
 * files are replaced atomically.
 */
export class SsoTokenStore {
  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  private entry(key: string): Entry | undefined {
    return readSealedEntry<SsoTokenMeta>(this.path(key));
  }

  /** Metadata of a session's login, or undefined (missing or unreadable: no login). */
  meta(key: string): SsoTokenMeta | undefined {
    return this.entry(key)?.meta;
  }

  /** A session's login, or undefined when missing or when it does not decrypt (another data key, tampering). */
  read(key: string, dataKey: Buffer): SsoTokenRecord | undefined {
    const e = this.entry(key);
    if (!e) return undefined;
    try {
      return { meta: e.meta, secrets: JSON.parse(unseal(dataKey, e, `sso:${key}`)) as SsoTokenSecrets };
    } catch {
      this.logger.debug(`sso: stored login ${key} did not decrypt; treating it as absent`);
      return undefined;
    }
  }

  /** Seals and atomically writes a login. Rejects with ERR_VAULT_IO. */
  async write(key: string, record: SsoTokenRecord, dataKey: Buffer): Promise<void> {
    await writeSealedEntry(this.path(key), record.meta, JSON.stringify(record.secrets), dataKey, `sso:${key}`, 'the IAM Identity Center login');
  }

  /** Deletes a login; true when there was one. Throws ERR_VAULT_IO when it cannot be removed. */
  remove(key: string): boolean {
    const had = this.entry(key) !== undefined;
    try {
      rmSync(this.path(key), { force: true });
    } catch (e) {
      throw storageError(`Cannot remove the IAM Identity Center login ${this.path(key)}`, this.dir, e);
    }
    return had;
  }
}
