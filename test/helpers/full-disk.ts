// A directory where every write fails, for tests of a full disk. Where the
// test may mount (root in a container) it is a real full file system: a tiny
// tmpfs filled to the last page, so writes fail with ENOSPC exactly as on a
// full disk. Elsewhere it falls back to a regular file in the directory's
// place, so creating anything below it fails (EEXIST/ENOTDIR) in the same
// product code; only the errno differs. ROLEHOP_TEST_NO_MOUNT=1 forces the
// fallback, to run it where mounting works.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A directory that refuses writes, from {@link makeFullDir}. */
export interface FullDir {
  path: string;
  /** `tmpfs`: a full file system (ENOSPC); `file`: a regular file stands where the directory should be. */
  how: 'tmpfs' | 'file';
  /** The errno a write below `path` fails with. */
  errno: 'ENOSPC' | 'EEXIST';
  /** Unmounts or removes it, leaving an empty, writable directory. Safe to call twice. */
  release(): void;
}

/** Makes `path` (which must not exist yet) a directory where writes fail. */
export function makeFullDir(path: string): FullDir {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  let released = false;
  const mounted =
    process.env.ROLEHOP_TEST_NO_MOUNT !== '1' &&
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=0700', 'tmpfs', path], { encoding: 'utf8' }).status === 0;
  if (mounted) {
    fill(join(path, 'filler.bin'));
    return {
      path,
      how: 'tmpfs',
      errno: 'ENOSPC',
      release() {
        if (released) return;
        released = true;
        if (spawnSync('umount', [path]).status !== 0) spawnSync('umount', ['-l', path]);
      },
    };
  }
  rmSync(path, { recursive: true, force: true });
  writeFileSync(path, 'a regular file where a directory should be\n');
  return {
    path,
    how: 'file',
    errno: 'EEXIST',
    release() {
      if (released) return;
      released = true;
      rmSync(path, { force: true });
      mkdirSync(path, { recursive: true, mode: 0o700 });
    },
  };
}

/** Writes zeros to `file` until the file system is full. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const page = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, page);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}
