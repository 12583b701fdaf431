import { link, lstat, readFile, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, RolehopError } from '../errors.js';
import { sleep } from '../async/sleep.js';
import { storageError } from './storage-error.js';
import { ensurePrivateDir } from './atomic-write.js';
import { currentOwner, ownerState, parseOwner, type LockOwner, type OwnerState } from './lock-owner.js';

/** Options of {@link withLock}. */
export interface LockOptions {
  /** Give up waiting after this long (default {@link DEFAULT_LOCK_TIMEOUT_MS}). */
  timeoutMs?: number;
  /**
   * A lock whose owner cannot be judged (another host, no owner record, no
   * /proc) is taken over once unrefreshed for this long (default
   * {@link DEFAULT_LOCK_STALE_MS}). The holder refreshes it every
   * `staleMs / 2` while `fn` runs.
   */
  staleMs?: number;
}

/** Default wait for a lock: longer than {@link DEFAULT_LOCK_STALE_MS}, so an unjudgeable dead holder is always outlived. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** Default age after which an unrefreshed lock of an owner that cannot be judged is taken over. */
export const DEFAULT_LOCK_STALE_MS = 10_000;

/*
 * Waiters poll rather than back off exponentially: with 20 processes queued
 * on one lock, backoff would leave the lock idle for seconds between
 * holders. 20-50 ms with jitter keeps the handover prompt and the waiters
 * out of step.
 */
const POLL_MIN_MS = 20;
const POLL_JITTER_MS = 30;

/** A lock as a waiter found it. */
interface Seen {
  ino: number;
  mtimeMs: number;
  owner: LockOwner | undefined;
}

