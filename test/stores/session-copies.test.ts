// Session copies in the real gnome-keyring of the private D-Bus session `npm
// test` starts: written and removed through @napi-rs/keyring, read back by
// the hot path's own Secret Service reader. Without a session bus they skip.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/io/context.js';
import { KeychainSessionCopies } from '../../src/stores/keychain-session-copies.js';
import { keychainSessionCopiesIfAny } from '../../src/hot-path/stray-copies.js';
import { openStore } from '../../src/stores/open-store.js';
import { sessionCopyService } from '../../src/stores/session-copy-service.js';
import { keyringAttributes, readSecretServiceItem } from '../../src/hot-path/secret-service-reader.js';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;

describe('keychain session copies (real Secret Service)', { skip: bus ? false : 'no session bus' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-copies-'));
  const home = join(dir, '.rolehop');
  const copies = new KeychainSessionCopies({ service: sessionCopyService(home) });
  after(async () => {
    await copies.remove(() => true).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('are read by the hot path exactly as written, one per profile and rolehop home', async () => {
    await copies.put('prod', '{"v":1,"profiles":["alice","prod"]}');
    await copies.put('prod', '{"v":1,"profiles":["alice","prod"],"n":2}');
    await copies.put('dev', '{"v":1,"profiles":["alice","dev"]}');
    assert.equal(await copies.get('prod'), '{"v":1,"profiles":["alice","prod"],"n":2}');
    const read = (service: string, profile: string) => readSecretServiceItem({ busAddress: bus!, attributes: keyringAttributes(service, profile) });
    assert.equal(await read(sessionCopyService(home), 'prod'), '{"v":1,"profiles":["alice","prod"],"n":2}');
    assert.equal(await read(sessionCopyService(`${home}-other`), 'prod'), undefined);
    assert.equal(await read(sessionCopyService(home), 'staging'), undefined);
  });

  it('are removed by match, and only those', async () => {
    await copies.put('prod', '{"p":"prod"}');
    await copies.put('dev', '{"p":"dev"}');
    assert.equal(await copies.remove((text) => text.includes('prod')), 1);
    assert.equal(await copies.get('prod'), undefined);
    assert.equal(await copies.get('dev'), '{"p":"dev"}');
    assert.equal(await copies.remove(() => true), 1);
    assert.equal(await copies.get('dev'), undefined);
  });

  it('come with the keychain store that openStore opens on Linux, not with the file store', async (t) => {
    if (process.platform !== 'linux') return t.skip('Linux only');
    const opts = { rolehopHome: home, dbusAddress: bus!, getPassphrase: async () => 'unused', logger: silentLogger };
    assert.ok((await openStore({ ...opts, kind: 'keychain' })).sessionCopies);
    assert.equal((await openStore({ ...opts, kind: 'file', rolehopHome: join(dir, 'file-home') })).sessionCopies, undefined);
    assert.equal((await openStore({ ...opts, kind: 'keychain', platform: 'darwin' })).sessionCopies, undefined);
  });
  it('are found without the binding only where some exist', async () => {
    assert.equal(await keychainSessionCopiesIfAny(home, bus!), undefined);
    await copies.put('prod', '{}');
    const found = await keychainSessionCopiesIfAny(home, bus!);
    assert.ok(found);
    assert.equal(await found.remove(() => true), 1);
    assert.equal(await keychainSessionCopiesIfAny(home, 'unix:path=/nonexistent/bus'), undefined);
    assert.equal(await keychainSessionCopiesIfAny(home, 'tcp:host=127.0.0.1,port=1'), undefined);
  });
});
