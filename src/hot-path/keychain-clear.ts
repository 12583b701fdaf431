import { join } from 'node:path';
import { silentLogger } from '../io/context.js';
import { SessionCache, type SessionMeta } from '../sessions/session-cache.js';
import { sessionCopyProfiles } from '../sessions/session-copy.js';
import { sessionCopyService } from '../stores/session-copy-service.js';
import { SecretServiceReader } from './secret-service-reader.js';

/** What {@link keychainClear} did: every session it was asked to clear, or the cache part only. */
export interface KeychainClear {
  /** Session cache entries removed: the number `clear` reports. */
  cleared: number;
  /**
   * True when the session copies could not all be deleted here: the normal
   * path must still clear them (the cache entries are gone already), and
   * warn as it does when the keychain does not answer.
   */
  copiesLeft: boolean;
}

/**
 * `clear` (every session, or those involving `profile`) in a keychain-backend
 * home with no agent, without the CLI or the `@napi-rs/keyring` binding: the
 * local broker's `clearSessions` (`src/sessions/broker.ts`) done the same way
 * in the same order, the session cache entries first, then the keychain's
 * session copies that name `profile` (`src/sessions/session-copy-mirror.ts`),
 * the copies found, read and deleted straight over D-Bus
 * ({@link SecretServiceReader}, one connection, each step pipelined).
 *
 * Like the broker it takes no lock: each cache file goes with one unlink and
 * the Secret Service serialises its own changes.
 *
 * Resolves undefined, having changed nothing, when the copies cannot be
 * judged here (no Secret Service, a locked copy, an unreadable one, any
 * D-Bus failure): the normal path then does it all. A cache entry that
 * cannot be removed rejects with the broker's own ERR_VAULT_IO, before any
 * copy is deleted. A delete the Secret Service refuses (or would prompt for)
 * once the cache entries are gone is `copiesLeft`, for the normal path to
 * finish.
 */
export async function keychainClear(profile: string | undefined, rolehopHome: string, busAddress: string): Promise<KeychainClear | undefined> {
  let reader: SecretServiceReader | undefined;
  let doomed: string[];
  try {
    reader = SecretServiceReader.open({ busAddress });
    const { unlocked, locked } = await reader.search({ service: sessionCopyService(rolehopHome) });
    // A locked keyring is the binding's to unlock (it may ask a person).
    if (locked.length > 0) return void reader.close();
    const r = reader;
    // The mirror's rule: a copy goes when it names the profile, or when it
    // is not a copy rolehop can read; without a profile, every copy goes.
    const texts = profile === undefined ? [] : await Promise.all(unlocked.map((item) => r.secret(item)));
    doomed = unlocked.filter((_, i) => profile === undefined || (sessionCopyProfiles(texts[i]!)?.includes(profile) ?? true));
  } catch {
    reader?.close();
    return undefined;
  }
  try {
    const names = (m: SessionMeta) => profile === undefined || m.profile === profile || m.profiles.includes(profile);
    const cleared = new SessionCache(join(rolehopHome, 'sessions'), silentLogger).remove(names);
    const r = reader;
    const deleted = await Promise.all(
      doomed.map((item) =>
        r.delete(item).then(
          () => true,
          () => false,
        ),
      ),
    );
    return { cleared, copiesLeft: deleted.includes(false) };
  } finally {
    reader.close();
  }
}
