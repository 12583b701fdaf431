// A file vault written before the header checksum existed still opens, and
// the next write adds the checksum. The fixture was written by FileStore at
// commit 340da6a (TEST_KDF, TEST_PASSPHRASE) and must never be regenerated.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FileStore } from '../../src/stores/file-store.js';
import { TEST_KDF, TEST_PASSPHRASE } from './helpers/test-kdf.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/vault-v1-before-header-sum.enc', import.meta.url));

describe('file vault written before the header checksum', () => {
  let root: string;
  let dir: string;
  const open = (passphrase = TEST_PASSPHRASE) => new FileStore({ dir, kdf: TEST_KDF, getPassphrase: async () => passphrase });
  const envelope = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rolehop-vault-compat-'));
    dir = join(root, 'vault');
    mkdirSync(dir, { mode: 0o700 });
    copyFileSync(FIXTURE, join(dir, 'secrets.enc'));
    copyFileSync(FIXTURE, join(dir, 'secrets.enc.bak'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('opens, and the next write adds the header checksum to both files', async () => {
    assert.equal(envelope('secrets.enc').headerSum, undefined, 'the fixture predates the checksum');
    const store = open();
    assert.match((await store.get('key:legacy')) ?? '', /AKIALEGACYFIXTURE000/);
    await store.set('key:new', 'v');
    for (const name of ['secrets.enc', 'secrets.enc.bak']) assert.equal(typeof envelope(name).headerSum, 'string', name);
    const again = open();
    assert.equal(await again.get('key:new'), 'v');
    assert.match((await again.get('key:legacy')) ?? '', /AKIALEGACYFIXTURE000/);
  });

  it('still tells a wrong passphrase apart', async () => {
    await assert.rejects(open('not it').get('key:legacy'), { code: 'ERR_VAULT_PASSPHRASE' });
  });

  it('with no checksum to go by, a damaged KDF header in both files still reads as a wrong passphrase whose hint mentions damage', async () => {
    // The known limit of the old format, kept on purpose: it opens as before.
    const text = readFileSync(FIXTURE, 'utf8').replace('"r": 8', '"r": 9');
    writeFileSync(join(dir, 'secrets.enc'), text);
    writeFileSync(join(dir, 'secrets.enc.bak'), text);
    await assert.rejects(open().get('key:legacy'), (e: { code?: string; hint?: string }) => e.code === 'ERR_VAULT_PASSPHRASE' && /damaged/.test(e.hint ?? ''));
  });
});
