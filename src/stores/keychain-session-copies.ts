import type { SessionCopies } from './contract.js';
import { KeychainStore, keychainError, type KeyringEntryFactory } from './keychain-store.js';

/** Lists every entry of a keystore service: `@napi-rs/keyring`'s findCredentialsAsync. */
export type KeyringFinder = (service: string) => Promise<Array<{ account: string; password: string }>>;

/** Options of {@link KeychainSessionCopies}. */
export interface KeychainSessionCopiesOptions {
  /** From `sessionCopyService(rolehopHome)`. */
  service: string;
  /** Entry factory; default loads `@napi-rs/keyring`. */
  entryFactory?: () => Promise<KeyringEntryFactory>;
  /** Entry lister; default loads `@napi-rs/keyring`. */
  finder?: () => Promise<KeyringFinder>;
}

async function loadFinder(): Promise<KeyringFinder> {
  const { createRequire } = await import('node:module');
  const { findCredentialsAsync } = createRequire(import.meta.url)('@napi-rs/keyring') as typeof import('@napi-rs/keyring');
  return (service) => findCredentialsAsync(service);
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
  readonly #finder: () => Promise<KeyringFinder>;

  constructor(opts: KeychainSessionCopiesOptions) {
    this.#service = opts.service;
    this.#entries = new KeychainStore({ service: opts.service, ...(opts.entryFactory ? { entryFactory: opts.entryFactory } : {}) });
    this.#finder = opts.finder ?? loadFinder;
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
      all = await (await this.#finder())(this.#service);
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
