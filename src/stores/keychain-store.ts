import { ErrorCodes, RolehopError } from '../errors.js';
import type { SecretStore, SessionCopies, StoreKind } from './contract.js';
import { keychainServiceFor } from './keychain-service.js';

/** The part of `@napi-rs/keyring`'s AsyncEntry this store uses. */
export interface KeyringEntry {
  setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
  getPassword(signal?: AbortSignal | null): Promise<string | null>;
  deletePassword(signal?: AbortSignal | null): Promise<boolean>;
}

/** Makes an entry for (service, account); injectable so tests can fake the OS keystore. */
export type KeyringEntryFactory = (service: string, account: string) => KeyringEntry;

/** Options of a {@link KeychainStore}. */
export interface KeychainStoreOptions {
  /** Keystore service name, e.g. from {@link keychainServiceFor}. */
  service: string;
  /** Entry factory; default loads `@napi-rs/keyring` on first use. */
  entryFactory?: () => Promise<KeyringEntryFactory>;
  /**
   * Give up on one operation after this long (default 120 s). Generous on
   * purpose: a desktop keyring may be showing its own unlock dialog.
   */
  timeoutMs?: number;
  /** Where session copies go (see {@link SecretStore.sessionCopies}); none by default. */
  sessionCopies?: SessionCopies;
  /**
   * A cheaper way to read an entry, tried before the binding: resolves the
   * entry's value, or undefined when the keystore holds no such entry;
   * rejects when it cannot tell (the binding then reads it, and reports any
   * failure). The CLI passes a direct Secret Service reader on Linux
   * ({@link directSecretServiceRead}); writes and deletes always go through
   * the binding.
   */
  directRead?: (service: string, account: string) => Promise<string | undefined>;
}

export { keychainServiceFor };

/**
 * Loads `@napi-rs/keyring` on first use. require() rather than import(): the
 * binding is CommonJS, and importing it as ESM makes Node lex its source for
 * named exports, ~8 ms per start.
 */
export async function loadKeyring(): Promise<typeof import('@napi-rs/keyring')> {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)('@napi-rs/keyring') as typeof import('@napi-rs/keyring');
}

/**
 * Loads the native binding lazily and pins Linux entries to the Secret
 * Service: the binding would otherwise fall back to the kernel keyring,
 * which forgets everything at logout — a silent loss of stored keys.
 */
export async function loadKeyringEntryFactory(): Promise<KeyringEntryFactory> {
  const { AsyncEntry } = await loadKeyring();
  return (service, account) => new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
}

const DEFAULT_OP_TIMEOUT_MS = 120_000;

/**
 * The OS keystore backend (macOS Keychain, Windows Credential Manager, Linux
 * Secret Service) through `@napi-rs/keyring`: one entry per id, account = id.
 * The OS serialises access, so no lock is needed here.
 *
 * Every failure of the keystore (no D-Bus session, locked keyring, denied
 * access, timeout) rejects with ERR_KEYCHAIN_UNAVAILABLE and a hint pointing
 * at `--backend file`. Ids appear in messages; values never do.
 */
export class KeychainStore implements SecretStore {
  readonly kind: StoreKind = 'keychain';
  readonly service: string;
  readonly sessionCopies?: SessionCopies;
  readonly #factory: () => Promise<KeyringEntryFactory>;
  readonly #timeoutMs: number;
  readonly #directRead: KeychainStoreOptions['directRead'];
  #entries: Promise<KeyringEntryFactory> | undefined;

  constructor(opts: KeychainStoreOptions) {
    this.service = opts.service;
    this.#factory = opts.entryFactory ?? loadKeyringEntryFactory;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
    if (opts.sessionCopies) this.sessionCopies = opts.sessionCopies;
    this.#directRead = opts.directRead;
  }

  async get(id: string): Promise<string | undefined> {
    if (this.#directRead) {
      try {
        return await this.#directRead(this.service, id);
      } catch {
        // Locked, ambiguous, no answer: the binding knows how to ask, and says what is wrong.
      }
    }
    return (await this.#run(`read "${id}" from`, id, (e, s) => e.getPassword(s))) ?? undefined;
  }

  async set(id: string, value: string): Promise<void> {
    await this.#run(`write "${id}" to`, id, (e, s) => e.setPassword(value, s));
  }

  async delete(id: string): Promise<boolean> {
    return this.#run(`delete "${id}" from`, id, (e, s) => e.deletePassword(s));
  }

  async #run<T>(what: string, id: string, op: (entry: KeyringEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
    let factory: KeyringEntryFactory;
    try {
      factory = await (this.#entries ??= this.#factory());
    } catch (e) {
      this.#entries = undefined;
      throw keychainError('Could not load the OS keychain binding', e);
    }
    try {
      return await withTimeout(this.#timeoutMs, (signal) => op(factory(this.service, id), signal));
    } catch (e) {
      throw keychainError(`Could not ${what} the OS keychain`, e);
    }
  }
}

/** Runs `op` with a signal that aborts after `ms`; rejects with a `timeout` Error then, even if the binding ignores the signal. */
async function withTimeout<T>(ms: number, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([op(ac.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps a keystore failure; the underlying message stays in `cause` (shown with --debug). */
export function keychainError(message: string, cause: unknown): RolehopError {
  return new RolehopError(ErrorCodes.KEYCHAIN_UNAVAILABLE, message, {
    hint: 'The OS keychain did not answer or refused (on Linux: no D-Bus session, as over SSH or in CI, or a locked keyring). Unlock it and retry, or use `--backend file`.',
    cause,
  });
}
