import { test } from 'node:test';
import assert from 'node:assert/strict';
import { growthKbPerAccount, memorySample, type MemorySample } from './memory-samples.js';

const at = (done: number, rss: number): MemorySample => ({ done, rss, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });

test('growth per account: the slope past the first quarter, in KB per account of `regions` targets', () => {
  // 1 MB more every 1,000 targets (100 accounts of 10 regions) from the quarter on: 10.24 KB per account.
  const samples = [at(0, 500), ...Array.from({ length: 9 }, (_, i) => at(1000 * (i + 2), 100 + i))];
  assert.ok(Math.abs(growthKbPerAccount(samples, (s) => s.rss, 10) - 10.24) < 1e-9);
});

test('a warm-up before the quarter and a flat run after it: no growth', () => {
  const samples = [at(100, 50), at(200, 90), ...Array.from({ length: 8 }, (_, i) => at(1000 * (i + 1), 150))];
  assert.equal(
    growthKbPerAccount(samples, (s) => s.rss, 17),
    0,
  );
});

test('too few samples: NaN', () => {
  assert.ok(Number.isNaN(growthKbPerAccount([at(1, 1), at(2, 2)], (s) => s.rss, 1)));
});

test('a sample of this process is in MB and carries the count', () => {
  const s = memorySample(7);
  assert.equal(s.done, 7);
  assert.ok(s.rss > 1 && s.rss < 10_000 && s.heapUsed <= s.heapTotal);
});
