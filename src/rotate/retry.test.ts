import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { realTime } from '../async/retry.js';
import { ErrorCodes, isRolehopError } from '../errors.js';
import { retryUntil } from './retry.js';

describe('retryUntil', () => {
  it('backs off exponentially within the bound', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const time = { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
    const r = await retryUntil(async () => Promise.reject(new Error('no')), {
      bounds: { timeoutMs: 20_000, initialDelayMs: 1000, maxDelayMs: 5000 },
      time,
      retryable: () => true,
    });
    assert.equal(r.ok, false);
    assert.deepEqual(sleeps, [1000, 2000, 4000, 5000, 5000]);
    assert.equal(r.attempts, 6);
  });

  it('stops on a non-retryable error and returns values', async () => {
    const time = { now: () => 0, sleep: async () => {} };
    const bounds = { timeoutMs: 1000, initialDelayMs: 10, maxDelayMs: 10 };
    const r = await retryUntil(async () => Promise.reject(new Error('fatal')), { bounds, time, retryable: () => false });
    assert.equal(r.attempts, 1);
    let n = 0;
    const ok = await retryUntil(async () => (++n < 3 ? Promise.reject(new Error('x')) : 'v'), { bounds, time, retryable: () => true });
    assert.deepEqual(ok, { ok: true, value: 'v', attempts: 3 });
  });

  it('an abort during a wait ends the loop with ERR_ABORTED "Interrupted", whatever the reason', async () => {
    const bounds = { timeoutMs: 600_000, initialDelayMs: 60_000, maxDelayMs: 60_000 };
    for (const reason of [undefined, new Error('stopped')]) {
      const ctl = new AbortController();
      const run = retryUntil(async () => Promise.reject(new Error('again')), { bounds, time: realTime, retryable: () => true, signal: ctl.signal });
      setTimeout(() => ctl.abort(reason), 5);
      const r = await run;
      assert.equal(r.ok, false);
      assert.equal(r.attempts, 1);
      const error = r.ok ? undefined : r.error;
      assert.ok(isRolehopError(error), `not a RolehopError: ${String(error)}`);
      assert.equal(error.code, ErrorCodes.ABORTED);
      assert.equal(error.message, 'Interrupted');
    }
  });
});