/**
 * Runs `fn` while holding a cross-process exclusive lock on `lockPath`, and
 * releases it when `fn` settles (also when it throws). The lock is the file
 * `lockPath`, created atomically (hard link of a finished temp file) with
 * its owner inside: pid, host, and on Linux the process start time and boot
 * id. Its parent is created 0700 when missing. Not re-entrant: a second
 * `withLock` on the same path inside `fn` waits for itself and times out.
 *
 * Takeover rules, so a holder that is merely paused (SIGSTOP, Ctrl-Z, a
 * suspended laptop) never loses its lock:
 * - an owner on this host that is alive, running or stopped, is waited for,
 *   however long it has not refreshed the lock;
 * - an owner that is provably dead (no such pid, a zombie, a pid reused by a
 *   later process, a previous boot) is taken over at once;
 * - otherwise (another host, no readable owner, a directory left by older
 *   versions, no /proc) the lock is taken over once unrefreshed for `staleMs`.
 * Takeover renames the lock to a unique tombstone, so of several waiters only
 * one can take over a given lock.
 *
 * Rejects with ERR_LOCK_TIMEOUT (message names the holder's pid and whether
 * it is stopped; hint says how to resume or end it) when the lock is still
 * held after `timeoutMs`, ERR_VAULT_IO when the lock cannot be created at
 * all, and otherwise with whatever `fn` rejects with.
 */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const staleMs = opts.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const ino = await acquire(lockPath, timeoutMs, staleMs);
  const refresh = setInterval(() => void touchIfOurs(lockPath, ino), Math.max(staleMs / 2, 100));
  refresh.unref();
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    await releaseIfOurs(lockPath, ino);
  }
}

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<number> {
  try {
    await ensurePrivateDir(dirname(lockPath));
  } catch (e) {
    throw ioError(lockPath, e);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ino = await tryCreate(lockPath);
    if (ino !== undefined) return ino;
    const seen = await inspect(lockPath);
    if (!seen) continue; // released between our attempt and our look: try again at once
    const state = ownerState(seen.owner);
    if (state === 'dead' || (state === 'unknown' && Date.now() - seen.mtimeMs > staleMs)) {
      await takeOver(lockPath, seen);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw timeoutError(lockPath, timeoutMs, seen.owner, state);
    await sleep(Math.min(left, POLL_MIN_MS + Math.random() * POLL_JITTER_MS));
  }
}

function uniqueSibling(lockPath: string, suffix: string): string {
  const unique = `${process.pid}.${Date.now().toString(36)}.${Math.floor(Math.random() * 0xffffffff).toString(36)}`;
  return join(dirname(lockPath), `.${basename(lockPath)}.${unique}.${suffix}`);
}

/** Creates the lock with our owner record; resolves its inode, or undefined when someone holds it. */
async function tryCreate(lockPath: string): Promise<number | undefined> {
  // link() fails when lockPath exists and publishes a complete file when it
  // does not: a waiter never sees a lock without its owner.
  const tmp = uniqueSibling(lockPath, 'new');
  try {
    await writeFile(tmp, JSON.stringify(currentOwner()), { flag: 'wx', mode: 0o600 });
    // The inode from our own name: once linked, the lock may already have
    // been taken over (we may be stopped right after link), and lockPath
    // would then name someone else's lock or nothing.
    const { ino } = await lstat(tmp);
    try {
      await link(tmp, lockPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw e;
    }
    return ino;
  } catch (e) {
    throw ioError(lockPath, e);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

async function inspect(lockPath: string): Promise<Seen | undefined> {
  try {
    const st = await lstat(lockPath);
    // A directory is a lock of an older rolehop (proper-lockfile): no owner.
    const owner = st.isFile() ? parseOwner(await readFile(lockPath, 'utf8')) : undefined;
    return { ino: st.ino, mtimeMs: st.mtimeMs, owner };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(lockPath, e);
  }
}

/**
 * The same lock file as when it was judged: same inode, same mtime, same
 * owner. The inode alone is not enough: a lock released and created anew
 * in between may get the freed inode back.
 */
function sameLock(a: Seen, b: Seen): boolean {
  const o = a.owner;
  const p = b.owner;
  const sameOwner = !o || !p ? o === p : o.pid === p.pid && o.host === p.host && o.start === p.start && o.boot === p.boot;
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && sameOwner;
}

/**
 * Moves the lock we judged stale out of the way. Judging took time: the
 * lock is looked at again first, and left alone when it is no longer the
 * one judged (released, or a new holder's). rename() succeeds for one
 * waiter only; the loser sees ENOENT and simply tries again. If what we
 * moved is still not the lock we judged (replaced in the instant between),
 * it is put back when its place is still free.
 */
async function takeOver(lockPath: string, seen: Seen): Promise<void> {
  const now = await inspect(lockPath);
  if (!now || !sameLock(now, seen)) return;
  const tomb = uniqueSibling(lockPath, 'stale');
  try {
    await rename(lockPath, tomb);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw ioError(lockPath, e);
  }
  const moved = await inspect(tomb).catch(() => undefined);
  if (moved && !sameLock(moved, seen) && (await lstat(tomb)).isFile()) {
    await link(tomb, lockPath).catch(() => {});
  }
  await rm(tomb, { recursive: true, force: true }).catch(() => {});
}

async function isOurs(lockPath: string, ino: number): Promise<boolean> {
  const st = await lstat(lockPath).catch(() => undefined);
  return st?.ino === ino;
}

/** Keeps the mtime fresh for waiters that judge by staleness (other hosts). */
async function touchIfOurs(lockPath: string, ino: number): Promise<void> {
  if (!(await isOurs(lockPath, ino))) return;
  const now = new Date();
  await utimes(lockPath, now, now).catch(() => {});
}

async function releaseIfOurs(lockPath: string, ino: number): Promise<void> {
  // A lock that was taken over (unjudgeable owner, unrefreshed) is someone
  // else's now: removing it would let a third process in beside them.
  if (await isOurs(lockPath, ino)) await unlink(lockPath).catch(() => {});
}

function timeoutError(lockPath: string, timeoutMs: number, owner: LockOwner | undefined, state: OwnerState): RolehopError {
  const pid = owner?.pid;
  const details = { lockPath, timeoutMs, ...(pid ? { holderPid: pid, holderState: state } : {}) };
  if (pid && state === 'stopped') {
    return new RolehopError(
      ErrorCodes.LOCK_TIMEOUT,
      `Timed out after ${timeoutMs} ms waiting for the lock ${lockPath}: its holder, process ${pid}, is stopped`,
      {
        hint: `Process ${pid} holds ${lockPath}. Resume it (\`fg\` in its terminal, or \`kill -CONT ${pid}\`) so it can finish, or end it (\`kill ${pid}\`), then try again.`,
        details,
      },
    );
  }
  if (pid && state === 'running') {
    return new RolehopError(ErrorCodes.LOCK_TIMEOUT, `Timed out after ${timeoutMs} ms waiting for the lock ${lockPath}, held by process ${pid}`, {
      hint: `Process ${pid} holds ${lockPath}. Wait for it to finish (it may be waiting for input), or end it (\`kill ${pid}\`), then try again.`,
      details,
    });
  }
  const who = owner ? ` held by process ${owner.pid} on ${owner.host}` : '';
  return new RolehopError(ErrorCodes.LOCK_TIMEOUT, `Timed out after ${timeoutMs} ms waiting for the lock ${lockPath}${who}`, {
    hint: `Another rolehop process holds ${lockPath}. Wait for it to finish; if none is running, remove ${lockPath}.`,
    details,
  });
}

function ioError(lockPath: string, cause: unknown): RolehopError {
  return storageError(`Cannot create the lock ${lockPath}`, dirname(lockPath), cause);
}
