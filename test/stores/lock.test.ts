import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isRolehopError } from '../../src/errors.js';
import { withLock } from '../../src/io/lock.js';
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

  it('takes over after staleMs when the holder process is SIGKILLed', { timeout: 30_000 }, async () => {
    const lock = join(root, 'killed');
    const holder = await startChild(['hold-lock', lock, '2000']);
    await holder.waitForLine((l) => l === 'held');
    holder.proc.kill('SIGKILL');
    await holder.exited;
    const t = Date.now();
    await withLock(lock, async () => {}, { staleMs: 2000, timeoutMs: 10_000 });
    const waited = Date.now() - t;
    assert.ok(waited < 5000, `waited ${waited} ms`);
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
