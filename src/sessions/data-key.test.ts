import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CACHE_KEY_ID } from '../stores/contract.js';
import { MemoryStore } from '../stores/memory-store.js';
import { loadDataKey } from './data-key.js';

describe('loadDataKey', () => {
  it('creates the key once and then returns the stored one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-datakey-'));
    try {
      const store = new MemoryStore();
      const first = await loadDataKey(store, join(dir, 'lock'));
      assert.equal(first.length, 32);
      assert.deepEqual(await loadDataKey(store, join(dir, 'lock')), first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns the key the store kept when another writer stored one right after ours', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-datakey-'));
    try {
      const theirs = Buffer.alloc(32, 7).toString('base64');
      const store = new MemoryStore();
      const set = store.set.bind(store);
      // A writer that lost the lock while stalled overwrites ours at once.
      store.set = async (id, value) => {
        await set(id, value);
        if (id === CACHE_KEY_ID) await set(id, theirs);
      };
      assert.equal((await loadDataKey(store, join(dir, 'lock'))).toString('base64'), theirs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
