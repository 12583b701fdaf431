import { randomBytes } from 'node:crypto';
import { ErrorCodes, RolehopError } from '../errors.js';
import { withLock } from '../io/lock.js';
import { CACHE_KEY_ID, type SecretStore } from '../stores/contract.js';

/**
 * The 32-byte key that seals cached sessions, kept in the SecretStore so the
 * cache is exactly as protected as the long-lived keys. Created once, under
 * a lock so two first runs cannot each create (and overwrite) one.
 */
export async function loadDataKey(store: SecretStore, lockPath: string): Promise<Buffer> {
  const existing = await store.get(CACHE_KEY_ID);
  if (existing) return Buffer.from(existing, 'base64');
  return withLock(lockPath, async () => {
    const again = await store.get(CACHE_KEY_ID);
    if (again) return Buffer.from(again, 'base64');
    await store.set(CACHE_KEY_ID, randomBytes(32).toString('base64'));
    // Use what the store holds, not what we made: should a holder that lost
    // the lock while stalled have stored its own key meanwhile, every
    // process still seals with the one key that is kept.
    const kept = await store.get(CACHE_KEY_ID);
    if (!kept)
      throw new RolehopError(ErrorCodes.VAULT_IO, 'The session cache key vanished right after it was stored', {
        hint: 'Another process removed it; run the command again.',
      });
    return Buffer.from(kept, 'base64');
  });
}
