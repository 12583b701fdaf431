import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../errors.js';
import { fileJournal, type RotationJournal } from './journal.js';

const J: RotationJournal = {
  version: 1,
  profile: 'a/b',
  userName: 'alice',
  userArn: 'arn:aws:iam::1:user/alice',
  oldKeyId: 'AKIAOLD',
  newKeyId: 'AKIANEW',
  phase: 'created',
  startedAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:01.000Z',
};

describe('fileJournal', () => {
  it('round-trips, 0600 in a 0700 directory, and removes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rh-journal-'));
    try {
      const j = fileJournal(home, 'a/b');
      assert.equal(await j.read(), undefined);
      await j.write(J);
      assert.deepEqual(await j.read(), J);
      assert.equal(statSync(j.location).mode & 0o777, 0o600);
      assert.equal(statSync(join(home, 'rotate')).mode & 0o777, 0o700);
      assert.ok(j.location.endsWith('a%2Fb.json'));
      await j.remove();
      assert.equal(await j.read(), undefined);
      await j.remove();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('reports a damaged journal with its path', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rh-journal-'));
    try {
      const j = fileJournal(home, 'p');
      await j.write(J);
      writeFileSync(j.location, '{"version":1');
      await assert.rejects(j.read(), (e: { code: string; message: string }) => e.code === ErrorCodes.ROTATE && e.message.includes(j.location));
      assert.ok(readFileSync(j.location, 'utf8').length > 0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('lets one rotation of a profile run at a time', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rh-journal-'));
    try {
      const a = fileJournal(home, 'p', { lockTimeoutMs: 200 });
      const b = fileJournal(home, 'p', { lockTimeoutMs: 200 });
      let release: (() => void) | undefined;
      const held = a.exclusive(() => new Promise<void>((r) => (release = r)));
      while (!release) await new Promise((r) => setTimeout(r, 10));
      await assert.rejects(
        b.exclusive(async () => 1),
        { code: ErrorCodes.ROTATE },
      );
      release();
      await held;
      assert.equal(await b.exclusive(async () => 2), 2);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('never overwrites or removes a journal another process changed since this rotation read it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rh-journal-'));
    try {
      const stalled = fileJournal(home, 'p');
      const other = fileJournal(home, 'p');
      assert.equal(await stalled.read(), undefined);
      // While the first rotation is stalled, another one records its own state.
      assert.equal(await other.read(), undefined);
      await other.write({ ...J, phase: 'creating', newKeyId: undefined });
      const theirs = readFileSync(other.location, 'utf8');
      await assert.rejects(stalled.write(J), (e: { code: string; message: string }) => e.code === ErrorCodes.ROTATE && e.message.includes(other.location));
      await assert.rejects(stalled.remove(), { code: ErrorCodes.ROTATE });
      assert.equal(readFileSync(other.location, 'utf8'), theirs);
      // Its own writes do not trip it: the owner can update and remove.
      await other.write(J);
      await other.remove();
      assert.equal(await other.read(), undefined);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
