import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pidMayRun } from './pid-running.js';

/**
 * Creates `path` (and missing parents) with mode 0700. An existing directory
 * is left as it is: tightening a directory the user made is not our call.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
}

/**
 * A temp file name as {@link tempPathFor} makes it: `.<basename>.<pid>-<unique>.tmp`,
 * the writer's pid in hex first so a later writer can tell whether it died.
 */
const TEMP_NAME = /^\..+\.([0-9a-f]{1,8})-[0-9a-f]+\.tmp$/;

/**
 * Age after which a temp file is an orphan whatever its pid says: no write
 * takes this long, and the pid may have been reused by an unrelated process.
 */
export const ORPHAN_TEMP_MAX_AGE_MS = 60 * 60_000;

let made = 0;

/**
 * The name of a temp file for `path`: hidden, in the same directory, unique,
 * `.<basename>.<pid hex>-<hex>.tmp`. Exported so an owner of `path` can
 * recognise (and, under its lock, remove) temps orphaned by a killed writer.
 */
export function tempPathFor(path: string): string {
  // Not node:crypto: the keychain hot path writes through here and must not
  // load it. Unpredictability is not needed: the file is opened with 'wx' in
  // a private directory, so a collision fails instead of following anything.
  const unique = `${Date.now().toString(16)}${Math.floor(Math.random() * 0xffffffff).toString(16)}${(made++).toString(16)}`;
  return join(dirname(path), `.${basename(path)}.${process.pid.toString(16)}-${unique}.tmp`);
}

/**
 * Removes from `dir` the temp files of writers that died mid-write (kill -9,
 * power loss): those whose pid no longer runs, and those older than
 * {@link ORPHAN_TEMP_MAX_AGE_MS}. A running writer's temp is never touched,
 * so this needs no lock. Best effort: it never throws.
 */
export function removeOrphanTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined) continue;
    const path = join(dir, name);
    try {
      if (!pidMayRun(Number.parseInt(pid, 16)) || now - lstatSync(path).mtimeMs > ORPHAN_TEMP_MAX_AGE_MS) rmSync(path, { force: true });
    } catch {
      // Renamed or removed by its writer meanwhile, or not a file: not ours to judge.
    }
  }
}

/**
 * Replaces `path` with `data` so that readers (and a crash at any instant)
 * see either the old content or the new, never a mix: write a temp file in
 * the same directory, fsync it, rename it over `path`, fsync the directory so
 * the rename itself survives a power loss. The file gets exactly `mode`
 * (default 0600, regardless of umask); a missing parent is created 0700.
 * Temps orphaned in the directory by dead writers go first
 * ({@link removeOrphanTemps}).
 * Rejects with the underlying fs error; the temp file is removed on failure.
 * `beforeRename` runs after the temp file is synced, as the last step before
 * the rename; when it rejects, nothing is renamed and the write rejects with
 * its error (a read-modify-write checks there that its input is unchanged).
 */
export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600, opts: { beforeRename?: () => Promise<void> } = {}): Promise<void> {
  const dir = dirname(path);
  await ensurePrivateDir(dir);
  removeOrphanTemps(dir);
  const tmp = tempPathFor(path);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.chmod(mode);
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await opts.beforeRename?.();
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fsyncDir(dir);
}

/** Flushes a directory entry change. Some platforms cannot open a directory for fsync; there the rename is as durable as the OS makes it. */
async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw e;
  } finally {
    await fh?.close();
  }
}

/**
 * The synchronous twin of {@link writeFileAtomic}, for the one writer that
 * runs while the process exits (the V8 code cache): temp file, fsync,
 * rename; exactly `mode`; a missing parent is created 0700. The directory is
 * not fsynced: what it writes is a cache that is made again when lost.
 * Orphaned temps go first, as in {@link writeFileAtomic}.
 * Throws the underlying fs error; the temp file is removed on failure.
 */
export function writeFileAtomicSync(path: string, data: Uint8Array, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  removeOrphanTemps(dirname(path));
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
