/**
 * The SecretStore contract: a tiny key/value store for secrets. Backends:
 * `file` (encrypted file), `keychain` (OS keystore), `memory` (tests, library).
 *
 * Ids are short ASCII names such as `key:prod` (a stored IAM key, JSON) or
 * `cache-key` (the 32-byte base64 data key that encrypts cached sessions).
 * Values are UTF-8 strings. Implementations must be safe against concurrent
 * processes (lock + atomic write) and must never write a value in plain text.
 */
export interface SecretStore {
  /** Backend name, shown in `list` and notices. */
  readonly kind: StoreKind;
  /** The value, or undefined when absent. Rejects with a RolehopError on I/O, passphrase or corruption problems. */
  get(id: string): Promise<string | undefined>;
  /** Create or replace a value durably before resolving. */
  set(id: string, value: string): Promise<void>;
  /** Remove a value; resolves false when it was absent. */
  delete(id: string): Promise<boolean>;
  /** Where this store keeps session copies, if it does (the keychain backend on Linux). */
  readonly sessionCopies?: SessionCopies;
}

/**
 * Session copies (see `sessions/session-copy.ts`), one per profile, kept
 * where the credential_process hot path reads them without loading the
 * store: only the keychain backend on Linux has them, read over D-Bus.
 * Copies are an optimisation: a failed write costs speed, never a session.
 */
export interface SessionCopies {
  /** The copy's text for `profile`, or undefined. */
  get(profile: string): Promise<string | undefined>;
  /** Creates or replaces the copy for `profile`. */
  put(profile: string, text: string): Promise<void>;
  /** Removes every copy whose text `match` accepts; resolves how many went. */
  remove(match: (text: string) => boolean): Promise<number>;
}

export type StoreKind = 'file' | 'keychain' | 'memory';

/** Store id of a profile's long-lived key. */
export const keyId = (profile: string): string => `key:${profile}`;

/** Store id of the data key that encrypts the session cache. */
export const CACHE_KEY_ID = 'cache-key';
