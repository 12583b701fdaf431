// `clear` in a keychain home without the CLI or the binding
// (src/hot-path/keychain-clear.ts), against the real gnome-keyring of the
// private D-Bus session `npm test` starts: the session cache entries and
// the session copies the broker's clearSessions would remove, and only
// those; nothing at all when the Secret Service cannot be used. Without a
// session bus the keyring tests skip.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { silentLogger } from '../../src/io/context.js';
import { keychainClear } from '../../src/hot-path/keychain-clear.js';
import { SessionCache } from '../../src/sessions/session-cache.js';
import { sessionCopyText } from '../../src/sessions/session-copy.js';
import { KeychainSessionCopies } from '../../src/stores/keychain-session-copies.js';
import { sessionCopyService } from '../../src/stores/session-copy-service.js';

const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
const HOUR = 3600_000;

describe('keychain clear over D-Bus (real Secret Service)', { skip: bus ? false : 'no session bus' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rolehop-kclear-'));
  const home = join(dir, '.rolehop');
  const otherHome = join(dir, '.rolehop-other');
  const copies = new KeychainSessionCopies({ service: sessionCopyService(home) });
  const otherCopies = new KeychainSessionCopies({ service: sessionCopyService(otherHome) });
  const cache = new SessionCache(join(home, 'sessions'), silentLogger);
  const key = randomBytes(32);

  /** A cached session and a copy for each chain (source first), one copy that is not a copy, and one copy in another home. */
  async function seed(...chains: string[][]): Promise<void> {
    await copies.remove(() => true);
    await otherCopies.remove(() => true);
    rmSync(join(home, 'sessions'), { recursive: true, force: true });
    const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(Date.now() + HOUR) };
    for (const profiles of chains) {
      const profile = profiles.at(-1)!;
      const now = new Date();
      const meta = {
        kind: 'hop' as const,
        profile,
        profiles,
        mfa: true,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + HOUR).toISOString(),
      };
      await cache.write(`k-${profile}`, meta, creds, key);
      await copies.put(profile, sessionCopyText('chain', profiles, creds)!);
    }
    await copies.put('garbled', 'not a session copy');
    await otherCopies.put('t', sessionCopyText('chain', ['alice', 't'], creds)!);
  }

  const cached = () => readdirSync(join(home, 'sessions')).sort();
  const copied = async () => (await Promise.all(['alice', 't', 'u', 'garbled'].map(async (p) => ((await copies.get(p)) === undefined ? [] : [p])))).flat();

  beforeEach(() => seed(['alice'], ['alice', 't'], ['alice', 'u']));
  after(async () => {
    await copies.remove(() => true).catch(() => {});
    await otherCopies.remove(() => true).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('removes what involves the profile: its cache entries, its copies and unreadable ones', async () => {
    assert.deepEqual(await keychainClear('t', home, bus!), { cleared: 1, copiesLeft: false });
    assert.deepEqual(cached(), ['k-alice.json', 'k-u.json']);
    assert.deepEqual(await copied(), ['alice', 'u']);
    // The source is in every chain.
    assert.deepEqual(await keychainClear('alice', home, bus!), { cleared: 2, copiesLeft: false });
    assert.deepEqual(cached(), []);
    assert.deepEqual(await copied(), []);
    // Another home's copies are its own.
    assert.notEqual(await otherCopies.get('t'), undefined);
  });

  it('removes everything of the home without a profile, and nothing twice', async () => {
    assert.deepEqual(await keychainClear(undefined, home, bus!), { cleared: 3, copiesLeft: false });
    assert.deepEqual(cached(), []);
    assert.deepEqual(await copied(), []);
    assert.deepEqual(await keychainClear(undefined, home, bus!), { cleared: 0, copiesLeft: false });
    assert.deepEqual(await keychainClear('nobody', home, bus!), { cleared: 0, copiesLeft: false });
    assert.notEqual(await otherCopies.get('t'), undefined);
  });

  it('changes nothing when the Secret Service cannot be used', async () => {
    for (const address of [`unix:path=${join(dir, 'no-such-bus')}`, 'tcp:host=127.0.0.1,port=9']) {
      assert.equal(await keychainClear('t', home, address), undefined, address);
    }
    assert.deepEqual(cached(), ['k-alice.json', 'k-t.json', 'k-u.json']);
    assert.deepEqual(await copied(), ['alice', 't', 'u', 'garbled']);
  });
});
