// The vault under names that are special to plain JavaScript objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRolehopError } from '../errors.js';
import { keyId } from '../stores/contract.js';
import { MemoryStore } from '../stores/memory-store.js';
import { StoreVault } from './vault.js';
import { readVaultIndex, vaultIndexPath } from './vault-index.js';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

function withVault(fn: (vault: StoreVault, store: MemoryStore, home: string) => Promise<void>) {
  return async () => {
    const home = mkdtempSync(join(tmpdir(), 'rolehop-vault-names-'));
    const store = new MemoryStore();
    try {
      await fn(
        new StoreVault(
          home,
          async () => store,
          () => 'memory',
        ),
        store,
        home,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };
}

test(
  'Object.prototype names are never taken for stored keys',
  withVault(async (vault) => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      assert.equal(vault.meta(name), undefined, name);
      assert.equal(vault.has(name), false, name);
    }
    assert.deepEqual(vault.list(), []);
  }),
);

test(
  'constructor and toString are stored, listed and removed like any name',
  withVault(async (vault, store) => {
    await vault.put('constructor', KEY);
    await vault.put('toString', KEY);
    assert.deepEqual(
      vault.list().map((k) => k.profile),
      ['constructor', 'toString'],
    );
    assert.equal(vault.meta('toString')?.accessKeyId, KEY.accessKeyId);
    assert.equal(await vault.remove('constructor'), true);
    assert.equal(await store.get(keyId('constructor')), undefined);
    assert.equal(vault.has('constructor'), false);
  }),
);

test(
  '__proto__ is refused before the store is touched',
  withVault(async (vault, store) => {
    await assert.rejects(vault.put('__proto__', KEY), (e: unknown) => isRolehopError(e) && e.code === 'ERR_PROFILE_INVALID' && !!e.hint);
    assert.equal(await store.get(keyId('__proto__')), undefined);
    assert.deepEqual(vault.list(), []);
  }),
);

test('an index file with a "__proto__" key reads it as data, not as a prototype', () => {
  const home = mkdtempSync(join(tmpdir(), 'rolehop-vault-names-'));
  try {
    const meta = { accessKeyId: KEY.accessKeyId, backend: 'file', addedAt: '2026-01-01T00:00:00.000Z' };
    writeFileSync(vaultIndexPath(home), `{"version":1,"keys":{"__proto__":${JSON.stringify(meta)}}}`);
    const idx = readVaultIndex(vaultIndexPath(home));
    assert.equal(Object.getPrototypeOf(idx.keys), null);
    assert.equal(idx.keys.toString, undefined);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
