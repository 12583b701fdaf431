import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRolehopError } from '../../errors.js';
import { parseDuration } from './duration.js';

test('durations in each unit', () => {
  assert.equal(parseDuration('30d', '--older-than'), 30 * 86_400_000);
  assert.equal(parseDuration('12h', '--older-than'), 12 * 3_600_000);
  assert.equal(parseDuration('30m', '--wait-timeout'), 30 * 60_000);
  assert.equal(parseDuration('45s', '--wait-timeout'), 45_000);
  assert.equal(parseDuration('2w', '--older-than'), 14 * 86_400_000);
});

test('bad durations, and units not allowed for the flag, are usage errors naming the flag', () => {
  for (const bad of ['', '30', 'd', '0d', '-1d', '1.5d', '30 days', '3y'])
    assert.throws(
      () => parseDuration(bad, '--older-than'),
      (e: unknown) => isRolehopError(e) && e.code === 'ERR_USAGE' && e.message.includes('--older-than'),
      bad,
    );
  assert.throws(
    () => parseDuration('6m', '--older-than', ['h', 'd', 'w']),
    (e: unknown) => isRolehopError(e) && /h, d, w/.test(e.hint ?? ''),
  );
});
