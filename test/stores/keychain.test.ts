// The OS keystore backend for real: gnome-keyring in a private D-Bus session.
// Run under:
//   dbus-run-session -- bash -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; node scripts/test.mjs test/stores/keychain.test.ts'
// Without a session bus the real-keystore tests skip; the fallback test always runs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/io/context.js';
import { probeKeychain } from '../../src/stores/keychain-probe.js';
import { KeychainStore, keychainServiceFor } from '../../src/stores/keychain-store.js';
import { openStore } from '../../src/stores/open-store.js';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;

describe('keychain backend (real Secret Service)', () => {
  const home = join(mkdtempSync(join(tmpdir(), 'rolehop-keychain-')), '.rolehop');
  const service = keychainServiceFor(home);
  after(async () => {
    if (bus) for (const id of ['key:prod', 'cache-key']) await new KeychainStore({ service }).delete(id).catch(() => {});
    rmSync(join(home, '..'), { recursive: true, force: true });
  });

  it('probes as available inside a session', async (t) => {
    if (!bus) return t.skip('no session bus');
    const started = Date.now();
    assert.deepEqual(await probeKeychain({ service, platform: process.platform, dbusAddress: bus }), { available: true });
    assert.ok(Date.now() - started < 2000);
  });

  it('round-trips, overwrites and deletes secrets, kept apart per rolehop home', async (t) => {
    if (!bus) return t.skip('no session bus');
    const store = new KeychainStore({ service });
    const other = new KeychainStore({ service: keychainServiceFor(`${home}-other`) });
    assert.equal(await store.get('key:prod'), undefined);
    await store.set('key:prod', '{"accessKeyId":"AKIAEXAMPLE","secretAccessKey":"s3cr3t"}');
    await store.set('key:prod', '{"accessKeyId":"AKIAEXAMPLE","secretAccessKey":"s3cr3t-2"}');
    assert.equal(await store.get('key:prod'), '{"accessKeyId":"AKIAEXAMPLE","secretAccessKey":"s3cr3t-2"}');
    assert.equal(await other.get('key:prod'), undefined);
    // A second instance (as in a second process) sees the same entry.
    assert.match((await new KeychainStore({ service }).get('key:prod')) ?? '', /s3cr3t-2/);
    assert.equal(await store.delete('key:prod'), true);
    assert.equal(await store.delete('key:prod'), false);
    assert.equal(await store.get('key:prod'), undefined);
  });

  it('is chosen by openStore after a probe, and remembered', async (t) => {
    if (!bus) return t.skip('no session bus');
    const store = await openStore({
      rolehopHome: home,
      platform: process.platform,
      dbusAddress: bus,
      getPassphrase: async () => 'unused',
      logger: silentLogger,
    });
    assert.equal(store.kind, 'keychain');
    assert.equal(readFileSync(join(home, 'backend'), 'utf8'), 'keychain\n');
    await store.set('cache-key', 'QUJD');
    assert.equal(await store.get('cache-key'), 'QUJD');
  });

  it('without a session bus, openStore falls back to the file backend in under 2 s', async () => {
    const noBusHome = join(home, '..', 'no-bus');
    const notices: string[] = [];
    const started = Date.now();
    const store = await openStore({
      rolehopHome: noBusHome,
      platform: 'linux',
      getPassphrase: async () => 'unused',
      logger: { ...silentLogger, info: (m) => notices.push(m) },
    });
    assert.equal(store.kind, 'file');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(notices.length, 1);
  });

  it('a bus address nobody answers on fails the probe within its budget', async (t) => {
    if (process.platform !== 'linux') return t.skip('linux only');
    const started = Date.now();
    const probe = await probeKeychain({ service, platform: 'linux', dbusAddress: `unix:path=${join(home, '..', 'no-such-bus')}`, timeoutMs: 2000 });
    assert.equal(probe.available, false);
    assert.ok(Date.now() - started < 2500);
  });

  it('a bus that accepts but never answers cannot hang the probe', async (t) => {
    if (process.platform !== 'linux') return t.skip('linux only');
    const path = join(home, '..', 'mute-bus.sock');
    const sockets: Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const started = Date.now();
      const probe = await probeKeychain({ service, platform: 'linux', dbusAddress: `unix:path=${path}`, timeoutMs: 1000 });
      assert.deepEqual(probe, { available: false, reason: 'no answer within 1000 ms' });
      assert.ok(Date.now() - started < 2000);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
