import type { SessionCopies } from './contract.js';
import { KeychainStore, keychainError, loadKeyring, type KeychainStoreOptions, type KeyringEntryFactory } from './keychain-store.js';

/** Options of {@link KeychainSessionCopies}. */
export interface KeychainSessionCopiesOptions {
  /** From `sessionCopyService(rolehopHome)`. */
  service: string;
  /** Entry factory; default loads `@napi-rs/keyring`. */
  entryFactory?: () => Promise<KeyringEntryFactory>;
  /** See `KeychainStoreOptions.directRead`. */
  directRead?: KeychainStoreOptions['directRead'];
}

/**
 * Session copies in the OS keystore: one entry per profile under
 * {@link KeychainSessionCopiesOptions.service}, written and removed through
 * `@napi-rs/keyring` like every other keychain entry, read on the hot path
 * straight from the Secret Service (`src/hot-path/`). Failures reject with ERR_KEYCHAIN_UNAVAILABLE.
 */
export class KeychainSessionCopies implements SessionCopies {
  readonly #entries: KeychainStore;
  readonly #service: string;

  constructor(opts: KeychainSessionCopiesOptions) {
    this.#service = opts.service;
    this.#entries = new KeychainStore({
      service: opts.service,
      ...(opts.entryFactory ? { entryFactory: opts.entryFactory } : {}),
      ...(opts.directRead ? { directRead: opts.directRead } : {}),
    });
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
