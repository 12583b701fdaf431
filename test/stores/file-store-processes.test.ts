// The file vault under real concurrency and real crashes: several writer
// processes at once, and writers SIGKILLed at random points mid-`set`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileStore, VAULT_LOCK_FILE } from '../../src/stores/file-store.js';
import { cleanupChildScript, makeLockTakeoverable, startChild, startStoppedAfterRead } from './helpers/child.js';
import { TEST_KDF, TEST_PASSPHRASE } from './helpers/test-kdf.js';

describe('FileStore across processes', () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-vault-procs-'));
  after(() => {
    rmSync(root, { recursive: true, force: true });
    cleanupChildScript();
  });
  const open = (dir: string) => new FileStore({ dir, getPassphrase: async () => TEST_PASSPHRASE, kdf: TEST_KDF });

  it('loses no entry when 6 processes write at once (racing to create the vault too)', { timeout: 60_000 }, async () => {
    const dir = join(root, 'concurrent');
    const writers = 6;
    const each = 8;
    const children = await Promise.all(Array.from({ length: writers }, (_, w) => startChild(['set-many', dir, `w${w}`, String(each)])));
    const results = await Promise.all(children.map((c) => c.exited));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const store = open(dir);
    for (let w = 0; w < writers; w++) {
      for (let i = 0; i < each; i++) assert.equal(await store.get(`w${w}-${i}`), `value-w${w}-${i}`);
    }
  });

  it('stays readable with every completed entry when writers are SIGKILLed mid-set', { timeout: 90_000 }, async () => {
    const dir = join(root, 'killed');
    const completed: string[] = [];
    const rounds = 16;
    for (let round = 0; round < rounds; round++) {
      const child = await startChild(['set-many', dir, `r${round}`, '100000']);
      // Let it get going, then kill it at a random instant of its write loop.
      await child.waitForLine((l) => l.startsWith('done'));
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      child.proc.kill('SIGKILL');
      const exit = await child.exited;
      assert.equal(exit.signal, 'SIGKILL', exit.stderr);
      // A writer killed inside the lock leaves it behind; its owner record
      // names a dead process, so the next writer takes it over at once.
      const done = child.lines.filter((l) => l.startsWith('done ')).map((l) => `r${round}-${l.slice(5)}`);
      assert.ok(done.length > 0);
      completed.push(...done);
      // A fresh instance (fresh key derivation) must open the vault with all of it.
      const store = open(dir);
      for (const id of completed) assert.equal(await store.get(id), `value-${id}`, `${id} after round ${round}`);
    }
    // The next write clears temp files the killed writers left behind.
    await open(dir).set('final', 'x');
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it('a writer whose lock was taken over while it was stopped re-applies its change instead of undoing the other write', { timeout: 120_000 }, async () => {
    const dir = join(root, 'taken-over');
    await open(dir).set('seed', 'x');
    const lock = join(dir, VAULT_LOCK_FILE);
    let stoppedInside = 0;
    for (let round = 0; round < 12; round++) {
      const a = await startStoppedAfterRead(['set-many', dir, `a${round}`, '1']);
      // Stopped by itself right after reading under the lock: always inside.
      const inside = existsSync(lock);
      try {
        if (inside) {
          stoppedInside++;
          makeLockTakeoverable(lock);
          const b = new FileStore({ dir, getPassphrase: async () => TEST_PASSPHRASE, kdf: TEST_KDF, lock: { staleMs: 500, timeoutMs: 10_000 } });
          await b.set(`b${round}`, `value-b${round}`);
        }
      } finally {
        a.proc.kill('SIGCONT');
      }
      const exit = await a.exited;
      assert.equal(exit.code, 0, exit.stderr);
      const store = open(dir);
      assert.equal(await store.get(`a${round}-0`), `value-a${round}-0`, `round ${round}`);
      if (inside) assert.equal(await store.get(`b${round}`), `value-b${round}`, `round ${round}: the stopped writer undid the write made while it was stopped`);
    }
    assert.ok(stoppedInside > 0, 'no round stopped the writer while it held the lock');
  });
});
