import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ErrorCodes, RolehopError } from '../errors.js';
import { FileSnapshot, guardedUpdate, UpdateConflict } from './guarded-update.js';

const conflict = () => new RolehopError(ErrorCodes.VAULT_IO, 'kept changing; nothing written');

/** Appends `item` to the JSON list in `path`, as a read-modify-write would; `meanwhile` runs between the read and the write. */
function appendAttempt(path: string, item: string, meanwhile: () => void) {
  return async (snap: FileSnapshot) => {
    const list = JSON.parse(snap.text(path) ?? '[]') as string[];
    meanwhile();
    await snap.write(path, JSON.stringify([...list, item]));
  };
}

describe('guardedUpdate', () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-guarded-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('re-reads and re-applies when another writer committed between the read and the rename', async () => {
    const path = join(root, 'list.json');
    writeFileSync(path, '["a"]');
    let interfered = false;
    await guardedUpdate(
      [path],
      appendAttempt(path, 'mine', () => {
        // The other writer commits once, after our first read.
        if (!interfered) writeFileSync(path, '["a","theirs"]');
        interfered = true;
      }),
      { conflict },
    );
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), ['a', 'theirs', 'mine']);
  });

  it('sees a file created after it was read as absent', async () => {
    const path = join(root, 'created.json');
    let first = true;
    await guardedUpdate(
      [path],
      appendAttempt(path, 'mine', () => {
        if (first) writeFileSync(path, '["theirs"]');
        first = false;
      }),
      { conflict },
    );
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), ['theirs', 'mine']);
  });

  it('gives up without writing when the file changes under every attempt', async () => {
    const path = join(root, 'busy.json');
    writeFileSync(path, '[]');
    let n = 0;
    await assert.rejects(
      guardedUpdate(
        [path],
        appendAttempt(path, 'mine', () => writeFileSync(path, JSON.stringify([`theirs-${++n}`]))),
        { conflict, attempts: 4 },
      ),
      (e) => e instanceof RolehopError && e.code === ErrorCodes.VAULT_IO,
    );
    assert.equal(n, 4);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), ['theirs-4']);
  });

  it('checks every file of the snapshot, and accepts its own earlier writes', async () => {
    const a = join(root, 'a.json');
    const b = join(root, 'b.json');
    writeFileSync(a, '1');
    writeFileSync(b, '1');
    const snap = await FileSnapshot.take([a, b]);
    await snap.write(a, '2');
    await snap.write(b, '2'); // a now holds our own write: still as this snapshot knows it
    writeFileSync(a, '3');
    await assert.rejects(snap.write(b, '4'), (e) => e instanceof UpdateConflict && e.path === a);
    assert.equal(readFileSync(b, 'utf8'), '2');
    await assert.rejects(snap.remove(b), UpdateConflict);
    assert.equal(readFileSync(b, 'utf8'), '2');
  });
});
