import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareNames } from './name-order.js';

/** A pseudo-random generator with a fixed seed: the same cases every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

describe('compareNames', () => {
  it('orders as localeCompare does, on this runtime, for plain names and others', () => {
    const rand = lcg(7);
    for (const alphabet of ['abyz0189-.', 'abz09-._', 'aAbBzZ09-', 'aé日-_ 9']) {
      const name = () => Array.from({ length: Math.floor(rand() * 6) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      for (let n = 0; n < 20_000; n++) {
        const a = name();
        const b = name();
        assert.equal(Math.sign(compareNames(a, b)), Math.sign(a.localeCompare(b)), JSON.stringify([a, b]));
      }
    }
  });
});
