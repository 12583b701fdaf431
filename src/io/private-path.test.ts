import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../errors.js';
import { ancestorProblem, assertTrustedHome, homeProblem, ownProblem } from './private-path.js';

describe('ownProblem and ancestorProblem', () => {
  it('want our own, unwritable by others; ancestors may be root-owned or sticky', () => {
    assert.equal(ownProblem('/h', { uid: 1000, mode: 0o40700 }, 1000), undefined);
    assert.equal(ownProblem('/h', { uid: 1000, mode: 0o40755 }, 1000), undefined);
    assert.match(ownProblem('/h', { uid: 1001, mode: 0o40700 }, 1000)!.why, /belongs to uid 1001/);
    assert.match(ownProblem('/h', { uid: 1000, mode: 0o40770 }, 1000)!.why, /writable by its group \(mode 0770\)/);
    assert.match(ownProblem('/h', { uid: 0, mode: 0o40700 }, 1000)!.why, /belongs to uid 0/);
    assert.equal(ancestorProblem('/', { uid: 0, mode: 0o40755 }, 1000), undefined);
    assert.equal(ancestorProblem('/tmp', { uid: 0, mode: 0o41777 }, 1000), undefined);
    assert.match(ancestorProblem('/shared', { uid: 0, mode: 0o40777 }, 1000)!.why, /writable by every user/);
    assert.match(ancestorProblem('/home/eve', { uid: 1002, mode: 0o40755 }, 1000)!.why, /belongs to uid 1002/);
  });
});

describe('homeProblem and assertTrustedHome', () => {
  let base: string;
  const euid = process.geteuid!();
  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'rolehop-private-')));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('accepts a private home, and a missing one under private parents', () => {
    mkdirSync(join(base, 'ok'), { mode: 0o700 });
    assert.equal(homeProblem(join(base, 'ok'), euid), undefined);
    assert.equal(homeProblem(join(base, 'missing', 'deeper'), euid), undefined);
    assert.doesNotThrow(() => assertTrustedHome(join(base, 'ok'), euid));
  });

  it('refuses a world-writable home, one under a world-writable parent, and one reached through a link into one', () => {
    mkdirSync(join(base, 'open'));
    chmodSync(join(base, 'open'), 0o777);
    assert.equal(homeProblem(join(base, 'open'), euid)?.path, join(base, 'open'));
    assert.equal(homeProblem(join(base, 'open', 'not-yet'), euid)?.path, join(base, 'open'));
    symlinkSync(join(base, 'open'), join(base, 'link'));
    assert.equal(homeProblem(join(base, 'link'), euid)?.path, join(base, 'open'));
  });

  it('refuses a guarded entry others can write to, with the fix in the hint', () => {
    mkdirSync(join(base, 'home', 'sessions'), { recursive: true, mode: 0o700 });
    chmodSync(join(base, 'home', 'sessions'), 0o733);
    assert.throws(
      () => assertTrustedHome(join(base, 'home'), euid),
      (e: { code: string; message: string; hint: string }) =>
        e.code === ErrorCodes.UNSAFE_PERMISSIONS && /sessions: it is writable by every user/.test(e.message) && e.hint.includes('chmod go-w'),
    );
  });
});
