import { dirname } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';
import { sleep } from '../async/sleep.js';
import { ensurePrivateDir } from './atomic-write.js';

/** Options of {@link withLock}. */
export interface LockOptions {
  /** Give up waiting after this long (default {@link DEFAULT_LOCK_TIMEOUT_MS}). */
  timeoutMs?: number;
  /**
   * A lock whose holder has not refreshed it for this long is taken over
   * (default {@link DEFAULT_LOCK_STALE_MS}; proper-lockfile's floor is 2 s).
   * The holder refreshes it every `staleMs / 2` while `fn` runs.
   */
  staleMs?: number;
}

/** Default wait for a lock: longer than {@link DEFAULT_LOCK_STALE_MS}, so a dead holder is always outlived. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** Default age after which an unrefreshed lock (holder killed) is taken over. */
export const DEFAULT_LOCK_STALE_MS = 10_000;

/*
 * Waiters poll on their own rather than through proper-lockfile's exponential
 * `retries`: with 20 processes queued on one lock, backoff would leave the
 * lock idle for seconds between holders. 20-50 ms with jitter keeps the
 * handover prompt and the waiters out of step.
 */
const POLL_MIN_MS = 20;
const POLL_JITTER_MS = 30;

/**
 * Runs `fn` while holding a cross-process exclusive lock on `lockPath`, and
 * releases it when `fn` settles (also when it throws). The lock is the
 * directory `lockPath` itself, made with an atomic `mkdir` by proper-lockfile;
 * nothing needs to exist at `lockPath` beforehand, and its parent is created
 * 0700 when missing. Not re-entrant: a second `withLock` on the same path
 * inside `fn` waits for itself and times out.
 *
 * A holder that dies (SIGKILL, power loss) leaves the directory behind; it is
 * taken over once unrefreshed for `staleMs`. Takeover is stat-then-rmdir in
 * proper-lockfile, so two waiters taking over the same dead lock at the same
 * instant could both proceed: rare, and callers keep their writes atomic.
 *
 * Rejects with ERR_LOCK_TIMEOUT (hint names the lock) when the lock is still
 * held after `timeoutMs`, ERR_VAULT_IO when the lock cannot be created at all,
 * and otherwise with whatever `fn` rejects with.
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const staleMs = opts.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const release = await acquire(lockPath, timeoutMs, staleMs);
  try {
    return await fn();
  } finally {
    // A lock that was compromised (taken over after a long stall) or already
    // removed has nothing left to release; fn's outcome is what matters.
    await release().catch(() => {});
  }
}

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<() => Promise<void>> {
  const lockfile = await import('proper-lockfile');
  const lock = lockfile.lock ?? lockfile.default.lock;
  try {
    await ensurePrivateDir(dirname(lockPath));
  } catch (e) {
    throw ioError(lockPath, e);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: staleMs,
        retries: 0,
        // The default throws from a timer, which would crash the process. A
        // compromised lock means a waiter decided we were dead; our own writes
        // are atomic, so finishing fn is still safe.
        onCompromised: () => {},
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw ioError(lockPath, e);
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new RolehopError(ErrorCodes.LOCK_TIMEOUT, `Timed out after ${timeoutMs} ms waiting for the lock ${lockPath}`, {
        hint: `Another rolehop process holds ${lockPath}. Wait for it to finish; if none is running, remove that directory.`,
        details: { lockPath, timeoutMs },
      });
    }
    await sleep(Math.min(left, POLL_MIN_MS + Math.random() * POLL_JITTER_MS));
  }
}

function ioError(lockPath: string, cause: unknown): RolehopError {
  const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
  return new RolehopError(ErrorCodes.VAULT_IO, `Cannot create the lock ${lockPath} (${code})`, {
    hint: `Check that ${dirname(lockPath)} is a directory you can write to.`,
    cause,
  });
}
