import { join } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';
import { readRegularFileSync, RefusedFileError } from '../io/read-regular-file.js';
import type { KeyMetadata } from './vault-contract.js';

/** The plain-text vault index: profile names, access key ids and dates, never a secret. */
export interface VaultIndex {
  version: 1;
  /** By profile; an object without a prototype, so `keys[name]` is never an `Object.prototype` member. */
  keys: Record<string, Omit<KeyMetadata, 'profile'>>;
}

/** The index holds a few lines per profile; anything larger is not an index rolehop wrote. */
const MAX_INDEX_BYTES = 4 << 20;

function emptyIndex(): VaultIndex {
  return { version: 1, keys: Object.create(null) as VaultIndex['keys'] };
}

/** Copies parsed JSON keys into a prototype-less object (JSON.parse makes a "__proto__" key an own property; copying keeps it one). */
function ownKeys(parsed: object): VaultIndex['keys'] {
  const keys = Object.create(null) as VaultIndex['keys'];
  for (const [profile, meta] of Object.entries(parsed)) keys[profile] = meta as VaultIndex['keys'][string];
  return keys;
}

/** Where the index of a rolehop home lives. */
export function vaultIndexPath(rolehopHome: string): string {
  return join(rolehopHome, 'vault-index.json');
}

/**
 * Reads the index synchronously (it is small, and the cache-hit path reads
 * it before anything else). A missing file is an empty index; an unreadable
 * or malformed one, or one that is not a regular file, is ERR_VAULT_CORRUPT,
 * since guessing could hide keys.
 */
export function readVaultIndex(path: string): VaultIndex {
  try {
    const text = readRegularFileSync(path, MAX_INDEX_BYTES);
    if (text === undefined) return emptyIndex();
    const raw = JSON.parse(text) as VaultIndex;
    if (raw.version === 1 && raw.keys && typeof raw.keys === 'object') return { version: 1, keys: ownKeys(raw.keys) };
  } catch (e) {
    throw new RolehopError(ErrorCodes.VAULT_CORRUPT, `The vault index ${path} is unreadable${e instanceof RefusedFileError ? `: ${e.message}` : ''}`, {
      hint: 'Restore it from a backup or delete it and run `rolehop add PROFILE` again for each profile (stored secrets are kept).',
      cause: e,
    });
  }
  return emptyIndex();
}
