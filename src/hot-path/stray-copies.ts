import type { SessionCopies } from '../stores/contract.js';
import { KeychainSessionCopies } from '../stores/keychain-session-copies.js';
import { sessionCopyService } from '../stores/session-copy-service.js';
import { SecretServiceReader } from './secret-service-reader.js';

/**
 * The session copies of `rolehopHome` when the Secret Service on `busAddress`
 * holds any, else undefined: for `clear` in a home whose chosen backend is
 * not the keychain, where copies can only be left from runs with
 * `ROLEHOP_BACKEND=keychain`. Looks with one D-Bus search, without loading
 * the binding; no Secret Service, or any failure, means none to clear.
 */
export async function keychainSessionCopiesIfAny(rolehopHome: string, busAddress: string): Promise<SessionCopies | undefined> {
  const service = sessionCopyService(rolehopHome);
  let reader: SecretServiceReader | undefined;
  try {
    reader = SecretServiceReader.open({ busAddress });
    const { unlocked, locked } = await reader.search({ service });
    return unlocked.length + locked.length > 0 ? new KeychainSessionCopies({ service }) : undefined;
  } catch {
    return undefined;
  } finally {
    reader?.close();
  }
}
