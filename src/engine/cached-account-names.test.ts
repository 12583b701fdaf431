import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgAccount, OrgPort } from '../aws/organizations.js';
import { cachedAccountNames } from './cached-account-names.js';
import { OrgInventory } from './org-inventory.js';

function inTempDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolehop-names-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Fills the cache the way a real run does: through OrgInventory, with a port that only lists accounts. */
async function seed(cacheDir: string, cacheKey: string, accounts: OrgAccount[], fetchedAt: number): Promise<void> {
  const port = { listAccounts: async () => accounts } as unknown as OrgPort;
  await new OrgInventory({ port: async () => port, cacheDir, cacheKey, now: () => fetchedAt }).accounts();
}

test(
  'names come from every cached inventory; the newer cache wins a disagreement',
  inTempDir(async (dir) => {
    await seed(
      dir,
      'org-a',
      [
        { id: '111111111111', name: 'Old name', state: 'ACTIVE' },
        { id: '222222222222', name: 'Shared', state: 'ACTIVE' },
      ],
      1000,
    );
    await seed(dir, 'org-b', [{ id: '111111111111', name: 'Production', state: 'ACTIVE' }], 2000);
    const names = await cachedAccountNames(dir);
    assert.deepEqual(Object.fromEntries(names), { '111111111111': 'Production', '222222222222': 'Shared' });
  }),
);

test(
  'a missing directory, corrupt files and foreign files give what is readable, never an error',
  inTempDir(async (dir) => {
    assert.equal((await cachedAccountNames(join(dir, 'none'))).size, 0);
    writeFileSync(join(dir, 'org-0123456789abcdef.json'), '{not json');
    writeFileSync(join(dir, 'org-fedcba9876543210.json'), JSON.stringify({ version: 2, accounts: { fetchedAt: 1, data: [{ id: '3', name: 'x' }] } }));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ version: 1, accounts: { fetchedAt: 1, data: [{ id: '4', name: 'y' }] } }));
    mkdirSync(join(dir, 'org-aaaaaaaaaaaaaaaa.json'));
    assert.equal((await cachedAccountNames(dir)).size, 0);
    await seed(dir, 'org-c', [{ id: '333333333333', name: 'Sandbox', state: 'ACTIVE' }], 1);
    assert.deepEqual([...(await cachedAccountNames(dir))], [['333333333333', 'Sandbox']]);
  }),
);
