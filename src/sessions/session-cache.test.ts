import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isRolehopError } from '../errors.js';
import { tempPathFor } from '../io/atomic-write.js';
import { silentLogger } from '../io/context.js';
import { SessionCache } from './session-cache.js';

const META = { kind: 'session' as const, profile: 'p', profiles: ['p'], mfa: true, createdAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-01T01:00:00Z' };
const CREDS = { accessKeyId: 'ASIA', secretAccessKey: 's' };

describe(SessionCache.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-session-cache-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('removes a temp file left in sessions/ by a writer that died, on the next write', async () => {
    const dir = join(root, 'orphans');
    mkdirSync(dir);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const orphan = tempPathFor(join(dir, 'other-key.json')).replace(`.${process.pid.toString(16)}-`, `.${Number(gone.stdout).toString(16)}-`);
    writeFileSync(orphan, '{"v":1,"me');
    await new SessionCache(dir, silentLogger).write('k', META, CREDS, Buffer.alloc(32));
    assert.deepEqual(readdirSync(dir), ['k.json']);
  });

  it('rejects a failed write with ERR_VAULT_IO naming the cause, never a bare fs error', async () => {
    const dir = join(root, 'sessions');
    writeFileSync(dir, 'a regular file where the directory should be');
    const cache = new SessionCache(dir, silentLogger);
    await assert.rejects(cache.write('k', META, CREDS, Buffer.alloc(32)), (e) => {
      assert.ok(isRolehopError(e), String(e));
      assert.equal(e.code, 'ERR_VAULT_IO');
      assert.match(e.message, /EEXIST/);
      assert.ok(e.hint?.includes(dir), e.hint);
      return true;
    });
  });
});
