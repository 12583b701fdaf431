import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { doublingDelay, fullJitterDelay, retry, type RetryTime } from './retry.js';
import { sleep } from './sleep.js';

function fakeTime(): RetryTime & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return { waits, now: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) };
}

test('retries what retryIf accepts, up to maxAttempts, reporting each retry', async () => {
  const time = fakeTime();
  const seen: number[] = [];
  let n = 0;
  const value = await retry(async () => (++n < 3 ? Promise.reject(new Error('again')) : 'ok'), {
    retryIf: () => true,
    delayMs: doublingDelay(10, 1000),
    maxAttempts: 5,
    onRetry: (r) => seen.push(r),
    time,
  });
  assert.equal(value, 'ok');
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(time.waits, [10, 20]);
});

test('rejects at once with an error retryIf refuses, and after the last attempt', async () => {
  const time = fakeTime();
  await assert.rejects(
    retry(() => Promise.reject(new Error('fatal')), { retryIf: () => false, delayMs: () => 1, time }),
    /fatal/,
  );
  let n = 0;
  await assert.rejects(
    retry(() => Promise.reject(new Error(`try ${++n}`)), { retryIf: () => true, delayMs: () => 1, maxAttempts: 3, time }),
    /try 3/,
  );
});

test('gives up when the next wait would pass timeoutMs', async () => {
  const time = fakeTime();
  let n = 0;
  await assert.rejects(
    retry(() => Promise.reject(new Error(`try ${++n}`)), { retryIf: () => true, delayMs: doublingDelay(100, 100), timeoutMs: 250, time }),
    /try 3/,
  );
  assert.deepEqual(time.waits, [100, 100]);
});

test('an abort during a wait rejects with the signal reason', async () => {
  const ctl = new AbortController();
  const run = retry(() => Promise.reject(new Error('again')), { retryIf: () => true, delayMs: () => 60_000, signal: ctl.signal });
  setTimeout(() => ctl.abort(new Error('stopped')), 5);
  await assert.rejects(run, /stopped/);
});

test('full jitter stays under the doubled, capped ceiling', () => {
  assert.equal(fullJitterDelay(1, { random: () => 0.999 }), 99);
  assert.equal(fullJitterDelay(4, { random: () => 0.5 }), 400);
  assert.equal(fullJitterDelay(30, { random: () => 0.5, capMs: 1000 }), 500);
});

test('sleep rejects at once on an aborted signal and resolves otherwise', async () => {
  await assert.rejects(sleep(10, AbortSignal.abort(new Error('gone'))), /gone/);
  await sleep(1);
});
