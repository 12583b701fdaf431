import { randomBytes } from 'node:crypto';
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
    const key = randomBytes(32);
    await store.set(CACHE_KEY_ID, key.toString('base64'));
    return key;
  });
}
