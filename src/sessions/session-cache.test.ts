import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isRolehopError } from '../errors.js';
import { silentLogger } from '../io/context.js';
import { SessionCache } from './session-cache.js';

describe(SessionCache.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-session-cache-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('rejects a failed write with ERR_VAULT_IO naming the cause, never a bare fs error', async () => {
    const dir = join(root, 'sessions');
    writeFileSync(dir, 'a regular file where the directory should be');
    const cache = new SessionCache(dir, silentLogger);
    const meta = { kind: 'session' as const, profile: 'p', profiles: ['p'], mfa: true, createdAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-01T01:00:00Z' };
    await assert.rejects(cache.write('k', meta, { accessKeyId: 'ASIA', secretAccessKey: 's' }, Buffer.alloc(32)), (e) => {
      assert.ok(isRolehopError(e), String(e));
      assert.equal(e.code, 'ERR_VAULT_IO');
      assert.match(e.message, /EEXIST/);
      assert.ok(e.hint?.includes(dir), e.hint);
      return true;
    });
  });
});
