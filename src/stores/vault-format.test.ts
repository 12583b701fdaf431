import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveMasterKey, parseKdfSpec, type KdfSpec } from './kdf.js';
import { deriveVaultKeys, newSalt, openEnvelope, parseEnvelope, sealEntries } from './vault-format.js';

const KDF: KdfSpec = { name: 'scrypt', params: { N: 2 ** 10, r: 8, p: 1 } };

describe('vault format', () => {
  it('seals and opens entries; ids and values are not in the text', async () => {
    const keys = await deriveVaultKeys('pw', KDF, newSalt());
    const text = sealEntries(
      new Map([
        ['key:secret-profile', 'AKIA-secret'],
        ['__proto__', 'odd id'],
      ]),
      keys,
    );
    assert.equal(text.includes('secret-profile'), false);
    assert.equal(text.includes('AKIA-secret'), false);
    const parsed = parseEnvelope(text);
    assert.ok(parsed.ok);
    const opened = openEnvelope(parsed.envelope, keys);
    assert.ok(opened.ok);
    assert.equal(opened.entries.get('key:secret-profile'), 'AKIA-secret');
    assert.equal(opened.entries.get('__proto__'), 'odd id');
  });

  it('tells a wrong passphrase from a damaged file', async () => {
    const salt = newSalt();
    const keys = await deriveVaultKeys('pw', KDF, salt);
    const text = sealEntries(new Map([['a', '1']]), keys);
    const parsed = parseEnvelope(text);
    assert.ok(parsed.ok);
    const wrong = openEnvelope(parsed.envelope, await deriveVaultKeys('other', KDF, salt));
    assert.deepEqual(wrong.ok ? 'ok' : wrong.reason, 'passphrase');
    const tag = Buffer.from(parsed.envelope.tag);
    tag[3] = tag[3]! ^ 0x80;
    const damaged = openEnvelope({ ...parsed.envelope, tag }, keys);
    assert.deepEqual(damaged.ok ? 'ok' : damaged.reason, 'corrupt');
  });

  it('reports one changed character in the KDF parameters, the salt or the check value as damage, before any KDF run', async () => {
    const keys = await deriveVaultKeys('pw', KDF, newSalt());
    const text = sealEntries(new Map([['a', '1']]), keys);
    const env = JSON.parse(text) as { kdf: { salt: string }; check: string };
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const [what, damaged] of [
      ['KDF parameters', text.replace('"r": 8', '"r": 9')],
      ['salt', text.replace(env.kdf.salt, flip(env.kdf.salt))],
      ['check value', text.replace(env.check, flip(env.check))],
    ] as const) {
      assert.notEqual(damaged, text, what);
      const r = parseEnvelope(damaged);
      assert.equal(r.ok, false, `${what}: damage must be seen without the passphrase`);
      assert.match(r.ok ? '' : r.detail, /header checksum/, what);
    }
    const wrong = parseEnvelope(text);
    assert.ok(wrong.ok, 'an intact header still parses');
    const opened = openEnvelope(wrong.envelope, await deriveVaultKeys('other', KDF, keys.salt));
    assert.equal(opened.ok ? 'ok' : opened.reason, 'passphrase', 'a wrong passphrase is still a wrong passphrase');
  });

  it('opens an envelope without a header checksum (vaults written before it existed)', async () => {
    const keys = await deriveVaultKeys('pw', KDF, newSalt());
    const { headerSum: _sum, ...old } = JSON.parse(sealEntries(new Map([['a', '1']]), keys)) as Record<string, unknown>;
    const parsed = parseEnvelope(JSON.stringify(old));
    assert.ok(parsed.ok);
    const opened = openEnvelope(parsed.envelope, keys);
    assert.ok(opened.ok);
    assert.equal(opened.entries.get('a'), '1');
  });

  it('rejects malformed envelopes as corrupt', () => {
    for (const raw of [
      '',
      '{',
      '[]',
      '{"format":"x"}',
      '{"format":"rolehop-vault","version":2}',
      '{"format":"rolehop-vault","version":1,"kdf":{"name":"scrypt","params":{"N":3,"r":8,"p":1}}}',
    ]) {
      const r = parseEnvelope(raw);
      assert.equal(r.ok, false, raw);
    }
  });

  it('bounds KDF parameters read from a file', () => {
    assert.ok(parseKdfSpec('scrypt', { N: 2 ** 17, r: 8, p: 1 }));
    assert.equal(parseKdfSpec('scrypt', { N: 2 ** 30, r: 8, p: 1 }), undefined);
    assert.equal(parseKdfSpec('scrypt', { N: 1000, r: 8, p: 1 }), undefined);
    assert.ok(parseKdfSpec('pbkdf2-sha256', { iterations: 600_000 }));
    assert.equal(parseKdfSpec('pbkdf2-sha256', { iterations: 1e12 }), undefined);
    assert.equal(parseKdfSpec('argon2', {}), undefined);
  });

  it('derives deterministic keys per (passphrase, salt, params)', async () => {
    const salt = Buffer.alloc(16, 7);
    const a = await deriveMasterKey('pw', salt, KDF);
    assert.deepEqual(a, await deriveMasterKey('pw', salt, KDF));
    assert.notDeepEqual(a, await deriveMasterKey('pw', Buffer.alloc(16, 8), KDF));
    assert.equal(a.length, 32);
  });
});
