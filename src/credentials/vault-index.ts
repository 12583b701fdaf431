import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';
import type { KeyMetadata } from './vault-contract.js';

/** The plain-text vault index: profile names, access key ids and dates, never a secret. */
export interface VaultIndex {
  version: 1;
  keys: Record<string, Omit<KeyMetadata, 'profile'>>;
}

/** Where the index of a rolehop home lives. */
export function vaultIndexPath(rolehopHome: string): string {
  return join(rolehopHome, 'vault-index.json');
}

/**
 * Reads the index synchronously (it is small, and the cache-hit path reads
 * it before anything else). A missing file is an empty index; an unreadable
 * or malformed one is ERR_VAULT_CORRUPT, since guessing could hide keys.
 */
export function readVaultIndex(path: string): VaultIndex {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as VaultIndex;
    if (raw.version === 1 && raw.keys && typeof raw.keys === 'object') return raw;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} };
    throw new RolehopError(ErrorCodes.VAULT_CORRUPT, `The vault index ${path} is unreadable`, {
      hint: 'Restore it from a backup or delete it and run `rolehop add PROFILE` again for each profile (stored secrets are kept).',
      cause: e,
    });
  }
  return { version: 1, keys: {} };
}
