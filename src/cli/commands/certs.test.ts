import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes } from '../../errors.js';
import { parseDays } from './certs.js';

test('--days takes a positive whole number and nothing else', () => {
  assert.equal(parseDays('30'), 30);
  assert.equal(parseDays(' 7 '), 7);
  for (const bad of ['abc', '0', '-3', '1.5', '', '1e3', '0x10', '99999999999999999999'])
    assert.throws(
      () => parseDays(bad),
      (e: { code?: string; hint?: string }) => e.code === ErrorCodes.USAGE && /--days 30/.test(e.hint ?? ''),
      bad,
    );
});
