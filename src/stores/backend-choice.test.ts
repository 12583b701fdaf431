import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readBackendChoice, writeBackendChoice } from './backend-choice.js';

describe('backend choice file', () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-backend-choice-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('round-trips the choice', async () => {
    await writeBackendChoice(join(root, 'home'), 'file');
    assert.equal(readBackendChoice(join(root, 'home')), 'file');
  });

  it('rejects a failed write with ERR_VAULT_IO, never a bare fs error', async () => {
    const home = join(root, 'not-a-dir');
    writeFileSync(home, 'a regular file where ROLEHOP_HOME should be');
    await assert.rejects(writeBackendChoice(home, 'keychain'), { code: 'ERR_VAULT_IO' });
  });
});
