import { dirname } from 'node:path';
import type { Sealed } from './seal.js';
import { readRegularFileSync } from '../io/read-regular-file.js';
import { storageError } from '../io/storage-error.js';

/** A sealed cache file: metadata in clear, one secret sealed beside it. */
export interface SealedEntry<M> extends Sealed {
  v: 1;
  meta: M;
}

/** An entry is a few hundred bytes of metadata and one sealed secret. */
const MAX_ENTRY_BYTES = 1 << 20;

/**
 * Reads a {@link SealedEntry} file; undefined when missing, unreadable or not
 * an entry (a miss, never an error). Bounded and regular-only: a planted
 * FIFO or device is a miss, never a hang.
 */
export function readSealedEntry<M>(path: string): SealedEntry<M> | undefined {
  try {
    const text = readRegularFileSync(path, MAX_ENTRY_BYTES);
    if (text === undefined) return undefined;
    const e = JSON.parse(text) as SealedEntry<M>;
    return e.v === 1 && e.meta ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seals `plain` under `dataKey` bound to `aad`, and atomically writes it with
 * `meta` to `path` (0600). Rejects with ERR_VAULT_IO naming `what` (full
 * disk, read-only, ...).
 */
export async function writeSealedEntry<M>(path: string, meta: M, plain: string, dataKey: Buffer, aad: string, what: string): Promise<void> {
  // Loaded here, not at the top: readers of the metadata (`list`, `clear`)
  // never load node:crypto, and the cache-hit path only ever reads.
  const [{ seal }, { writeFileAtomic }] = await Promise.all([import('./seal.js'), import('../io/atomic-write.js')]);
  const entry: SealedEntry<M> = { v: 1, meta, ...seal(dataKey, plain, aad) };
  try {
    await writeFileAtomic(path, JSON.stringify(entry), 0o600);
  } catch (e) {
    throw storageError(`Cannot write ${what} ${path}`, dirname(path), e);
  }
}
