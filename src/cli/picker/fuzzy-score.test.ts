import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzyScore } from './fuzzy-score.js';

const order = (query: string, texts: string[]) =>
  texts
    .map((t) => [t, fuzzyScore(query, t)] as const)
    .filter(([, s]) => s !== undefined)
    .sort((a, b) => b[1]! - a[1]!)
    .map(([t]) => t);

test('a subsequence matches in order, case aside; anything else does not', () => {
  assert.notEqual(fuzzyScore('prd', 'prod'), undefined);
  assert.notEqual(fuzzyScore('PRD', 'Prod-Admin'), undefined);
  assert.equal(fuzzyScore('prd', 'pdr'), undefined);
  assert.equal(fuzzyScore('prods', 'prod'), undefined);
  assert.equal(fuzzyScore('', 'anything'), 0);
});

test('an exact match beats a prefix, which beats a later word start, which beats a scattered match', () => {
  assert.deepEqual(order('dev', ['my-devices', 'dev', 'd-e-v', 'developer', 'old-dev-box']), ['dev', 'developer', 'my-devices', 'old-dev-box', 'd-e-v']);
});

test('the first letters of words beat the same letters inside one word', () => {
  assert.deepEqual(order('pa', ['spam', 'prod-admin']), ['prod-admin', 'spam']);
  assert.deepEqual(order('pa', ['xxpxxa', 'prodAdmin']), ['prodAdmin', 'xxpxxa']);
});

test('the best alignment counts, not the leftmost one', () => {
  // Leftmost would take the p of "app"; the best takes the word "prod".
  const s = fuzzyScore('prd', 'app-prod')!;
  assert.ok(s > fuzzyScore('prd', 'apxprxd')!);
  assert.ok(s >= fuzzyScore('prd', 'prod')! - 10);
});

test('a long text is scored without blowing up', () => {
  const long = 'a'.repeat(5000) + 'prod';
  assert.notEqual(fuzzyScore('prod', long), undefined);
});
