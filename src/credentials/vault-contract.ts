import type { StoredKey } from './types.js';
import type { StoreKind } from '../stores/contract.js';

/** Non-secret facts about a stored key, readable without unlocking. */
export interface KeyMetadata {
  profile: string;
  accessKeyId: string;
  backend: StoreKind;
  /** ISO time the key was added or last rotated. */
  addedAt: string;
}

/**
 * Long-lived IAM keys by profile: secrets in the SecretStore, a plain-text
 * metadata index (no secrets) beside it so `list` needs no passphrase.
 */
export interface Vault {
  /** Metadata of every stored key; never unlocks the store. */
  list(): KeyMetadata[];
  /** Whether a key is stored for the profile; never unlocks the store. */
  has(profile: string): boolean;
  /** The key; unlocks the store. ERR_NO_STORED_KEY when absent. */
  get(profile: string): Promise<StoredKey>;
  /** Store or replace a key durably (store first, then index). */
  put(profile: string, key: StoredKey): Promise<void>;
  /** Forget a key; false when none was stored. */
  remove(profile: string): Promise<boolean>;
}
