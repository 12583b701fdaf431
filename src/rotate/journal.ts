import { join } from 'node:path';
import { FileSnapshot, UpdateConflict } from '../io/guarded-update.js';
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
  /** Durably replaces the journal; ERR_ROTATE, writing nothing, when another process changed it since this store last read or wrote it. */
  write(journal: RotationJournal): Promise<void>;
  /** Deletes the journal (no error when absent); ERR_ROTATE, as `write`, when another process changed it. */
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
  // What this rotation last read or wrote. A write or removal lands only if
  // the file is still that: a rotation that stalled, lost its lock and
  // resumed must not overwrite the journal of the rotation that ran since.
  let seen: FileSnapshot | undefined;
  const snapshot = async (): Promise<FileSnapshot> => {
    try {
      // A journal is a few key ids; 1 MiB is far beyond any rolehop wrote.
      return (seen ??= await FileSnapshot.take([path], 1 << 20));
    } catch (e) {
      throw new RolehopError(ErrorCodes.ROTATE, `Cannot read the rotation journal ${path}: ${e instanceof Error ? e.message : String(e)}`, {
        hint: 'Check the permissions of ROLEHOP_HOME, and that the journal is a regular file.',
        cause: e,
      });
    }
  };
  const guarded = async (op: (snap: FileSnapshot) => Promise<void>): Promise<void> => {
    try {
      await op(await snapshot());
    } catch (e) {
      if (!(e instanceof UpdateConflict)) throw e;
      throw new RolehopError(
        ErrorCodes.ROTATE,
        `The rotation journal ${path} was changed by another process since this rotation read it; it was left as it is`,
        {
          hint: `Another \`rolehop rotate ${profile}\` ran meanwhile. Run \`rolehop rotate ${profile}\` again: it finishes or cleans up from the journal.`,
          cause: e,
        },
      );
    }
  };
  return {
    location: path,
    async read() {
      seen = undefined;
      const text = (await snapshot()).text(path);
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
      await guarded((snap) => snap.write(path, JSON.stringify(journal, null, 2) + '\n'));
    },
    async remove() {
      await guarded((snap) => snap.remove(path));
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
