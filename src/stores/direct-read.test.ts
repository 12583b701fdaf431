// Against the real Secret Service (gnome-keyring in the private D-Bus session
// that `npm test` starts); skipped without a bus.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, getDiffieHellman, hkdfSync, randomBytes } from 'node:crypto';
import { dhAlgorithm, directSecretServiceRead } from './direct-read.js';
import { KeychainStore, loadKeyringEntryFactory } from './keychain-store.js';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;

describe('dhAlgorithm', () => {
  it('decrypts what a service on the other end of the exchange encrypted', () => {
    const alg = dhAlgorithm();
    assert.equal(alg.name, 'dh-ietf1024-sha256-aes128-cbc-pkcs7');
    assert.equal(alg.input.signature, 'ay');
    // The service's side, as the specification has it.
    const service = getDiffieHellman('modp2');
    service.generateKeys();
    const shared = Buffer.alloc(128);
    const raw = service.computeSecret(alg.input.value as Uint8Array);
    raw.copy(shared, 128 - raw.length);
    const key = Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.alloc(0), 16));
    const iv = randomBytes(16);
    const c = createCipheriv('aes-128-cbc', key, iv);
    const value = Buffer.concat([c.update('{"secretAccessKey":"x"}'), c.final()]);
    const decrypt = alg.open(new Uint8Array(service.getPublicKey()));
    assert.equal(Buffer.from(decrypt(iv, value)).toString('utf8'), '{"secretAccessKey":"x"}');
    // Another session's key pair cannot read it.
    const other = dhAlgorithm().open(new Uint8Array(service.getPublicKey()));
    let read: string | undefined;
    try {
      read = Buffer.from(other(iv, value)).toString('utf8');
    } catch {
      read = undefined; // bad padding, as a wrong key mostly gives
    }
    assert.notEqual(read, '{"secretAccessKey":"x"}');
  });

  it('refuses an OpenSession output that is no public key', () => {
    assert.throws(() => dhAlgorithm().open(''), /unexpected OpenSession output/);
    assert.throws(() => dhAlgorithm().open(new Uint8Array(0)), /unexpected OpenSession output/);
  });
});

describe('directSecretServiceRead', { skip: bus ? false : 'no D-Bus session bus' }, () => {
  const service = `rolehop-test-direct:${process.pid}`;
  const store = new KeychainStore({ service, ...(bus ? { directRead: directSecretServiceRead(bus) } : {}) });
  after(async () => {
    await store.delete('k');
  });

  it('reads what the binding wrote, under the same service and account', async () => {
    await store.set('k', 'value with ünïcode and "quotes"');
    assert.equal(await directSecretServiceRead(bus!)(service, 'k'), 'value with ünïcode and "quotes"');
    assert.equal(await store.get('k'), 'value with ünïcode and "quotes"');
    // The binding, asked on its own, agrees.
    const entry = (await loadKeyringEntryFactory())(service, 'k');
    assert.equal(await entry.getPassword(), 'value with ünïcode and "quotes"');
  });

  it('answers undefined for an entry the keystore does not hold', async () => {
    assert.equal(await directSecretServiceRead(bus!)(service, 'absent'), undefined);
    assert.equal(await store.get('absent'), undefined);
  });

  it('rejects when the bus cannot be reached, so the store falls back to the binding', async () => {
    await assert.rejects(directSecretServiceRead('unix:path=/nonexistent/bus')(service, 'k'));
    const fallback = new KeychainStore({ service, directRead: directSecretServiceRead('unix:path=/nonexistent/bus') });
    await store.set('k', 'again');
    assert.equal(await fallback.get('k'), 'again');
  });
});
