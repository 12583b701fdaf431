import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notRegularFile, readFileOrPipe, readRegularFileSync, RefusedFileError } from './read-regular-file.js';

function inTempDir(fn: (dir: string) => Promise<void> | void) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-read-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const refused = (reason: string, what: RegExp) => (e: unknown) => e instanceof RefusedFileError && e.reason === reason && what.test(e.message);

test(
  'a regular file is read whole; a missing one is undefined',
  inTempDir((dir) => {
    writeFileSync(join(dir, 'f'), 'héllo\n');
    assert.equal(readRegularFileSync(join(dir, 'f'), 100), 'héllo\n');
    assert.equal(readRegularFileSync(join(dir, 'missing'), 100), undefined);
    writeFileSync(join(dir, 'exact'), 'x'.repeat(100));
    assert.equal(readRegularFileSync(join(dir, 'exact'), 100)!.length, 100);
  }),
);

test(
  'FIFOs, devices and directories are refused without blocking; a file over the cap is refused',
  inTempDir((dir) => {
    const fifo = join(dir, 'fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assert.throws(() => readRegularFileSync(fifo, 100), refused('not-regular', /FIFO/));
    assert.throws(() => readRegularFileSync('/dev/zero', 100), refused('not-regular', /character device/));
    assert.throws(() => readRegularFileSync(dir, 100), refused('not-regular', /directory/));
    writeFileSync(join(dir, 'big'), 'x'.repeat(101));
    assert.throws(() => readRegularFileSync(join(dir, 'big'), 100), refused('too-large', /larger than 100 bytes/));
    assert.equal(notRegularFile(fifo), 'a FIFO (named pipe), not a regular file');
    assert.equal(notRegularFile(join(dir, 'big')), undefined);
    assert.equal(notRegularFile(join(dir, 'big'), 100), 'larger than 100 bytes');
    assert.equal(notRegularFile(join(dir, 'missing')), undefined);
  }),
);

test(
  'readFileOrPipe reads a pipe to its end, within the cap, and refuses devices',
  inTempDir(async (dir) => {
    const fifo = join(dir, 'fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const writer = spawn('sh', ['-c', `printf 'a\\nb\\n' > '${fifo}'`]);
    assert.equal(await readFileOrPipe(fifo, 100), 'a\nb\n');
    writer.kill();
    const flood = spawn('sh', ['-c', `head -c 5000 /dev/zero > '${fifo}'`]);
    await assert.rejects(readFileOrPipe(fifo, 1000), refused('too-large', /larger than 1000 bytes/));
    flood.kill();
    await assert.rejects(readFileOrPipe('/dev/zero', 100), refused('not-regular', /device/));
    assert.equal(await readFileOrPipe(join(dir, 'missing'), 100), undefined);
  }),
);
