import { rm } from 'node:fs/promises';
import { readRegularFileSync } from '../io/read-regular-file.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { ErrorCodes, RolehopError, isRolehopError } from '../errors.js';
import { DEFAULT_LOCK_STALE_MS, withLock } from '../io/lock.js';

/**
 * Where a rotation stands, persisted so a killed process can be resumed or
 * cleaned up. Key ids only: a secret never reaches this file.
 * - `creating`: CreateAccessKey is about to be called (a new key may exist, id unknown);
 * - `created`: the new key exists in IAM; its secret lived only in memory;
 * - `stored`: the vault holds the new key; the old one may still exist.
 */
export interface RotationJournal {
  version: 1;
  /** Vault entry (profile holding the long-lived key). */
  profile: string;
  userName: string;
  userArn: string;
  oldKeyId: string;
  newKeyId?: string;
  phase: 'creating' | 'created' | 'stored';
  startedAt: string;
  updatedAt: string;
}

/** Persistence of one profile's rotation journal. */
export interface JournalStore {
  /** Undefined when no rotation is pending; ERR_ROTATE when unreadable. */
  read(): Promise<RotationJournal | undefined>;
  /** Durably replaces the journal. */
  write(journal: RotationJournal): Promise<void>;
  /** Deletes the journal (no error when absent). */
  remove(): Promise<void>;
  /** Runs `fn` while holding the profile's rotation lock; ERR_ROTATE when another rotation runs. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Where the journal lives, for messages. */
  readonly location: string;
}

function isJournal(v: unknown): v is RotationJournal {
  const j = v as Partial<RotationJournal>;
  return (
    typeof j === 'object' &&
    j !== null &&
    j.version === 1 &&
    typeof j.profile === 'string' &&
    typeof j.userName === 'string' &&
    typeof j.userArn === 'string' &&
    typeof j.oldKeyId === 'string' &&
    (j.newKeyId === undefined || typeof j.newKeyId === 'string') &&
    (j.phase === 'creating' || j.phase === 'created' || j.phase === 'stored')
  );
}

/**
 * The journal as a plain JSON file `<rolehopHome>/rotate/<profile>.json`,
 * with a cross-process lock beside it so two rotations of one key cannot
 * interleave. The default lock wait outlives a killed holder's stale lock,
 * so a rotation right after a crash waits for it instead of failing.
 */
export function fileJournal(rolehopHome: string, profile: string, opts: { lockTimeoutMs?: number } = {}): JournalStore {
  const dir = join(rolehopHome, 'rotate');
  const path = join(dir, `${encodeURIComponent(profile)}.json`);
  return {
    location: path,
    async read() {
      let text: string | undefined;
      try {
        // A journal is a few key ids; 1 MiB is far beyond any rolehop wrote.
        text = readRegularFileSync(path, 1 << 20);
      } catch (e) {
        throw new RolehopError(ErrorCodes.ROTATE, `Cannot read the rotation journal ${path}: ${e instanceof Error ? e.message : String(e)}`, {
          hint: 'Check the permissions of ROLEHOP_HOME, and that the journal is a regular file.',
          cause: e,
        });
      }
      if (text === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (!isJournal(parsed)) {
        throw new RolehopError(ErrorCodes.ROTATE, `The rotation journal ${path} is damaged`, {
          hint: `Compare \`aws iam list-access-keys\` with \`rolehop list\`, delete any key rolehop does not hold, then remove ${path}.`,
        });
      }
      return parsed;
    },
    async write(journal) {
      await writeFileAtomic(path, JSON.stringify(journal, null, 2) + '\n');
    },
    async remove() {
      await rm(path, { force: true });
    },
    async exclusive(fn) {
      try {
        return await withLock(join(dir, `${encodeURIComponent(profile)}.lock`), fn, { timeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_STALE_MS + 2000 });
      } catch (e) {
        if (isRolehopError(e) && e.code === ErrorCodes.LOCK_TIMEOUT) {
          throw new RolehopError(ErrorCodes.ROTATE, `Another rotation of "${profile}" is running`, {
            hint: 'Wait for it to finish, then run `rolehop rotate` again if needed.',
            cause: e,
          });
        }
        throw e;
      }
    },
  };
}
