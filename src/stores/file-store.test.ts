import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isRolehopError } from '../errors.js';
import type { Logger } from '../io/context.js';
import { FileStore, type FileStoreOptions } from './file-store.js';
import type { KdfSpec } from './kdf.js';

// Weak on purpose, tests only: production vaults use DEFAULT_KDF.
const KDF: KdfSpec = { name: 'scrypt', params: { N: 2 ** 10, r: 8, p: 1 } };
const PASS = 'correct horse battery staple';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m) => warnings.push(m) };
}

describe(FileStore.name, () => {
  let root: string;
  let dir: string;
  let asked: Array<'unlock' | 'create'>;
  const make = (over: Partial<FileStoreOptions> = {}) =>
    new FileStore({
      dir,
      kdf: KDF,
      getPassphrase: async (purpose) => {
        asked.push(purpose);
        return PASS;
      },
      ...over,
    });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rolehop-filestore-'));
    dir = join(root, 'home', 'vault');
    asked = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('round-trips values and persists them across instances', async () => {
    const a = make();
    await a.set('key:prod', '{"secret":"s3cr3t-value"}');
    await a.set('cache-key', 'AAAA');
    assert.equal(await a.get('key:prod'), '{"secret":"s3cr3t-value"}');
    assert.equal(await a.get('missing'), undefined);
    const b = make();
    assert.equal(await b.get('cache-key'), 'AAAA');
    assert.equal(await b.delete('cache-key'), true);
    assert.equal(await b.delete('cache-key'), false);
    assert.equal(await make().get('cache-key'), undefined);
    assert.equal(await make().get('key:prod'), '{"secret":"s3cr3t-value"}');
  });

  it('asks for the passphrase once per instance (create, then reuse) and not at all without a vault', async () => {
    const s = make();
    assert.equal(await s.get('x'), undefined);
    assert.equal(await s.delete('x'), false);
    assert.deepEqual(asked, []);
    await s.set('a', '1');
    await s.set('b', '2');
    await s.get('a');
    assert.deepEqual(asked, ['create']);
    const t = make();
    await t.get('a');
    await t.set('c', '3');
    assert.deepEqual(asked, ['create', 'unlock']);
  });

  it('keeps concurrent calls on one instance from losing entries', async () => {
    const s = make();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.set(`k${i}`, `v${i}`)));
    const fresh = make();
    for (let i = 0; i < 20; i++) assert.equal(await fresh.get(`k${i}`), `v${i}`);
  });

  it('rejects a wrong passphrase with ERR_VAULT_PASSPHRASE and asks again next time', async () => {
    await make().set('a', '1');
    let answers = ['wrong', PASS];
    const s = make({ getPassphrase: async () => answers.shift()! });
    await assert.rejects(s.get('a'), (e) => isRolehopError(e) && e.code === 'ERR_VAULT_PASSPHRASE' && !!e.hint && !e.message.includes('wrong'));
    assert.equal(await s.get('a'), '1');
    answers = [];
  });

  it('with unlockAttempts, asks again within one call, saying how many attempts are left, then fails', async () => {
    await make().set('a', '1');
    const seen: Array<number | undefined> = [];
    const answering = (answers: string[]) => async (_p: 'unlock' | 'create', retry?: { left: number }) => {
      seen.push(retry?.left);
      return answers.shift() ?? 'none left';
    };
    assert.equal(await make({ unlockAttempts: 3, getPassphrase: answering(['wrong', PASS]) }).get('a'), '1');
    assert.deepEqual(seen, [undefined, 2]);
    seen.length = 0;
    await assert.rejects(make({ unlockAttempts: 3, getPassphrase: answering(['x', 'y', 'z', PASS]) }).get('a'), { code: 'ERR_VAULT_PASSPHRASE' });
    assert.deepEqual(seen, [undefined, 2, 1], 'three tries in all, never a fourth');
    seen.length = 0;
    await assert.rejects(make({ getPassphrase: answering(['wrong', PASS]) }).get('a'), { code: 'ERR_VAULT_PASSPHRASE' });
    assert.deepEqual(seen, [undefined], 'without unlockAttempts, one try');
  });

  it('rejects an empty passphrase with ERR_VAULT_NO_PASSPHRASE', async () => {
    await assert.rejects(make({ getPassphrase: async () => '' }).set('a', '1'), { code: 'ERR_VAULT_NO_PASSPHRASE' });
  });

  it('never writes ids or values in plain text, and uses 0600 files in a 0700 dir', async () => {
    const s = make();
    await s.set('key:very-distinctive-profile', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    await s.set('key:very-distinctive-profile', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY2');
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) continue;
      const bytes = readFileSync(p);
      for (const needle of ['wJalrXUtnFEMI', 'very-distinctive-profile', PASS]) assert.equal(bytes.includes(needle), false, `${needle} in ${name}`);
      assert.equal(statSync(p).mode & 0o777, 0o600, name);
    }
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(dir).sort(), ['secrets.enc', 'secrets.enc.bak']);
  });

  it('uses the backup, with a warning, when the main file is garbage', async () => {
    await make().set('a', '1');
    await make().set('b', '2');
    writeFileSync(join(dir, 'secrets.enc'), '{"format":"rolehop-vault","vers');
    const logger = recordingLogger();
    const s = make({ logger });
    assert.equal(await s.get('a'), '1');
    assert.equal(await s.get('b'), '2', 'the backup holds the newest write');
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0]!, /secrets\.enc\.bak/);
    await s.set('c', '3'); // repairs the main file
    writeFileSync(join(dir, 'secrets.enc.bak'), 'garbage');
    assert.equal(await make().get('c'), '3');
  });

  it('uses the backup when the ciphertext is damaged (check passes, GCM fails)', async () => {
    await make().set('a', '1');
    const p = join(dir, 'secrets.enc');
    const env = JSON.parse(readFileSync(p, 'utf8'));
    const data = Buffer.from(env.data, 'base64');
    data[0] = data[0]! ^ 1;
    env.data = data.toString('base64');
    writeFileSync(p, JSON.stringify(env));
    const logger = recordingLogger();
    assert.equal(await make({ logger }).get('a'), '1');
    assert.match(logger.warnings[0]!, /authentication failed/);
  });

  it('uses the backup when the main file is missing', async () => {
    await make().set('a', '1');
    rmSync(join(dir, 'secrets.enc'));
    assert.equal(await make().get('a'), '1');
  });

  it('fails with ERR_VAULT_CORRUPT naming both files when both are damaged', async () => {
    await make().set('a', '1');
    writeFileSync(join(dir, 'secrets.enc'), '');
    writeFileSync(join(dir, 'secrets.enc.bak'), 'not json');
    await assert.rejects(make().get('a'), (e) => {
      assert.ok(isRolehopError(e));
      assert.equal(e.code, 'ERR_VAULT_CORRUPT');
      assert.ok(e.hint?.includes(join(dir, 'secrets.enc')) && e.hint.includes(join(dir, 'secrets.enc.bak')));
      return true;
    });
    await assert.rejects(make().set('b', '2'), { code: 'ERR_VAULT_CORRUPT' });
  });

  /** Changes one character of the vault file `name`: `"r": 8` to 9 in the KDF parameters, or the salt's first character. */
  const damageHeader = (name: string, part: 'params' | 'salt') => {
    const p = join(dir, name);
    const text = readFileSync(p, 'utf8');
    const salt = (JSON.parse(text) as { kdf: { salt: string } }).kdf.salt;
    const damaged = part === 'params' ? text.replace('"r": 8', '"r": 9') : text.replace(salt, (salt[0] === 'A' ? 'B' : 'A') + salt.slice(1));
    assert.notEqual(damaged, text);
    writeFileSync(p, damaged);
  };

  for (const part of ['params', 'salt'] as const) {
    it(`falls back to the backup, saying the header is damaged, when one character of the main file's KDF ${part} changed`, async () => {
      await make().set('a', '1');
      damageHeader('secrets.enc', part);
      const logger = recordingLogger();
      const s = make({ logger });
      assert.equal(await s.get('a'), '1');
      assert.equal(logger.warnings.length, 1);
      assert.match(logger.warnings[0]!, /header checksum/);
      assert.match(logger.warnings[0]!, /secrets\.enc\.bak/);
      await s.set('b', '2'); // repairs the main file
      rmSync(join(dir, 'secrets.enc.bak'));
      assert.equal(await make().get('a'), '1');
    });

    it(`reports a KDF ${part} damaged in both files as ERR_VAULT_CORRUPT pointing at the backup, not as a wrong passphrase`, async () => {
      await make().set('a', '1');
      damageHeader('secrets.enc', part);
      damageHeader('secrets.enc.bak', part);
      await assert.rejects(make().get('a'), (e) => {
        assert.ok(isRolehopError(e));
        assert.equal(e.code, 'ERR_VAULT_CORRUPT');
        assert.match(e.hint ?? '', /header checksum/);
        assert.ok(e.hint?.includes(join(dir, 'secrets.enc.bak')), e.hint);
        return true;
      });
    });
  }

  it('still reports a wrong passphrase as ERR_VAULT_PASSPHRASE when the header checksum is intact', async () => {
    await make().set('a', '1');
    await assert.rejects(
      make({ getPassphrase: async () => 'not the passphrase' }).get('a'),
      (e) => isRolehopError(e) && e.code === 'ERR_VAULT_PASSPHRASE' && /checksum is intact/.test(e.hint ?? '') && !/damaged:/.test(e.hint ?? ''),
    );
  });

  it('removes temp files orphaned by killed writers on the next write', async () => {
    await make().set('a', '1');
    writeFileSync(join(dir, '.secrets.enc.0123abcd.tmp'), 'partial');
    writeFileSync(join(dir, '.secrets.enc.bak.89ef.tmp'), 'partial');
    // Today's name, with a pid that runs (1): only the vault's own lock says it is an orphan.
    writeFileSync(join(dir, '.secrets.enc.1-89ef.tmp'), 'partial');
    await make().set('b', '2');
    assert.deepEqual(readdirSync(dir).sort(), ['secrets.enc', 'secrets.enc.bak']);
  });

  it('opens a vault made with PBKDF2-SHA256 (parameters come from the header)', async () => {
    await make({ kdf: { name: 'pbkdf2-sha256', params: { iterations: 1000 } } }).set('a', '1');
    assert.equal(JSON.parse(readFileSync(join(dir, 'secrets.enc'), 'utf8')).kdf.name, 'pbkdf2-sha256');
    assert.equal(await make().get('a'), '1');
  });

  it('writes a versioned envelope with the KDF parameters recorded', async () => {
    await make().set('a', '1');
    const env = JSON.parse(readFileSync(join(dir, 'secrets.enc'), 'utf8'));
    assert.equal(env.format, 'rolehop-vault');
    assert.equal(env.version, 1);
    assert.deepEqual(env.kdf.params, KDF.params);
    assert.deepEqual(Object.keys(env).sort(), ['check', 'data', 'format', 'headerSum', 'iv', 'kdf', 'tag', 'version']);
  });
});
