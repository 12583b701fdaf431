// The vault index (`vault-index.json`) under a writer that is stopped inside
// its lock and loses the lock meanwhile: its resumed write must keep the
// entry another process added while it was stopped.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StoreVault } from '../../src/credentials/vault.js';
import { MemoryStore } from '../../src/stores/memory-store.js';
import { cleanupChildScript, makeLockTakeoverable, startStoppedAfterRead } from './helpers/child.js';

describe('the vault index across processes', () => {
  const home = mkdtempSync(join(tmpdir(), 'rolehop-index-procs-'));
  after(() => {
    rmSync(home, { recursive: true, force: true });
    cleanupChildScript();
  });
  const vault = () =>
    new StoreVault(
      home,
      async () => new MemoryStore(),
      () => 'memory',
    );

  it('a writer whose lock was taken over while it was stopped keeps the entry added meanwhile', { timeout: 120_000 }, async () => {
    const lock = join(home, 'locks', 'vault-index');
    let stoppedInside = 0;
    for (let round = 0; round < 12; round++) {
      const a = await startStoppedAfterRead(['vault-put', home, `a${round}`]);
      // Stopped by itself right after reading under the lock: always inside.
      const inside = existsSync(lock);
      try {
        if (inside) {
          stoppedInside++;
          makeLockTakeoverable(lock);
          // The lock is a minute old: stale for the index's default 10 s as well.
          await vault().put(`b${round}`, { accessKeyId: `AKIAB${round}`, secretAccessKey: 'not-a-real-secret-0000000000' });
        }
      } finally {
        a.proc.kill('SIGCONT');
      }
      const exit = await a.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.ok(vault().has(`a${round}`), `round ${round}: a${round} missing`);
      if (inside) assert.ok(vault().has(`b${round}`), `round ${round}: the stopped writer dropped b${round}, added while it was stopped`);
    }
    assert.ok(stoppedInside > 0, 'no round stopped the writer while it held the lock');
  });
});
