import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isRolehopError } from '../../src/errors.js';
import { withLock } from '../../src/io/lock.js';
import { currentOwner } from '../../src/io/lock-owner.js';
import { cleanupChildScript, startChild } from './helpers/child.js';

describe('withLock', () => {
  const root = mkdtempSync(join(tmpdir(), 'rolehop-lock-'));
  after(() => {
    rmSync(root, { recursive: true, force: true });
    cleanupChildScript();
  });

  it('excludes concurrent holders in one process, creates the parent dir, releases on throw', async () => {
    const lock = join(root, 'locks', 'one');
    let inside = 0;
    let maxInside = 0;
    const run = () =>
      withLock(lock, async () => {
        maxInside = Math.max(maxInside, ++inside);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
      });
    await Promise.all([run(), run(), run(), run()]);
    assert.equal(maxInside, 1);
    await assert.rejects(
      withLock(lock, async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(existsSync(lock), false, 'released after a throw');
    assert.equal(await withLock(lock, async () => 42), 42);
  });

  it('times out with ERR_LOCK_TIMEOUT and a hint naming the lock', async () => {
    const lock = join(root, 'busy');
    await withLock(lock, async () => {
      const t = Date.now();
      await assert.rejects(
        withLock(lock, async () => {}, { timeoutMs: 200 }),
        (e) => {
          assert.ok(isRolehopError(e));
          assert.equal(e.code, 'ERR_LOCK_TIMEOUT');
          assert.ok(e.hint?.includes(lock));
          return true;
        },
      );
      assert.ok(Date.now() - t < 1000);
    });
  });

  it('takes over a stale lock left by a dead holder', async () => {
    const lock = join(root, 'stale');
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    assert.equal(await withLock(lock, async () => 'mine', { timeoutMs: 1000 }), 'mine');
  });

  it("takes a SIGKILLed holder's lock over at once, without waiting for staleMs", { timeout: 30_000 }, async () => {
    const lock = join(root, 'killed');
    const holder = await startChild(['hold-lock', lock, '10000']);
    await holder.waitForLine((l) => l === 'held');
    holder.proc.kill('SIGKILL');
    await holder.exited;
    // The lock is fresh (refreshed moments ago) and staleMs is 10 s: only
    // knowing that its owner is dead lets a 4 s wait succeed.
    assert.equal(await withLock(lock, async () => 'mine', { timeoutMs: 4000 }), 'mine');
  });

  it('never takes over a stopped (SIGSTOP) holder, and names it in the timeout', { timeout: 30_000 }, async () => {
    const lock = join(root, 'stopped');
    const holder = await startChild(['hold-lock', lock, '2000']);
    try {
      await holder.waitForLine((l) => l === 'held');
      holder.proc.kill('SIGSTOP');
      // Well past staleMs: a stopped holder no longer refreshes its lock.
      await assert.rejects(
        withLock(lock, async () => 'stolen', { staleMs: 2000, timeoutMs: 5000 }),
        (e) => {
          assert.ok(isRolehopError(e), String(e));
          assert.equal(e.code, 'ERR_LOCK_TIMEOUT');
          assert.match(e.message, new RegExp(`process ${holder.proc.pid}, is stopped`));
          assert.match(e.hint ?? '', /kill -CONT/);
          return true;
        },
      );
    } finally {
      holder.proc.kill('SIGCONT');
      holder.proc.kill('SIGKILL');
      await holder.exited;
    }
  });

  it('takes over at once a lock whose pid now belongs to another process (pid reuse)', async () => {
    const lock = join(root, 'reused');
    // Our own pid is alive, but this record says it started at another time.
    const owner = { ...currentOwner(), start: '1' };
    writeFileSync(lock, JSON.stringify(owner));
    assert.equal(await withLock(lock, async () => 'mine', { timeoutMs: 2000 }), 'mine');
  });

  it('lets only one of many waiters take over the same stale lock', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 10; round++) {
      const lock = join(root, `contended-${round}`);
      // A lock left by an older rolehop: a directory, unrefreshed for a minute.
      mkdirSync(lock);
      const old = new Date(Date.now() - 60_000);
      utimesSync(lock, old, old);
      let inside = 0;
      let maxInside = 0;
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withLock(
            lock,
            async () => {
              maxInside = Math.max(maxInside, ++inside);
              await new Promise((r) => setTimeout(r, 10));
              inside--;
            },
            { staleMs: 2000, timeoutMs: 20_000 },
          ),
        ),
      );
      assert.equal(maxInside, 1, `round ${round}: two waiters both took the stale lock over`);
    }
  });

  it('serialises 20 processes promptly without losing an increment', { timeout: 60_000 }, async () => {
    const lock = join(root, 'many');
    const counter = join(root, 'counter');
    writeFileSync(counter, '0');
    const t = Date.now();
    const children = await Promise.all(Array.from({ length: 20 }, () => startChild(['lock-count', lock, counter])));
    const results = await Promise.all(children.map((c) => c.exited));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(counter, 'utf8'), '20');
    const total = Date.now() - t;
    // 20 holders x (5 ms work + <=50 ms poll gap) plus process start-up on 2 cores.
    assert.ok(total < 15_000, `took ${total} ms`);
  });
});
