import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hotCredentialProcess } from './cache-hit.js';

describe('hotCredentialProcess and an unsafe home', { skip: process.platform !== 'linux' && 'the keychain branch is Linux only' }, () => {
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'rolehop-hot-'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  /** Whether the keychain branch (and so the code cache) would be loaded for this home. */
  const reachesKeychain = async (home: string) => {
    let reached = false;
    const env = { ROLEHOP_HOME: home, ROLEHOP_BACKEND: 'keychain', ROLEHOP_NO_AGENT: '1', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };
    const out = await hotCredentialProcess('dev', env, {
      mfaCode: async () => '000000',
      keychainHit: async () => {
        reached = true;
        return { keychainCacheHit: async () => undefined };
      },
    });
    assert.equal(out, undefined);
    return reached;
  };

  it('takes the keychain branch for a private home', async () => {
    mkdirSync(join(base, 'ok', 'code-cache'), { recursive: true, mode: 0o700 });
    assert.equal(await reachesKeychain(join(base, 'ok')), true);
  });

  it('leaves a writable home or code cache to the normal path, which says what is wrong', async () => {
    mkdirSync(join(base, 'open'));
    chmodSync(join(base, 'open'), 0o777);
    assert.equal(await reachesKeychain(join(base, 'open')), false);
    mkdirSync(join(base, 'cache', 'code-cache'), { recursive: true, mode: 0o700 });
    chmodSync(join(base, 'cache', 'code-cache'), 0o770);
    assert.equal(await reachesKeychain(join(base, 'cache')), false);
  });
});
