import { join } from 'node:path';
import { readRegularFileSync } from '../io/read-regular-file.js';

/** A persistent backend: the ones worth remembering between runs. */
export type PersistentKind = 'file' | 'keychain';

/** Name of the plain-text file in ROLEHOP_HOME that remembers the backend (not secret). */
export const BACKEND_CHOICE_FILE = 'backend';

/** The remembered backend of `rolehopHome`, or undefined when none (or an unreadable one) is recorded. Synchronous: the file is a few bytes, and the cache-hit path reads it first. */
export function readBackendChoice(rolehopHome: string): PersistentKind | undefined {
  try {
    const text = readRegularFileSync(join(rolehopHome, BACKEND_CHOICE_FILE), 4096)?.trim();
    return text === 'file' || text === 'keychain' ? text : undefined;
  } catch {
    // Missing or unreadable: probing again is the safe answer.
    return undefined;
  }
}

/** Records `kind` as the backend of `rolehopHome` (atomic, 0600; creates the home 0700). Rejects with ERR_VAULT_IO. */
export async function writeBackendChoice(rolehopHome: string, kind: PersistentKind): Promise<void> {
  const { writeFileAtomic } = await import('../io/atomic-write.js');
  const path = join(rolehopHome, BACKEND_CHOICE_FILE);
  try {
    await writeFileAtomic(path, `${kind}\n`, 0o600);
  } catch (e) {
    const { storageError } = await import('../io/storage-error.js');
    throw storageError(`Cannot record the backend in ${path}`, rolehopHome, e);
  }
}
