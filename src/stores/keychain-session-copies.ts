import type { SessionCopies } from './contract.js';
import { KeychainStore, keychainError, loadKeyring, type KeyringEntryFactory } from './keychain-store.js';
import type { SecretServiceReader } from './secret-service-reader.js';
import { sessionCopyService } from './session-copy-service.js';

/** Options of {@link KeychainSessionCopies}. */
export interface KeychainSessionCopiesOptions {
  /** From `sessionCopyService(rolehopHome)`. */
  service: string;
  /** Entry factory; default loads `@napi-rs/keyring`. */
  entryFactory?: () => Promise<KeyringEntryFactory>;
}

/**
 * Session copies in the OS keystore: one entry per profile under
 * {@link KeychainSessionCopiesOptions.service}, written and removed through
 * `@napi-rs/keyring` like every other keychain entry, read on the hot path
 * by `SecretServiceReader`. Failures reject with ERR_KEYCHAIN_UNAVAILABLE.
 */
export class KeychainSessionCopies implements SessionCopies {
  readonly #entries: KeychainStore;
  readonly #service: string;

  constructor(opts: KeychainSessionCopiesOptions) {
    this.#service = opts.service;
    this.#entries = new KeychainStore({ service: opts.service, ...(opts.entryFactory ? { entryFactory: opts.entryFactory } : {}) });
  }

  get(profile: string): Promise<string | undefined> {
    return this.#entries.get(profile);
  }

  async put(profile: string, text: string): Promise<void> {
    await this.#entries.set(profile, text);
  }

  async remove(match: (text: string) => boolean): Promise<number> {
    let all: Array<{ account: string; password: string }>;
    try {
      all = await (await loadKeyring()).findCredentialsAsync(this.#service);
    } catch (e) {
      throw keychainError('Could not list the session copies in the OS keychain', e);
    }
    let n = 0;
    for (const { account, password } of all) {
      if (match(password) && (await this.#entries.delete(account))) n++;
    }
    return n;
  }
}

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
    // Loaded here: every store open imports this module, and only `clear` needs node:net from it.
    const { SecretServiceReader } = await import('./secret-service-reader.js');
    reader = SecretServiceReader.open({ busAddress });
    const { unlocked, locked } = await reader.search({ service });
    return unlocked.length + locked.length > 0 ? new KeychainSessionCopies({ service }) : undefined;
  } catch {
    return undefined;
  } finally {
    reader?.close();
  }
}
