import { unlink } from 'node:fs/promises';
import type { RolehopError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { readRegularFileBytesSync } from './read-regular-file.js';

/** Default cap of a snapshot's files: far above any state rolehop writes, so only a misplaced huge file is refused. */
export const DEFAULT_SNAPSHOT_MAX_BYTES = 64 << 20;

/** Thrown inside an attempt when a file changed since the attempt read it; {@link guardedUpdate} retries on it. */
export class UpdateConflict extends Error {
  constructor(readonly path: string) {
    super(`${path} changed since it was read`);
    this.name = 'UpdateConflict';
  }
}

// Bounded and regular files only (a FIFO or a device in rolehop's home must
// not hang or exhaust the process); undefined when absent.
function readOptional(path: string, maxBytes: number): Buffer | undefined {
  return readRegularFileBytesSync(path, maxBytes);
}

function same(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

/**
 * What one read-modify-write read: the bytes of each of its files (or their
 * absence), taken before the caller decides anything. Its writes land only
 * while every file is still exactly as read (or as this snapshot itself last
 * wrote it), checked just before each rename. Bytes rather than inode or
 * mtime: equal bytes mean the change is based on what is there now, so a
 * recycled inode or a coarse clock cannot fool it.
 */
export class FileSnapshot {
  private constructor(
    private readonly seen: Map<string, Buffer | undefined>,
    private readonly maxBytes: number,
  ) {}

  /**
   * Reads `paths` now. Rejects with the fs error of a file that exists but
   * cannot be read, and with RefusedFileError for one that is not a regular
   * file or is larger than `maxBytes`.
   */
  static async take(paths: readonly string[], maxBytes = DEFAULT_SNAPSHOT_MAX_BYTES): Promise<FileSnapshot> {
    const seen = new Map<string, Buffer | undefined>();
    for (const p of paths) seen.set(p, readOptional(p, maxBytes));
    return new FileSnapshot(seen, maxBytes);
  }

  /** The bytes read for `path` (undefined when it was absent or is not part of the snapshot). */
  bytes(path: string): Buffer | undefined {
    return this.seen.get(path);
  }

  /** The text read for `path`, as UTF-8. */
  text(path: string): string | undefined {
    return this.seen.get(path)?.toString('utf8');
  }

  /** Rejects with {@link UpdateConflict} when any file differs from what this snapshot holds. */
  async verify(): Promise<void> {
    for (const [p, bytes] of this.seen) {
      if (!same(bytes, readOptional(p, this.maxBytes))) throw new UpdateConflict(p);
    }
  }

  /** {@link writeFileAtomic} of `path`, renamed into place only if {@link verify} passes just before. */
  async write(path: string, data: string | Buffer, mode = 0o600): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await writeFileAtomic(path, bytes, mode, { beforeRename: () => this.verify() });
    this.seen.set(path, bytes);
  }

  /** Deletes `path` if {@link verify} passes just before (no error when it is already absent). */
  async remove(path: string): Promise<void> {
    await this.verify();
    await unlink(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    this.seen.set(path, undefined);
  }
}

/** Options of {@link guardedUpdate}. */
export interface GuardedUpdateOptions {
  /** Attempts before giving up (default 3). */
  attempts?: number;
  /** The error to reject with when every attempt met a change; it must say that nothing was written. */
  conflict: (last: UpdateConflict) => RolehopError;
}

/**
 * Runs a read-modify-write of `paths` that never overwrites a change it did
 * not see: `attempt` gets a fresh {@link FileSnapshot}, reads from it and
 * writes through it. When a file changed in between, the attempt is dropped
 * and run again on a new snapshot (re-read, re-apply), up to `attempts`
 * times; then rejects with `conflict`. Run it under the files' lock: the lock
 * keeps writers apart, this catches a writer that lost its lock (taken over
 * after a stall) and would otherwise commit an old view. The check and the
 * rename are two steps, so a writer stalled exactly between them still wins.
 * Other errors of `attempt` propagate at once.
 */
export async function guardedUpdate<T>(paths: readonly string[], attempt: (snap: FileSnapshot) => Promise<T>, opts: GuardedUpdateOptions): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 3);
  for (let i = 1; ; i++) {
    try {
      return await attempt(await FileSnapshot.take(paths));
    } catch (e) {
      if (!(e instanceof UpdateConflict)) throw e;
      if (i >= attempts) throw opts.conflict(e);
    }
  }
}
