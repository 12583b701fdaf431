// The direct Secret Service reader of the cache-hit path against the real
// gnome-keyring of the private D-Bus session `npm test` starts: it must read
// exactly what @napi-rs/keyring wrote, and fail (never hang, never guess) on
// anything else. Without a session bus the keyring tests skip.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KeychainStore, keychainServiceFor } from '../../src/stores/keychain-store.js';
import { SecretServiceReader, keyringAttributes, readSecretServiceItem } from '../../src/hot-path/secret-service-reader.js';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;

describe('Secret Service reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-ssr-'));
  const service = keychainServiceFor(join(dir, '.rolehop'));
  const store = new KeychainStore({ service });
  after(async () => {
    if (bus) for (const id of ['cache-key', 'key:unicode', 'key:a', 'key:b']) await store.delete(id).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads what @napi-rs/keyring stored, and nothing for an absent entry', async (t) => {
    if (!bus) return t.skip('no session bus');
    await store.set('cache-key', 'm6Yy0rJ1u6xw8b2cQpK3nS5vT7wZ9aB1cD3eF5gH7iI=');
    await store.set('key:unicode', '{"note":"naïve ✓ – ключ"}');
    assert.equal(
      await readSecretServiceItem({ busAddress: bus, attributes: keyringAttributes(service, 'cache-key') }),
      'm6Yy0rJ1u6xw8b2cQpK3nS5vT7wZ9aB1cD3eF5gH7iI=',
    );
    assert.equal(await readSecretServiceItem({ busAddress: bus, attributes: keyringAttributes(service, 'key:unicode') }), '{"note":"naïve ✓ – ключ"}');
    assert.equal(await readSecretServiceItem({ busAddress: bus, attributes: keyringAttributes(service, 'absent') }), undefined);
    assert.equal(
      await readSecretServiceItem({ busAddress: bus, attributes: keyringAttributes(keychainServiceFor(join(dir, 'other')), 'cache-key') }),
      undefined,
    );
  });

  it('reads several items over one connection', async (t) => {
    if (!bus) return t.skip('no session bus');
    await store.set('key:a', 'A');
    await store.set('key:b', 'B');
    const reader = SecretServiceReader.open({ busAddress: bus });
    try {
      const [a, b] = await Promise.all([reader.read(keyringAttributes(service, 'key:a')), reader.read(keyringAttributes(service, 'key:b'))]);
      assert.deepEqual([a, b], ['A', 'B']);
    } finally {
      reader.close();
    }
  });

  it('refuses an item that matches ambiguously', async (t) => {
    if (!bus) return t.skip('no session bus');
    // Two entries share the attribute `service`; a search on it alone is ambiguous.
    await store.set('key:a', 'A');
    await store.set('key:b', 'B');
    await assert.rejects(() => readSecretServiceItem({ busAddress: bus, attributes: { service } }), /ambiguous/);
  });

  it('reads and deletes items by the paths a search found', async (t) => {
    if (!bus) return t.skip('no session bus');
    await store.set('key:a', 'A');
    await store.set('key:b', 'B ✓');
    const reader = SecretServiceReader.open({ busAddress: bus });
    try {
      const { unlocked, locked } = await reader.search({ service });
      assert.equal(locked.length, 0);
      const texts = await Promise.all(unlocked.map((item) => reader.secret(item)));
      assert.deepEqual(texts.filter((x) => x === 'A' || x === 'B ✓').sort(), ['A', 'B ✓']);
      const a = unlocked[texts.indexOf('A')]!;
      await reader.delete(a);
      // Gone for the binding too; the other entry stays.
      assert.equal(await store.get('key:a'), undefined);
      assert.equal(await store.get('key:b'), 'B ✓');
      assert.deepEqual((await reader.search(keyringAttributes(service, 'key:a'))).unlocked, []);
      // A path that names no item (any more) is a D-Bus error, never a silent success.
      await assert.rejects(() => reader.delete(a), /D-Bus error/);
      await assert.rejects(() => reader.secret(a), /D-Bus error/);
      // The connection still serves after an error.
      assert.equal(await reader.read(keyringAttributes(service, 'key:b')), 'B ✓');
    } finally {
      reader.close();
    }
  });

  it('fails fast without a bus, and on addresses it cannot use', async () => {
    const started = Date.now();
    await assert.rejects(
      () => readSecretServiceItem({ busAddress: `unix:path=${join(dir, 'no-such-bus')}`, attributes: { a: 'b' } }),
      /D-Bus connection failed/,
    );
    assert.throws(() => SecretServiceReader.open({ busAddress: 'tcp:host=127.0.0.1,port=9' }), /unsupported/);
    assert.ok(Date.now() - started < 1000);
  });

  it('gives up in time on a bus that accepts and never answers, or refuses us', async () => {
    const servers: Server[] = [];
    const listen = (name: string, onData: (s: import('node:net').Socket) => void) =>
      new Promise<string>((resolve) => {
        const path = join(dir, name);
        const srv = createServer((s) => s.once('data', () => onData(s)));
        servers.push(srv);
        srv.listen(path, () => resolve(path));
      });
    try {
      const silent = await listen('silent.sock', () => {});
      const started = Date.now();
      await assert.rejects(
        () => readSecretServiceItem({ busAddress: `unix:path=${silent}`, attributes: { a: 'b' }, timeoutMs: 200 }),
        /did not answer in time/,
      );
      assert.ok(Date.now() - started < 1500);
      const refusing = await listen('refusing.sock', (s) => s.end('REJECTED EXTERNAL\r\n'));
      await assert.rejects(
        () => readSecretServiceItem({ busAddress: `unix:path=${refusing}`, attributes: { a: 'b' } }),
        /authentication refused|closed the connection/,
      );
    } finally {
      for (const s of servers) s.close();
    }
  });
});
