// Against the real Secret Service (gnome-keyring in the private D-Bus session
// that `npm test` starts); skipped without a bus.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { directSecretServiceRead } from './direct-read.js';
import { KeychainStore, loadKeyringEntryFactory } from './keychain-store.js';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;

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
