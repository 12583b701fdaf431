import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, exitCodeFor, RolehopError } from '../errors.js';
import { storageError } from './storage-error.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something, write`), { code });

describe('storageError', () => {
  it('maps a full disk, a quota, a read-only or failing disk to ERR_VAULT_IO (exit 4) with a hint for each', () => {
    for (const [code, hint] of [
      ['ENOSPC', /is full/],
      ['EDQUOT', /quota/],
      ['EROFS', /read-only/],
      ['EIO', /I\/O error/],
    ] as const) {
      const e = storageError('Cannot write the thing /h/x', '/h', errno(code));
      assert.equal(e.code, ErrorCodes.VAULT_IO, code);
      assert.equal(exitCodeFor(e.code), 4);
      assert.equal(e.message, `Cannot write the thing /h/x (${code})`);
      assert.match(e.hint ?? '', hint, code);
      assert.ok(e.hint?.includes('/h'), code);
    }
  });

  it('keeps a RolehopError as it is, and gives anything else the general hint', () => {
    const own = new RolehopError(ErrorCodes.LOCK_TIMEOUT, 'waited');
    assert.equal(storageError('x', '/h', own), own);
    const odd = storageError('Cannot write /h/x', '/h', new Error('no errno'));
    assert.equal(odd.code, ErrorCodes.VAULT_IO);
    assert.match(odd.hint ?? '', /disk is not full/);
  });
});
