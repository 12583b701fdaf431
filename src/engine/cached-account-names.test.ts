import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedAccountNames } from './cached-account-names.js';

const cacheFile = (fetchedAt: number, accounts: unknown[]) => JSON.stringify({ version: 1, accounts: { fetchedAt, data: accounts } });

describe('cachedAccountNames', () => {
  it('is empty when the directory is missing or holds no inventory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-names-'));
    assert.equal((await cachedAccountNames(join(dir, 'nope'))).size, 0);
    writeFileSync(join(dir, 'other.json'), cacheFile(1, [{ id: '111111111111', name: 'x' }]));
    assert.equal((await cachedAccountNames(dir)).size, 0);
  });

  it('merges every cache file, newest fetch winning, and skips damaged ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-names-'));
    writeFileSync(join(dir, 'org-0000000000000001.json'), cacheFile(2, [{ id: '111111111111', name: 'prod-new', state: 'ACTIVE' }]));
    writeFileSync(
      join(dir, 'org-0000000000000002.json'),
      cacheFile(1, [{ id: '111111111111', name: 'prod-old' }, { id: '222222222222', name: 'dev' }, { id: 3, name: 'bad id' }, null]),
    );
    writeFileSync(join(dir, 'org-0000000000000003.json'), '{not json');
    mkdirSync(join(dir, 'org-0000000000000004.json'));
    assert.deepEqual([...(await cachedAccountNames(dir))].sort(), [
      ['111111111111', 'prod-new'],
      ['222222222222', 'dev'],
    ]);
  });
});
