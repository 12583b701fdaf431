import { ErrorCodes, isRolehopError, RolehopError } from '../errors.js';

/** What to do about each errno a write of rolehop's own state can meet; anything else gets the general hint. */
const HINTS: Record<string, (dir: string) => string> = {
  ENOSPC: (dir) => `The disk holding ${dir} is full: free some space there.`,
  EDQUOT: (dir) => `Your disk quota is used up on the file system holding ${dir}: free some space there.`,
  EROFS: (dir) => `${dir} is on a read-only file system: point ROLEHOP_HOME at a writable directory.`,
  EIO: (dir) => `The disk holding ${dir} reported an I/O error: check it, and restore from a backup if files there are damaged.`,
  EACCES: (dir) => `Check that ${dir} belongs to you and is writable (mode 0700).`,
  EPERM: (dir) => `Check that ${dir} belongs to you and is writable (mode 0700).`,
};

/**
 * The one mapping of a failed read or write of rolehop's own state (vault,
 * session cache, backend choice) to an error: ERR_VAULT_IO (exit 4), the
 * errno in the message and a hint for it. A RolehopError passes unchanged.
 * `message` and `dir` are paths and prose, never secrets.
 */
export function storageError(message: string, dir: string, cause: unknown): RolehopError {
  if (isRolehopError(cause)) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const hint = (code && HINTS[code]?.(dir)) ?? `Check that ${dir} exists, belongs to you and is writable (mode 0700), and that the disk is not full.`;
  return new RolehopError(ErrorCodes.VAULT_IO, code ? `${message} (${code})` : message, { hint, cause });
}
